"""offline visits (#21): the key a phone gives a visit logged without a connection

`visit.client_key` is a UUID the phone makes when the assistant saves a visit offline; the phone sends the visit
with it when the connection returns, as often as it has to, and the server answers the same key with the visit
already saved (a unique key: one row however many times it is sent). Visits logged through the form have none.

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_visit_client_key'), ['client_key'])


def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_visit_client_key'), type_='unique')
        batch_op.drop_column('client_key')
