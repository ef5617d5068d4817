"""date indexes: the dates that pages filter or group by across the whole centre; the dashboard's shared numbers

The dashboard counts visits per month (visit.visit_date), the boards, caseloads and the indicator set look for
open support periods and assignments (end_date null or later than a day), monitoring that ends soon and the
"Za życiem" requests of a period. The existing composite indexes lead with family or assistant, so a query over
all families scanned the whole table (PostgreSQL read all 509,000 visits per chart at the city tier).
The dashboard's numbers of years and months are kept in `dashboard_cache`, shared by every web worker.

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_visit_visit_date", "visit", "visit_date"),
    ("ix_support_period_end_date", "support_period", "end_date"),
    ("ix_support_period_monitoring_until", "support_period", "monitoring_until"),
    ("ix_support_period_za_zyciem_request_date", "support_period", "za_zyciem_request_date"),
    ("ix_assistant_assignment_end_date", "assistant_assignment", "end_date"),
]


def upgrade():
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)
    op.create_table('dashboard_cache',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('values', sa.JSON(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_cache')),
                    sa.UniqueConstraint('day', name=op.f('uq_dashboard_cache_day')))


def downgrade():
    op.drop_table('dashboard_cache')
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
