"""settings and quality (placeholder reserved for this round; fill upgrade/downgrade or leave empty)

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
