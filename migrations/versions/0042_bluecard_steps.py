"""Niebieska Karta: NK-B handed (date, to whom, or why not) and the procedure's recorded steps (#23)

Revision ID: 0042
Revises: 0040
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bluecard_procedure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nkb_handed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('nkb_recipient', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('nkb_recipient_role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('nkb_not_handed_reason', sa.Text(), nullable=True))
    op.create_table('bluecard_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('step_date', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_bluecard_step_author_id_user_account')),
    sa.ForeignKeyConstraint(['procedure_id'], ['bluecard_procedure.id'], name=op.f('fk_bluecard_step_procedure_id_bluecard_procedure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bluecard_step'))
    )
    with op.batch_alter_table('bluecard_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bluecard_step_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bluecard_step_step_date'), ['step_date'], unique=False)


def downgrade():
    with op.batch_alter_table('bluecard_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bluecard_step_step_date'))
        batch_op.drop_index(batch_op.f('ix_bluecard_step_procedure_id'))
    op.drop_table('bluecard_step')
    with op.batch_alter_table('bluecard_procedure', schema=None) as batch_op:
        batch_op.drop_column('nkb_not_handed_reason')
        batch_op.drop_column('nkb_recipient_role')
        batch_op.drop_column('nkb_recipient')
        batch_op.drop_column('nkb_handed_on')
