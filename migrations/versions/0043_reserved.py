"""work-time entries for the whole job (#21) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0043
Revises: 0042
Create Date: 2026-11-30 23:59:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
