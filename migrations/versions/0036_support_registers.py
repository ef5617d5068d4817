"""supporting families, their help and reimbursed costs; day-support facilities and children's attendance; the
interdisciplinary team's membership register; "Za życiem" coordination requests recorded on their own (issue 18,
items 4, 5, 9). The waiting list (item 3) needs no table: it is derived from support periods and assignments.

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supporting_family',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporting_family'))
    )
    with op.batch_alter_table('supporting_family', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporting_family_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporting_family_start_date'), ['start_date'], unique=False)

    op.create_table('day_support_facility',
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('places', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_day_support_facility_institution_id_institution')),
    sa.PrimaryKeyConstraint('institution_id', name=op.f('pk_day_support_facility'))
    )
    op.create_table('supporting_family_help',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supporting_family_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_supporting_family_help_family_id_family')),
    sa.ForeignKeyConstraint(['supporting_family_id'], ['supporting_family.id'], name=op.f('fk_supporting_family_help_supporting_family_id_supporting_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporting_family_help'))
    )
    with op.batch_alter_table('supporting_family_help', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporting_family_help_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporting_family_help_supporting_family_id'), ['supporting_family_id'], unique=False)

    op.create_table('team_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('sector', sa.String(length=30), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('institution_name', sa.String(length=200), nullable=True),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('is_chair', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_team_membership_institution_id_institution')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_team_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_membership'))
    )
    with op.batch_alter_table('team_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_membership_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_membership_user_id'), ['user_id'], unique=False)

    op.create_table('day_support_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_day_support_attendance_family_id_family')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_day_support_attendance_institution_id_institution')),
    sa.ForeignKeyConstraint(['member_id'], ['family_member.id'], name=op.f('fk_day_support_attendance_member_id_family_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_support_attendance'))
    )
    with op.batch_alter_table('day_support_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_day_support_attendance_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_day_support_attendance_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_day_support_attendance_member_id'), ['member_id'], unique=False)

    op.create_table('supporting_family_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('help_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['help_id'], ['supporting_family_help.id'], name=op.f('fk_supporting_family_cost_help_id_supporting_family_help')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporting_family_cost')),
    sa.UniqueConstraint('help_id', 'month', name=op.f('uq_supporting_family_cost_help_id'))
    )
    with op.batch_alter_table('supporting_family_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporting_family_cost_help_id'), ['help_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporting_family_cost_month'), ['month'], unique=False)

    op.create_table('za_zyciem_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('request_date', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('support_period_id', sa.Integer(), nullable=True),
    sa.Column('assistant_id', sa.Integer(), nullable=True),
    sa.Column('coordination_start', sa.Date(), nullable=True),
    sa.Column('coordination_end', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assistant_id'], ['user_account.id'], name=op.f('fk_za_zyciem_request_assistant_id_user_account')),
    sa.ForeignKeyConstraint(['category_id'], ['dictionary_entry.id'], name=op.f('fk_za_zyciem_request_category_id_dictionary_entry')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_za_zyciem_request_family_id_family')),
    sa.ForeignKeyConstraint(['support_period_id'], ['support_period.id'], name=op.f('fk_za_zyciem_request_support_period_id_support_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_za_zyciem_request'))
    )
    with op.batch_alter_table('za_zyciem_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_za_zyciem_request_assistant_id'), ['assistant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_za_zyciem_request_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_za_zyciem_request_request_date'), ['request_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_za_zyciem_request_support_period_id'), ['support_period_id'], unique=False)



def downgrade():
    with op.batch_alter_table('za_zyciem_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_za_zyciem_request_support_period_id'))
        batch_op.drop_index(batch_op.f('ix_za_zyciem_request_request_date'))
        batch_op.drop_index(batch_op.f('ix_za_zyciem_request_family_id'))
        batch_op.drop_index(batch_op.f('ix_za_zyciem_request_assistant_id'))

    op.drop_table('za_zyciem_request')
    with op.batch_alter_table('supporting_family_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporting_family_cost_month'))
        batch_op.drop_index(batch_op.f('ix_supporting_family_cost_help_id'))

    op.drop_table('supporting_family_cost')
    with op.batch_alter_table('day_support_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_day_support_attendance_member_id'))
        batch_op.drop_index(batch_op.f('ix_day_support_attendance_institution_id'))
        batch_op.drop_index(batch_op.f('ix_day_support_attendance_family_id'))

    op.drop_table('day_support_attendance')
    with op.batch_alter_table('team_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_team_membership_institution_id'))

    op.drop_table('team_membership')
    with op.batch_alter_table('supporting_family_help', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporting_family_help_supporting_family_id'))
        batch_op.drop_index(batch_op.f('ix_supporting_family_help_family_id'))

    op.drop_table('supporting_family_help')
    op.drop_table('day_support_facility')
    with op.batch_alter_table('supporting_family', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporting_family_start_date'))
        batch_op.drop_index(batch_op.f('ix_supporting_family_end_date'))

    op.drop_table('supporting_family')
