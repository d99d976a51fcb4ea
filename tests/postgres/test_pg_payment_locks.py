"""SPEC 13 / issue 7: on PostgreSQL, a payment posted while a batch chunk holds the same
debtor waits for it and then reads what it committed: no lost update on the owing."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from collectcli.store.session import open_engine
from tests.conftest import COLLECT_BIN, TODAY, Cli

pytestmark = pytest.mark.postgres


def test_a_payment_waits_for_a_chunk_holding_its_debtor_and_loses_no_update(
        pg_url: str, tmp_path: Path) -> None:
    cli = Cli(pg_url)  # type: ignore[arg-type]
    debtors = tmp_path / "d.csv"
    debtors.write_text("file,name,principal\n1,Ann Lee,500.00\n", encoding="utf-8")
    cli.ok("import-debtors", str(debtors))
    engine = open_engine(pg_url)
    holder = engine.connect()
    holder.begin()
    # As a batch chunk does: lock the debtor, then change its balance (a posted payment).
    holder.execute(text("SELECT file FROM debtors WHERE file = 1 FOR UPDATE"))
    holder.execute(text("UPDATE debtors SET paid = paid + 5000 WHERE file = 1"))
    env = {**os.environ, "COLLECT_DB": pg_url, "COLLECT_TODAY": TODAY}
    payment = subprocess.Popen(
        [COLLECT_BIN, "post-payment", "--file", "1", "--amount", "100.00", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        assert payment.poll() is None, "the payment did not wait for the chunk's lock"
        holder.commit()
        _out, err = payment.communicate(timeout=60)
        assert payment.returncode == 0, err
    finally:
        holder.close()
    with engine.connect() as conn:
        paid = conn.execute(text("SELECT paid FROM debtors WHERE file = 1")).scalar_one()
    engine.dispose()
    assert paid == 5000 + 10000  # both the chunk's 50.00 and the payment's 100.00
