"""PLACEHOLDER contract, replaced by the plans work."""
from __future__ import annotations
from sqlalchemy import Connection
from collectcli.domain.model import Plan


def insert_missing(conn: Connection, plans: list[Plan]) -> int:
    return 0
