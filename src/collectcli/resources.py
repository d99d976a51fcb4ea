"""Where the shipped data lives: inside the installed package, or the source tree.

A wheel carries `migrations/`, `plans/` and `letters/` as `collectcli/_data/...`;
an editable install or a source checkout reads them from the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of shipped data called `name` (migrations, plans or letters)."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"the shipped folder '{name}' is missing from this installation")
