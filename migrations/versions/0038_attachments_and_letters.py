"""attachments and letters (#20): documents attached to a family's records and to a Niebieska Karta procedure (the
files live outside the database), the dictionary of kinds of documents, the centre's own letter templates

Revision ID: 0038
Revises: 0037
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa

from casework.core.dictionaries import seed_rows


# revision identifiers, used by Alembic.
revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None

KINDS = [
    ("consent", "zgoda", "consent"),
    ("court_order", "postanowienie sądu", "court order"),
    ("school_opinion", "opinia szkoły", "school opinion"),
    ("medical_certificate", "zaświadczenie lekarskie", "medical certificate"),
    ("other", "inny dokument", "other document"),
    ("centre_letter", "pismo ośrodka", "letter of the centre"),
]


def _file_columns(table):
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('document_date', sa.Date(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('storage_name', sa.String(length=64), nullable=False),
        sa.Column('kind_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('archived_reason', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['kind_id'], ['dictionary_entry.id'],
                                name=op.f(f'fk_{table}_kind_id_dictionary_entry')),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f(f'fk_{table}_author_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('storage_name', name=op.f(f'uq_{table}_storage_name')),
    ]


LINKS = [("member_id", "family_member"), ("support_period_id", "support_period"), ("visit_id", "visit"),
         ("plan_id", "work_plan"), ("assessment_id", "assessment"), ("opinion_id", "court_opinion")]


def upgrade():
    op.create_table(
        'attachment', *_file_columns('attachment'),
        sa.Column('family_id', sa.Integer(), nullable=False),
        *[sa.Column(column, sa.Integer(), nullable=True) for column, _table in LINKS],
        sa.Column('letter_code', sa.String(length=40), nullable=True),
        sa.Column('register_number', sa.String(length=60), nullable=True),
        sa.Column('letter_version', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_attachment_family_id_family')),
        *[sa.ForeignKeyConstraint([column], [f'{table}.id'], name=op.f(f'fk_attachment_{column}_{table}'))
          for column, table in LINKS],
        sa.UniqueConstraint('register_number', name=op.f('uq_attachment_register_number')),
    )
    with op.batch_alter_table('attachment') as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_family_id'), ['family_id'], unique=False)
        for column, _table in LINKS:
            batch_op.create_index(batch_op.f(f'ix_attachment_{column}'), [column], unique=False)
    op.create_table(
        'bluecard_attachment', *_file_columns('bluecard_attachment'),
        sa.Column('procedure_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['procedure_id'], ['bluecard_procedure.id'],
                                name=op.f('fk_bluecard_attachment_procedure_id_bluecard_procedure')),
    )
    with op.batch_alter_table('bluecard_attachment') as batch_op:
        batch_op.create_index(batch_op.f('ix_bluecard_attachment_procedure_id'), ['procedure_id'], unique=False)
    op.create_table(
        'letter_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_letter_template_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
        sa.UniqueConstraint('code', name=op.f('uq_letter_template_code')),
    )
    dictionary = sa.table(
        "dictionary_entry", sa.column("kind", sa.String), sa.column("code", sa.String),
        sa.column("label_pl", sa.String), sa.column("label_en", sa.String), sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean), sa.column("requires_text", sa.Boolean), sa.column("maps_to", sa.String))
    op.bulk_insert(dictionary, seed_rows("attachment_kind", KINDS))


def downgrade():
    # documents of the kinds seeded here go with their tables; the kinds themselves afterwards
    op.drop_table('letter_template')
    with op.batch_alter_table('bluecard_attachment') as batch_op:
        batch_op.drop_index(batch_op.f('ix_bluecard_attachment_procedure_id'))
    op.drop_table('bluecard_attachment')
    with op.batch_alter_table('attachment') as batch_op:
        for column, _table in reversed(LINKS):
            batch_op.drop_index(batch_op.f(f'ix_attachment_{column}'))
        batch_op.drop_index(batch_op.f('ix_attachment_family_id'))
    op.drop_table('attachment')
    op.execute(sa.text("DELETE FROM dictionary_entry WHERE kind = 'attachment_kind'"))
