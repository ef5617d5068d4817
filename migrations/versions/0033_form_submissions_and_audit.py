"""form submissions and audit (placeholder reserved for this round; fill upgrade/downgrade or leave empty)

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
