"""the ministry's rows 17–19 derived (#18): supporting families' reimbursed costs (AR_SUPPORTING_FAMILY_COSTS), the
day-support facilities attended and the children attending them (AR_DAY_SUPPORT_FACILITIES_USED,
AR_CHILDREN_IN_DAY_SUPPORT) are now indicators over the support registers, so those rows are no longer typed in.
Only rows a coordinator has not given an expression of their own are changed.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-01 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None

#: number → (the expression now, the source the row had while it was typed in)
ROWS = {
    "17": ("AR_SUPPORTING_FAMILY_COSTS", "księgowość: zwrot kosztów rodzinom wspierającym (art. 30 ustawy)"),
    "18": ("AR_DAY_SUPPORT_FACILITIES_USED", "katalog instytucji: placówki wsparcia dziennego i obecność dzieci"),
    "19": ("AR_CHILDREN_IN_DAY_SUPPORT", "obecność dzieci w placówkach wsparcia dziennego (karta rodziny)"),
}
TABLE = sa.table("ministry_row", sa.column("number", sa.String), sa.column("expression", sa.Text),
                 sa.column("code", sa.String), sa.column("source", sa.String))


def upgrade():
    for number, (expression, _source) in ROWS.items():
        op.execute(TABLE.update().where(TABLE.c.number == number, TABLE.c.expression.is_(None))
                   .values(expression=expression, code=expression, source=None))


def downgrade():
    for number, (expression, source) in ROWS.items():
        op.execute(TABLE.update().where(TABLE.c.number == number, TABLE.c.expression == expression)
                   .values(expression=None, code=None, source=source))
