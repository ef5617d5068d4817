"""rules and versions: no schema change

`version_id_col` (optimistic locking inside the save) uses the existing `version` columns (NOT NULL, default 1),
and the new rules (a blank assessment, a visit saved twice) need no column. Records that already break them are
not changed here: the data-quality check lists them (assessments.rules.blank_assessments,
visits.rules.duplicate_visits) for a person to fix.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
