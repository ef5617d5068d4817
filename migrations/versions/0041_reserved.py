"""deadline and dashboard aggregates (#22) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0041
Revises: 0040
Create Date: 2026-11-30 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
