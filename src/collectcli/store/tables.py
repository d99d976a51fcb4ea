"""The database schema as SQLAlchemy Core tables (the migrations create the same).

Money columns hold integer cents (BigInteger) so no database can round them.
Dates are ISO dates; times are 'HH:MM:SS' text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    literal_column,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

operators = Table(
    "operators",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False, server_default=""),
    Column("level", Integer, nullable=False),
    Column("can_delete_contacts", Boolean, nullable=False, server_default="0"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

transaction_types = Table(
    "transaction_types",
    metadata,
    Column("code", String(4), primary_key=True),
    Column("description", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("default_amount", BigInteger),
    Column("plan", String(7)),
)

plans = Table(
    "plans",
    metadata,
    Column("code", String(7), primary_key=True),
    Column("description", String(200), nullable=False, server_default=""),
    Column("sub_plan", Boolean, nullable=False, server_default="0"),
    Column("definition", Text, nullable=False),  # the plan as JSON (its TOML keys)
)

debtors = Table(
    "debtors",
    metadata,
    Column("file", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("mode", String(8), nullable=False, server_default="ACTIVE"),
    Column("status", String(32)),
    Column("operator", String(16)),
    Column("sales", String(16)),
    Column("state", String(32)),
    Column("country", String(32)),
    Column("timezone", String(64)),
    Column("email", String(200)),
    Column("phone", String(40)),
    Column("sms_authorized_on", Date),
    Column("group_key", String(64)),
    Column("manage_group_promises", Boolean, nullable=False, server_default="0"),
    Column("listed_date", Date),
    Column("closed_date", Date),
    Column("last_payment_date", Date),
    Column("validation_end", Date),
    Column("commission_rate", String(16)),  # a Decimal percent as text
    Column("rate_plan", String(32)),
    Column("summary", Text),
    Column("poe", String(200)),
    Column("principal", BigInteger, nullable=False, server_default="0"),
    Column("fees", BigInteger, nullable=False, server_default="0"),
    Column("interest", BigInteger, nullable=False, server_default="0"),
    Column("paid", BigInteger, nullable=False, server_default="0"),
    # partial indexes (migrations 0007, 0008): rows outside them cost nothing to write
    Index("ix_debtors_group_key", "group_key", sqlite_where=text("group_key IS NOT NULL"),
          postgresql_where=text("group_key IS NOT NULL")),
)

_PENDING = text("status = 'pending'")
_PENDING_PROMISE = text("status = 'pending' AND type = 3")  # ContactType.PROMISE

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file", Integer, ForeignKey("debtors.file"), nullable=False),
    Column("type", Integer, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("due_date", Date),
    Column("due_time", String(8)),
    Column("priority", Integer, nullable=False, server_default="50"),
    Column("collector", String(16)),
    Column("amount", BigInteger),
    Column("promised", BigInteger),
    Column("repeat", String(16)),
    Column("repeat_days", Integer),
    Column("max_intervals", Integer),
    Column("anchor_date", Date),
    Column("occurrence", Integer, nullable=False, server_default="0"),
    Column("copy_on_repeat", Boolean, nullable=False, server_default="0"),
    Column("log_repeat_to_notes", Boolean, nullable=False, server_default="0"),
    Column("advance_overpayments", Boolean, nullable=False, server_default="0"),
    Column("no_autodelete", Boolean, nullable=False, server_default="0"),
    Column("no_autocomplete", Boolean, nullable=False, server_default="0"),
    Column("no_autocomplete_promise", Boolean, nullable=False, server_default="0"),
    Column("status", String(8), nullable=False, server_default="pending"),
    Column("done_date", Date),
    Column("done_time", String(8)),
    Column("done_by", String(16)),
    Column("originator", String(16)),
    Column("assigned_by", String(16)),
    Column("created_date", Date),
    Column("created_time", String(8)),
    Column("is_copy", Boolean, nullable=False, server_default="0"),
    Column("copy_of", Integer),
    Column("call_result", String(8)),
    Column("class", String(32)),
    Column("plan", String(7)),
    Column("broken_through", Date),  # the latest due date the broken-promise plan ran for
    Column("made_by_txn", Integer),  # the payment whose posting created this copy
    Index("ix_contacts_file", "file"),
    Index("ix_contacts_pending_file", "file", sqlite_where=_PENDING, postgresql_where=_PENDING),
    Index("ix_contacts_pending_promise", "due_date", sqlite_where=_PENDING_PROMISE,
          postgresql_where=_PENDING_PROMISE),
)

# `status = 'pending'` as a literal, so SQLite may use the partial indexes above (a bound
# parameter would hide from the planner that the query stays inside them).
PENDING_CONTACT = contacts.c.status == literal_column("'pending'")

transactions = Table(
    "transactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file", Integer, ForeignKey("debtors.file"), nullable=False),
    Column("type", String(4), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("payment_date", Date, nullable=False),
    Column("posted_date", Date, nullable=False),
    Column("reverses", Integer),
    Column("reversed_by", Integer),
    Column("promise_id", Integer),
    Column("promise_before", Text),  # JSON: the promise's state before this payment
    Column("contact_id", Integer),
    Column("ref", String(128)),  # idempotency key of an imported payment
    Column("operator", String(16)),
    Index("ix_transactions_file", "file"),
    Index("uq_transactions_ref", "ref", unique=True, sqlite_where=text("ref IS NOT NULL"),
          postgresql_where=text("ref IS NOT NULL")),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file", Integer, ForeignKey("debtors.file"), nullable=False),
    Column("date", Date, nullable=False),
    Column("time", String(8), nullable=False),
    Column("operator", String(16)),
    Column("text", Text, nullable=False),
    Index("ix_notes_file", "file"),
)

app_log = Table(
    "app_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(19), nullable=False),  # business clock, 'YYYY-MM-DDTHH:MM:SS'
    Column("level", String(8), nullable=False),
    Column("category", String(16), nullable=False),
    Column("operator", String(16)),
    Column("file", Integer),
    Column("contact", Integer),
    Column("message", Text, nullable=False),
    Index("ix_app_log_at", "at"),
)

control_rules = Table(
    "control_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("type", String(8), nullable=False),  # Letter | Phone | Email | Text
    Column("description", String(200), nullable=False, server_default=""),
    Column("state", String(32)),
    Column("country", String(32)),
    Column("max_total", Integer, nullable=False),
    Column("period", String(8), nullable=False, server_default="week"),  # week | month
    Column("apply_to_group", Boolean, nullable=False, server_default="0"),
    Column("hold_days", Integer),
    Column("attempt_results", Text),  # comma-separated call result codes
    Column("rpc_results", Text),
    Column("call_from", String(5)),  # HH:MM, debtor's local time
    Column("call_to", String(5)),
    Column("validation_letter", String(100)),
    Column("validation_business_days", Integer),
    Column("validation_calendar_days", Integer),
    Column("sms_reauth_days", Integer),
)

plan_runs = Table(
    "plan_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_key", String(64), nullable=False),  # plan, selection, business date
    Column("plan", String(7), nullable=False),
    Column("selection", Text, nullable=False),
    Column("run_date", Date, nullable=False),
    Column("last_file", Integer),  # chunks run in file order: done up to this file
    Column("finished", Boolean, nullable=False, server_default="0"),
    Column("started_at", String(19), nullable=False),
    Column("finished_at", String(19)),
    Column("operator", String(16)),
    Index("ix_plan_runs_run_key", "run_key"),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),  # sha256 of the CSV's bytes
    Column("name", String(260), nullable=False),
    Column("imported_at", String(19), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("plan", String(7)),
    Column("files", Text),  # the imported file numbers as ranges ("1-500,731"), with --plan
    Index("ix_imports_content_hash", "content_hash"),
)
