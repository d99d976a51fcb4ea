"""collectcli: contact plans, promises to pay and nightly batches for collection agencies."""

from typing import Any


def __getattr__(name: str) -> Any:
    """`__version__` is read from the installed metadata only when asked (`--version`):
    importlib.metadata costs every command about 40 ms of start-up."""
    if name != "__version__":
        raise AttributeError(f"module 'collectcli' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("collectcli")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+source"
