"""centre identity and report documents (#19): a report as an ordered list of sections, per series and year
(the centre's identity itself is kept in app_setting, declared in casework/core/settings.py)

Revision ID: 0037
Revises: 0036
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('subtitle', sa.Text(), nullable=True),
    sa.Column('file_number', sa.String(length=100), nullable=True),
    sa.Column('prepared_by', sa.String(length=200), nullable=True),
    sa.Column('template', sa.String(length=100), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exported_figures', sa.JSON(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['previous_id'], ['report_document.id'],
                            name=op.f('fk_report_document_previous_id_report_document'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_document')),
    sa.UniqueConstraint('series', 'year', name=op.f('uq_report_document_series'))
    )
    op.create_table('report_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('heading', sa.Text(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['report_document.id'],
                            name=op.f('fk_report_section_document_id_report_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_section'))
    )
    with op.batch_alter_table('report_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_section_document_id'), ['document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_section_document_id'))
    op.drop_table('report_section')
    op.drop_table('report_document')
