"""Niebieska Karta steps and handover (#23) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0042
Revises: 0041
Create Date: 2026-11-30 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
