"""search keys (#20): a normalised, indexed search key on families, members, foster children and institutions
(casework.core.search_keys), filled in for the rows already there.

Revision ID: 0039
Revises: 0038
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None

#: table → the columns its key is made of (the models' keep_search_key, frozen here for this revision)
KEYED = {
    'family': ('case_number', 'name', 'street', 'postal_code', 'city'),
    'family_member': ('last_name', 'first_name'),
    'foster_child': ('last_name', 'first_name'),
    'institution': ('name', 'city'),
}


def upgrade():
    for table in KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.String(length=300), nullable=False, server_default=''))
            batch_op.create_index(batch_op.f(f'ix_{table}_search_key'), ['search_key'], unique=False)
    # the rows already there get their key, computed by the one function every write uses
    from casework.core.search_keys import search_key  # local import: the app's rule, as of this revision

    bind = op.get_bind()
    for name, fields in KEYED.items():
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('search_key', sa.String),
                         *[sa.column(f, sa.String) for f in fields])
        rows = bind.execute(sa.select(table.c.id, *[table.c[f] for f in fields])).all()
        updates = [{'_id': row.id, 'key': search_key(*row[1:])} for row in rows]
        for start in range(0, len(updates), 5000):
            bind.execute(table.update().where(table.c.id == sa.bindparam('_id'))
                         .values(search_key=sa.bindparam('key')), updates[start:start + 5000])


def downgrade():
    for table in reversed(list(KEYED)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_search_key'))
            batch_op.drop_column('search_key')
