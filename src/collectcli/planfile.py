"""PLACEHOLDER contract, replaced by the plans work: TOML <-> Plan."""
from __future__ import annotations
from collections.abc import Iterable
from pathlib import Path
from collectcli.domain.model import Plan


def load_plan_files(paths: Iterable[Path]) -> list[Plan]:
    return []
