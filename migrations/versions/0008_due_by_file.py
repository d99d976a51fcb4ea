"""due work found by file: the pending due-date index gives way to a pending-promise one

The nightly batch reads its due contacts chunk by chunk on the pending file index and
never looks for due work across the whole table any more. The pending due-date index
only cost it: every contact marked done left it and every forwarded contact moved in it
(about a fifth of the batch's writing at a million debtors). Broken promises are the one
search by due date left across all debtors; a partial index holds only pending promises,
which the batch's Notes and Status changes never touch.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
PENDING_PROMISE = sa.text("status = 'pending' AND type = 3")  # ContactType.PROMISE


def upgrade() -> None:
    op.drop_index("ix_contacts_pending_due", table_name="contacts")
    op.create_index("ix_contacts_pending_promise", "contacts", ["due_date"],
                    sqlite_where=PENDING_PROMISE, postgresql_where=PENDING_PROMISE)


def downgrade() -> None:
    op.drop_index("ix_contacts_pending_promise", table_name="contacts")
    op.create_index("ix_contacts_pending_due", "contacts", ["due_date"],
                    sqlite_where=PENDING, postgresql_where=PENDING)
