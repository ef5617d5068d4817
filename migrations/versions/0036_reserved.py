"""waiting list, supporting families, day support, team membership (#18) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-30 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
