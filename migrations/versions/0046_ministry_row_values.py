"""ministry row values (#18): the figure of a typed-in row of the half-yearly report (one casework cannot derive,
e.g. the municipality's spending on day-support facilities from its accounts), per half-year, with who supplied it

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ministry_row_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('half', sa.Integer(), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('supplied_by', sa.String(length=200), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['row_id'], ['ministry_row.id'], name=op.f('fk_ministry_row_value_row_id_ministry_row'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'],
                                name=op.f('fk_ministry_row_value_entered_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ministry_row_value')),
        sa.UniqueConstraint('row_id', 'year', 'half', name=op.f('uq_ministry_row_value_row_id')),
    )
    op.create_index(op.f('ix_ministry_row_value_row_id'), 'ministry_row_value', ['row_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_ministry_row_value_row_id'), table_name='ministry_row_value')
    op.drop_table('ministry_row_value')
