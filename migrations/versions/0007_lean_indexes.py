"""lean indexes: partial indexes that the nightly writes do not have to maintain

The batch marks millions of contacts done and forwards the repeating ones; the import
inserts a million debtors with their principal transactions. Every index a row sits in
costs on each of those writes, so:

- contacts: (file, status) and (status, due_date) become (file) for the whole history,
  (file) WHERE pending for loading an account's open work, and (due_date) WHERE pending
  for finding what is due. A contact marked done leaves the two partial indexes and no
  longer moves inside two full ones; a copy (born done) enters one index instead of two;
  a forwarded contact moves only in the due index.
- debtors.group_key: most debtors have no group; the index now holds only those that do.
- transactions.ref: only imported payments carry a ref; the unique index now holds only
  those (on SQLite the table is rebuilt, as SQLite cannot drop a table constraint).

Queries that want a partial index say `status = 'pending'` as a literal (SQLite uses a
partial index only when the query's WHERE implies the index's).

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.drop_index("ix_contacts_file_status", table_name="contacts")
    op.drop_index("ix_contacts_status_due", table_name="contacts")
    op.create_index("ix_contacts_file", "contacts", ["file"])
    op.create_index("ix_contacts_pending_file", "contacts", ["file"],
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("ix_contacts_pending_due", "contacts", ["due_date"],
                    sqlite_where=PENDING, postgresql_where=PENDING)
    grouped = sa.text("group_key IS NOT NULL")
    op.drop_index("ix_debtors_group_key", table_name="debtors")
    op.create_index("ix_debtors_group_key", "debtors", ["group_key"],
                    sqlite_where=grouped, postgresql_where=grouped)
    with op.batch_alter_table("transactions") as batch_op:
        batch_op.drop_constraint("uq_transactions_ref", type_="unique")
    with_ref = sa.text("ref IS NOT NULL")
    op.create_index("uq_transactions_ref", "transactions", ["ref"], unique=True,
                    sqlite_where=with_ref, postgresql_where=with_ref)


def downgrade() -> None:
    op.drop_index("uq_transactions_ref", table_name="transactions")
    with op.batch_alter_table("transactions") as batch_op:
        batch_op.create_unique_constraint("uq_transactions_ref", ["ref"])
    op.drop_index("ix_debtors_group_key", table_name="debtors")
    op.create_index("ix_debtors_group_key", "debtors", ["group_key"])
    op.drop_index("ix_contacts_pending_due", table_name="contacts")
    op.drop_index("ix_contacts_pending_file", table_name="contacts")
    op.drop_index("ix_contacts_file", table_name="contacts")
    op.create_index("ix_contacts_status_due", "contacts", ["status", "due_date"])
    op.create_index("ix_contacts_file_status", "contacts", ["file", "status"])
