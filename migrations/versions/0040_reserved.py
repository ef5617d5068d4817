"""offline visits and work time (#21) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-30 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
