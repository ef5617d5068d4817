"""settings and quality: the foster-care shares become three declared settings

The co-financing shares (art. 191 ust. 9 UWR) were one JSON setting `foster_care_rates` ({"10": 10, "30": 30,
"50": 50}); every setting is now declared once with a type and range (casework/core/settings.py), so each share is a
whole-number setting of its own. A stored table is carried over value for value (nothing is dropped: a value the
declaration does not accept shows as invalid on the settings page); the downgrade puts it back.

Revision ID: 0030
Revises: 0028
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0028'
branch_labels = None
depends_on = None

OLD_KEY = "foster_care_rates"
NEW_KEYS = {"10": "foster_care_rate_year_1", "30": "foster_care_rate_year_2", "50": "foster_care_rate_year_3"}
app_setting = sa.table("app_setting", sa.column("key", sa.String), sa.column("value", sa.JSON))


def _value(bind, key):
    row = bind.execute(sa.select(app_setting.c.value).where(app_setting.c.key == key)).first()
    return None if row is None else row[0]


def upgrade():
    bind = op.get_bind()
    table = _value(bind, OLD_KEY)
    if isinstance(table, dict):
        for tier, key in NEW_KEYS.items():
            if table.get(tier) is not None and _value(bind, key) is None:
                bind.execute(app_setting.insert().values(key=key, value=table[tier]))
    bind.execute(app_setting.delete().where(app_setting.c.key == OLD_KEY))


def downgrade():
    bind = op.get_bind()
    table = {tier: _value(bind, key) for tier, key in NEW_KEYS.items()}
    table = {tier: value for tier, value in table.items() if value is not None}
    if table:
        bind.execute(app_setting.delete().where(app_setting.c.key == OLD_KEY))
        bind.execute(app_setting.insert().values(key=OLD_KEY, value=table))
    bind.execute(app_setting.delete().where(app_setting.c.key.in_(list(NEW_KEYS.values()))))
