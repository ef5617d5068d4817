"""staff register: employment spells, qualification, trainings, costs by source (#18 items 1, 2); the ministry
report's rows as expressions over codes and keys, numbered as the form, with the corrected and the new default rows
(#18 item 7)

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

EMPLOYMENT_FORMS = [
    ("employment_task_based", "umowa o pracę w systemie zadaniowego czasu pracy",
     "employment contract, task-based working time"),
    ("employment_other", "umowa o pracę w innym systemie czasu pracy",
     "employment contract, another working-time system"),
    ("civil_contract", "umowa cywilnoprawna", "civil-law contract"),
    ("service", "świadczenie usług (działalność gospodarcza)", "services of a self-employed person"),
    ("contracted_entity", "zatrudnienie przez podmiot, któremu zlecono zadanie (art. 190 ustawy)",
     "employed by an entity the task is contracted to (art. 190)"),
]

S_STAFF = "I. Asystenci rodziny — zatrudnienie i szkolenia"
S_FAMILIES = "II. Rodziny korzystające z usług asystenta rodziny"
S_COST = "III. Wydatki na zatrudnienie asystentów rodziny (zł)"
S_SUPPORTING = "IV. Rodziny wspierające"
S_DAY = "V. Placówki wsparcia dziennego"
S_FOSTER = "VI. Piecza zastępcza — dzieci i wydatki gminy"
ALL_FORMS = "employment_task_based + employment_other + civil_contract + service + contracted_entity"

#: (section, number, label, expression, parent number, sums its parts, source of a typed-in figure)
ROWS = [
    (S_STAFF, "1", "Liczba asystentów rodziny zatrudnionych w ostatnim dniu okresu",
     f"AR_STAFF_BY_EMPLOYMENT_FORM[{ALL_FORMS}]", None, True, None),
    (S_STAFF, "1.1", "w tym na podstawie umowy o pracę w systemie zadaniowego czasu pracy",
     "AR_STAFF_BY_EMPLOYMENT_FORM[employment_task_based]", "1", False, None),
    (S_STAFF, "1.2", "w tym na podstawie umowy o pracę w innym systemie czasu pracy",
     "AR_STAFF_BY_EMPLOYMENT_FORM[employment_other]", "1", False, None),
    (S_STAFF, "1.3", "w tym na podstawie umowy cywilnoprawnej",
     "AR_STAFF_BY_EMPLOYMENT_FORM[civil_contract]", "1", False, None),
    (S_STAFF, "1.4", "w tym świadczący usługi w ramach działalności gospodarczej",
     "AR_STAFF_BY_EMPLOYMENT_FORM[service]", "1", False, None),
    (S_STAFF, "1.5", "w tym zatrudnieni przez podmiot, któremu gmina zleciła realizację zadania (art. 190 ustawy)",
     "AR_STAFF_BY_EMPLOYMENT_FORM[contracted_entity]", "1", False, None),
    (S_STAFF, "2", "Liczba etatów asystentów rodziny (w przeliczeniu na pełne etaty)", "AR_STAFF_FTE", None, False,
     None),
    (S_STAFF, "3", "Liczba asystentów rodziny", "AR_ASSISTANTS", None, False, None),
    (S_STAFF, "4", "Liczba szkoleń, w których uczestniczyli asystenci rodziny", "AR_STAFF_TRAININGS", None, False,
     None),
    (S_STAFF, "5", "Liczba godzin szkoleń asystentów rodziny", "AR_STAFF_TRAINING_HOURS", None, False, None),
    (S_FAMILIES, "6", "Liczba rodzin korzystających z usług asystenta rodziny", "AR_FAMILIES_SUPPORTED", None, False,
     None),
    (S_FAMILIES, "6.1", "w tym rodziny zobowiązane przez sąd do pracy z asystentem rodziny",
     "AR_FAMILIES_COURT_ORDERED", "6", False, None),
    (S_FAMILIES, "7", "Liczba dzieci w rodzinach korzystających z usług asystenta rodziny",
     "AR_CHILDREN_IN_SUPPORTED_FAMILIES", None, False, None),
    (S_FAMILIES, "8", "Liczba rodzin, z którymi asystent rodziny zakończył pracę", "AR_FAMILIES_ENDED", None, True,
     None),
    (S_FAMILIES, "8.1", "w tym ze względu na osiągnięcie w całości lub w znacznym stopniu zakładanych celów",
     "AR_ENDED_GOALS_ACHIEVED", "8", False, None),
    (S_FAMILIES, "8.2", "w tym ze względu na zaprzestanie współpracy lub brak zgody rodziny",
     "AR_ENDED_NO_COOPERATION", "8", False, None),
    (S_FAMILIES, "8.3", "w tym ze względu na brak efektów", "AR_ENDED_NO_EFFECTS", "8", False, None),
    (S_FAMILIES, "8.4", "w tym z innych przyczyn (w tym zmiana miejsca zamieszkania)",
     "AR_ENDED_MOVED_AWAY + AR_ENDED_OTHER", "8", False, None),
    (S_FAMILIES, "9", "Liczba rodzin według czasu pracy asystenta rodziny z rodziną", "AR_FAMILIES_SUPPORTED", None,
     True, None),
    (S_FAMILIES, "9.1", "Liczba rodzin, z którymi asystent rodziny pracował do 3 miesięcy", "AR_DURATION_UP_TO_3M",
     "9", False, None),
    (S_FAMILIES, "9.2", "Liczba rodzin, z którymi asystent rodziny pracował od 3 do 12 miesięcy",
     "AR_DURATION_3_TO_12M", "9", False, None),
    (S_FAMILIES, "9.3", "Liczba rodzin, z którymi asystent rodziny pracował powyżej 1 roku", "AR_DURATION_OVER_12M",
     "9", False, None),
    (S_FAMILIES, "10", "Liczba rodzin objętych monitorowaniem po zakończeniu pracy", "AR_FAMILIES_MONITORED", None,
     False, None),
    (S_FAMILIES, "11", "Liczba rodzin oczekujących na przydzielenie asystenta rodziny (ostatni dzień okresu)",
     "AR_FAMILIES_WAITING_AT_END", None, False, "lista rodzin oczekujących na asystenta"),
    (S_FAMILIES, "12", "Liczba rodzin objętych wsparciem w ramach ustawy „Za życiem”", "AR_ZA_ZYCIEM_FAMILIES", None,
     False, None),
    (S_FAMILIES, "13", "Liczba wniosków o koordynację wsparcia w ramach ustawy „Za życiem”", "AR_ZA_ZYCIEM_REQUESTS",
     None, False, None),
    (S_COST, "14", "Wydatki na zatrudnienie asystentów rodziny ogółem (zł)", "AR_COST_TOTAL", None, True, None),
    (S_COST, "14.1", "w tym ze środków własnych gminy", "AR_COST_BY_SOURCE[own]", "14", False, None),
    (S_COST, "14.2", "w tym z dotacji z budżetu państwa (program „Asystent rodziny”)",
     "AR_COST_BY_SOURCE[state_programme]", "14", False, None),
    (S_COST, "14.3", "w tym ze środków Unii Europejskiej", "AR_COST_BY_SOURCE[eu]", "14", False, None),
    (S_COST, "14.4", "w tym z innych źródeł", "AR_COST_BY_SOURCE[other]", "14", False, None),
    (S_SUPPORTING, "15", "Liczba rodzin wspierających", "AR_SUPPORTING_FAMILIES", None, False,
     "rejestr rodzin wspierających"),
    (S_SUPPORTING, "16", "Liczba rodzin, którym pomagały rodziny wspierające", "AR_FAMILIES_WITH_SUPPORTING_FAMILY",
     None, False, "rejestr rodzin wspierających"),
    (S_SUPPORTING, "17", "Wydatki na zwrot kosztów rodzinom wspierającym (zł)", None, None, False,
     "księgowość: zwrot kosztów rodzinom wspierającym (art. 30 ustawy)"),
    (S_DAY, "18", "Liczba placówek wsparcia dziennego, z których korzystały dzieci z rodzin objętych wsparciem",
     None, None, False, "katalog instytucji: placówki wsparcia dziennego i obecność dzieci"),
    (S_DAY, "19", "Liczba dzieci z rodzin objętych wsparciem uczęszczających do placówek wsparcia dziennego", None,
     None, False, "obecność dzieci w placówkach wsparcia dziennego (karta rodziny)"),
    (S_DAY, "20", "Wydatki gminy na placówki wsparcia dziennego (zł)", None, None, False,
     "księgowość: wydatki na placówki wsparcia dziennego"),
    (S_FOSTER, "21", "Liczba dzieci w pieczy zastępczej, za których pobyt gmina ponosi wydatki", "FC_CHILDREN_PLACED",
     None, True, None),
    (S_FOSTER, "21.1", "w tym w rodzinnej pieczy zastępczej", "FC_CHILDREN_FAMILY_CARE", "21", True, None),
    (S_FOSTER, "21.1.1", "w tym w rodzinie zastępczej spokrewnionej", "FC_CHILDREN_BY_FORM[foster_family_related]",
     "21.1", False, None),
    (S_FOSTER, "21.1.2", "w tym w rodzinie zastępczej niezawodowej", "FC_CHILDREN_BY_FORM[foster_family_unrelated]",
     "21.1", False, None),
    (S_FOSTER, "21.1.3", "w tym w rodzinie zastępczej zawodowej",
     "FC_CHILDREN_BY_FORM[foster_family_professional]", "21.1", False, None),
    (S_FOSTER, "21.1.4", "w tym w rodzinnym domu dziecka", "FC_CHILDREN_BY_FORM[family_childrens_home]", "21.1",
     False, None),
    (S_FOSTER, "21.2", "w tym w instytucjonalnej pieczy zastępczej", "FC_CHILDREN_INSTITUTIONAL", "21", True, None),
    (S_FOSTER, "21.2.1", "w tym w placówce opiekuńczo-wychowawczej",
     "FC_CHILDREN_BY_FORM[care_education_institution]", "21.2", False, None),
    (S_FOSTER, "21.2.2", "w tym w regionalnej placówce opiekuńczo-terapeutycznej",
     "FC_CHILDREN_BY_FORM[regional_care_therapy_institution]", "21.2", False, None),
    (S_FOSTER, "21.2.3", "w tym w interwencyjnym ośrodku preadopcyjnym",
     "FC_CHILDREN_BY_FORM[pre_adoption_intervention_centre]", "21.2", False, None),
    (S_FOSTER, "22", "Liczba dzieci według udziału gminy w wydatkach", "FC_CHILDREN_PLACED", None, True, None),
    (S_FOSTER, "22.1", "w tym przy udziale 10%", "FC_CHILDREN_TIER_10", "22", False, None),
    (S_FOSTER, "22.2", "w tym przy udziale 30%", "FC_CHILDREN_TIER_30", "22", False, None),
    (S_FOSTER, "22.3", "w tym przy udziale 50%", "FC_CHILDREN_TIER_50", "22", False, None),
    (S_FOSTER, "23", "Wydatki gminy na pieczę zastępczą ogółem (zł)", "FC_COST_TOTAL", None, True, None),
    (S_FOSTER, "23.1", "w tym na rodzinną pieczę zastępczą (zł)", "FC_COST_FAMILY_CARE", "23", True, None),
    (S_FOSTER, "23.1.1", "w tym rodzina zastępcza spokrewniona (zł)", "FC_COST_BY_FORM[foster_family_related]",
     "23.1", False, None),
    (S_FOSTER, "23.1.2", "w tym rodzina zastępcza niezawodowa (zł)", "FC_COST_BY_FORM[foster_family_unrelated]",
     "23.1", False, None),
    (S_FOSTER, "23.1.3", "w tym rodzina zastępcza zawodowa (zł)", "FC_COST_BY_FORM[foster_family_professional]",
     "23.1", False, None),
    (S_FOSTER, "23.1.4", "w tym rodzinny dom dziecka (zł)", "FC_COST_BY_FORM[family_childrens_home]", "23.1", False,
     None),
    (S_FOSTER, "23.2", "w tym na instytucjonalną pieczę zastępczą (zł)", "FC_COST_INSTITUTIONAL", "23", True, None),
    (S_FOSTER, "23.2.1", "w tym placówka opiekuńczo-wychowawcza (zł)",
     "FC_COST_BY_FORM[care_education_institution]", "23.2", False, None),
    (S_FOSTER, "23.2.2", "w tym regionalna placówka opiekuńczo-terapeutyczna (zł)",
     "FC_COST_BY_FORM[regional_care_therapy_institution]", "23.2", False, None),
    (S_FOSTER, "23.2.3", "w tym interwencyjny ośrodek preadopcyjny (zł)",
     "FC_COST_BY_FORM[pre_adoption_intervention_centre]", "23.2", False, None),
    (S_FOSTER, "24", "Wydatki gminy według udziału w wydatkach (zł)", "FC_COST_TOTAL", None, True, None),
    (S_FOSTER, "24.1", "w tym przy udziale 10% (zł)", "FC_COST_TIER_10", "24", False, None),
    (S_FOSTER, "24.2", "w tym przy udziale 30% (zł)", "FC_COST_TIER_30", "24", False, None),
    (S_FOSTER, "24.3", "w tym przy udziale 50% (zł)", "FC_COST_TIER_50", "24", False, None),
    (S_FOSTER, "25", "Liczba dzieci, które powróciły do rodziny", "FC_CHILDREN_RETURNED", None, False, None),
    (S_FOSTER, "26", "Liczba dzieci przysposobionych (zakończenie pobytu w pieczy zastępczej)",
     "FC_CHILDREN_ADOPTED", None, False, "sąd rodzinny / powiatowe centrum pomocy rodzinie"),
]

#: the default rows of migration 0024 in their order (their section and position are restored by downgrade)
OLD_LABELS = (
    "Liczba asystentów rodziny", "Liczba rodzin korzystających z usług asystenta rodziny",
    "w tym rodziny zobowiązane przez sąd do pracy z asystentem rodziny",
    "Liczba dzieci w rodzinach korzystających z usług asystenta rodziny",
    "Liczba rodzin, z którymi asystent rodziny zakończył pracę",
    "w tym ze względu na osiągnięcie w całości lub w znacznym stopniu zakładanych celów",
    "w tym ze względu na zaprzestanie współpracy lub brak zgody rodziny", "w tym ze względu na brak efektów",
    "w tym z innych przyczyn (w tym zmiana miejsca zamieszkania)",
    "Liczba rodzin, z którymi asystent rodziny pracował do 3 miesięcy",
    "Liczba rodzin, z którymi asystent rodziny pracował od 3 do 12 miesięcy",
    "Liczba rodzin, z którymi asystent rodziny pracował powyżej 1 roku",
    "Liczba rodzin objętych monitorowaniem po zakończeniu pracy",
    "Liczba rodzin objętych wsparciem w ramach ustawy „Za życiem”",
    "Liczba dzieci w pieczy zastępczej, za których pobyt gmina ponosi wydatki",
    "w tym w rodzinnej pieczy zastępczej", "w tym w instytucjonalnej pieczy zastępczej",
    "Wydatki gminy na pieczę zastępczą ogółem (zł)", "w tym na rodzinną pieczę zastępczą (zł)",
    "w tym na instytucjonalną pieczę zastępczą (zł)",
)
OLD_ASSISTANTS, OLD_FOSTER = "Asystenci rodziny", "Piecza zastępcza — wydatki gminy"


def _single_code(expression):
    return expression if expression and "+" not in expression and "[" not in expression else None


def upgrade():
    op.create_table('staff_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('qualification_basis', sa.String(length=40), nullable=True),
    sa.Column('qualification_note', sa.Text(), nullable=True),
    sa.Column('conditions_checked_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_staff_profile_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_staff_profile_user_id'))
    )
    op.create_table('employment_spell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('fte', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['dictionary_entry.id'],
                            name=op.f('fk_employment_spell_form_id_dictionary_entry')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_employment_spell_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment_spell'))
    )
    with op.batch_alter_table('employment_spell', schema=None) as batch_op:
        batch_op.create_index('ix_employment_spell_user_dates', ['user_id', 'date_from'], unique=False)
    op.create_table('staff_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('training_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_staff_training_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_training'))
    )
    with op.batch_alter_table('staff_training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_training_training_date'), ['training_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_training_user_id'), ['user_id'], unique=False)
    op.create_table('staff_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_staff_cost_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_cost'))
    )
    with op.batch_alter_table('staff_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_cost_date_to'), ['date_to'], unique=False)
        batch_op.create_index('ix_staff_cost_user_dates', ['user_id', 'date_from'], unique=False)

    dictionary = sa.table(
        "dictionary_entry", sa.column("kind", sa.String), sa.column("code", sa.String),
        sa.column("label_pl", sa.String), sa.column("label_en", sa.String), sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean), sa.column("requires_text", sa.Boolean), sa.column("maps_to", sa.String))
    op.bulk_insert(dictionary, [
        {"kind": "employment_form", "code": code, "label_pl": pl, "label_en": en, "position": (n + 1) * 10,
         "active": True, "requires_text": False, "maps_to": code}
        for n, (code, pl, en) in enumerate(EMPLOYMENT_FORMS)])

    with op.batch_alter_table('ministry_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('expression', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('parent_number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('sums_parts', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('source', sa.String(length=300), nullable=True))

    conn = op.get_bind()
    table = sa.table("ministry_row", sa.column("id", sa.Integer), sa.column("section", sa.String),
                     sa.column("position", sa.Integer), sa.column("label", sa.Text), sa.column("code", sa.String),
                     sa.column("number", sa.String), sa.column("expression", sa.Text),
                     sa.column("parent_number", sa.String), sa.column("sums_parts", sa.Boolean),
                     sa.column("source", sa.String))
    existing = {label: (row_id, code) for row_id, label, code in conn.execute(
        sa.select(table.c.id, table.c.label, table.c.code))}
    # rows a coordinator added keep their place; those of the form come first
    for n, (section, number, label, expression, parent, sums, source) in enumerate(ROWS):
        values = {"section": section, "position": (n + 1) * 10, "number": number, "expression": expression,
                  "code": _single_code(expression), "parent_number": parent, "sums_parts": sums, "source": source}
        if label in existing and label in OLD_LABELS:
            conn.execute(table.update().where(table.c.id == existing[label][0]).values(**values))
        elif label not in existing:
            conn.execute(table.insert().values(label=label, **values))
    # the rest (the coordinator's own rows, a default row edited before): the expression is their code
    conn.execute(table.update().where(table.c.expression.is_(None), table.c.code.is_not(None))
                 .values(expression=table.c.code))


def downgrade():
    conn = op.get_bind()
    table = sa.table("ministry_row", sa.column("id", sa.Integer), sa.column("section", sa.String),
                     sa.column("position", sa.Integer), sa.column("label", sa.Text), sa.column("code", sa.String))
    new_labels = [label for _s, _n, label, *_rest in ROWS if label not in OLD_LABELS]
    conn.execute(table.delete().where(table.c.label.in_(new_labels)))
    for n, label in enumerate(OLD_LABELS):
        section = OLD_FOSTER if n >= OLD_LABELS.index("Liczba dzieci w pieczy zastępczej, za których pobyt gmina "
                                                      "ponosi wydatki") else OLD_ASSISTANTS
        conn.execute(table.update().where(table.c.label == label).values(section=section, position=(n + 1) * 10))
    conn.execute(table.update().where(table.c.label == "w tym z innych przyczyn (w tym zmiana miejsca zamieszkania)")
                 .values(code="AR_ENDED_OTHER"))
    with op.batch_alter_table('ministry_row', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('sums_parts')
        batch_op.drop_column('parent_number')
        batch_op.drop_column('expression')
        batch_op.drop_column('number')

    op.execute(sa.text("DELETE FROM dictionary_entry WHERE kind = 'employment_form'"))
    with op.batch_alter_table('staff_cost', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_cost_user_dates')
        batch_op.drop_index(batch_op.f('ix_staff_cost_date_to'))
    op.drop_table('staff_cost')
    with op.batch_alter_table('staff_training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_training_user_id'))
        batch_op.drop_index(batch_op.f('ix_staff_training_training_date'))
    op.drop_table('staff_training')
    with op.batch_alter_table('employment_spell', schema=None) as batch_op:
        batch_op.drop_index('ix_employment_spell_user_dates')
    op.drop_table('employment_spell')
    op.drop_table('staff_profile')
