"""identitet: personer markeres som pseudonymiserede

Revision ID: 0007_identity
Revises: 0006_security
Create Date: 2026-12-02 13:20:00

Before this revision, whether a person had been moved to the key file was read from the
key file itself, so a key file written by a run whose database transaction never
committed (a crash) made the next run skip persons still stored in clear. The flag lives
in the database now, in the same transaction as the texts. Existing persons start
unmarked; the next run marks those the key file already holds (stored name equal to their
pseudonym, no CPR number) and pseudonymises the rest.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_identity"
down_revision = "0006_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pseudonymised", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("pseudonymised")
