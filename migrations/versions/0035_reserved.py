"""staff register, employment, trainings, costs (#18) — RESERVED placeholder; the owner replaces this body (keep revision ids)

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-30 23:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
