"""work time (#21): the whole job on the work-time sheet — a duration on contacts and team meetings, and the other
work (court hearings, travel, office work) in `work_entry`

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('institution_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=True))
    with op.batch_alter_table('team_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=True))
    op.create_table(
        'work_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('work_date', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('archived_reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_work_entry_family_id_family')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_work_entry_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_work_entry')),
    )
    with op.batch_alter_table('work_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_entry_family_id'), ['family_id'], unique=False)
        batch_op.create_index('ix_work_entry_user_date', ['user_id', 'work_date'], unique=False)


def downgrade():
    with op.batch_alter_table('work_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_work_entry_user_date')
        batch_op.drop_index(batch_op.f('ix_work_entry_family_id'))
    op.drop_table('work_entry')
    with op.batch_alter_table('team_meeting', schema=None) as batch_op:
        batch_op.drop_column('duration_minutes')
    with op.batch_alter_table('institution_contact', schema=None) as batch_op:
        batch_op.drop_column('duration_minutes')
