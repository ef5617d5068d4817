"""Institution contacts and team meetings (CONTACTS_TOTAL, CONTACTS_BY_INSTITUTION_TYPE, AR_TEAM_MEETINGS…)."""
from sqlalchemy import cast, literal, select

from casework.contacts.models import INSTITUTION_TYPE_KIND, Institution, InstitutionContact, TeamMeeting
from casework.core.dictionaries import DictionaryEntry, entries
from casework.families.indicators import GROUP, UWR_ASSISTANT
from casework.families.models import Family
from casework.core.indicators import BY_KEY, OTHER, indicator
from casework.core.sql import day

C = InstitutionContact.__table__
I = Institution.__table__  # noqa: E741
D = DictionaryEntry.__table__
T = TeamMeeting.__table__
F = Family.__table__


def _contacts(p):
    label = I.c.name + literal(" ") + cast(C.c.contact_date, I.c.name.type)
    return (select(C.c.id.label("id"), label.label("label"), C.c.family_id.label("family_id"),
                   D.c.code.label("key"))
            .select_from(C.join(I, I.c.id == C.c.institution_id).join(D, D.c.id == I.c.type_id))
            .where(C.c.archived_at.is_(None), C.c.contact_date >= day(p.start), C.c.contact_date <= day(p.end)))


@indicator("CONTACTS_TOTAL", "Kontakty z instytucjami", "Contacts with institutions", legal_basis=UWR_ASSISTANT,
           record_type=OTHER, group="2 CONTACTS", order=10,
           definition_pl="Kontakty z instytucjami z datą w okresie (w sprawie rodziny i ogólne).",
           definition="Institution contacts dated in P (about a family or general).")
def contacts_total(p):
    return _contacts(p)


@indicator("CONTACTS_BY_INSTITUTION_TYPE", "Kontakty z instytucjami według rodzaju instytucji",
           "Institution contacts by institution type", legal_basis=UWR_ASSISTANT, kind=BY_KEY, record_type=OTHER,
           group="2 CONTACTS", order=20, keys=lambda: [e.code for e in entries(INSTITUTION_TYPE_KIND, include_inactive=True)],
           key_labels=lambda: {e.code: e.label for e in entries(INSTITUTION_TYPE_KIND, include_inactive=True)},
           definition_pl="Kontakty z instytucjami w okresie, według kodu rodzaju instytucji.",
           definition="Institution contacts in P by institution-type code.")
def contacts_by_type(p):
    return _contacts(p)


def _meetings(p, *conditions):
    label = F.c.case_number + literal(" ") + F.c.name + literal(" ") + cast(T.c.meeting_date, F.c.name.type)
    return (select(T.c.id.label("id"), label.label("label"), T.c.family_id.label("family_id"))
            .select_from(T.join(F, F.c.id == T.c.family_id))
            .where(T.c.archived_at.is_(None), F.c.archived_at.is_(None), T.c.meeting_date >= day(p.start),
                   T.c.meeting_date <= day(p.end), *conditions))


@indicator("AR_TEAM_MEETINGS", "Posiedzenia zespołu ds. asysty rodzinnej", "Team meetings",
           legal_basis=UWR_ASSISTANT, record_type=OTHER, group=GROUP, order=220,
           definition_pl="Posiedzenia zespołu w sprawie rodzin z datą w okresie.", definition="Team meetings in P.")
def team_meetings(p):
    return _meetings(p)


@indicator("AR_TEAM_MEETINGS_NEW_FAMILIES", "Posiedzenia zespołu dotyczące rodzin rozpoczynających wsparcie",
           "Team meetings about families starting support", legal_basis=UWR_ASSISTANT, record_type=OTHER,
           group=GROUP, order=230,
           definition_pl="Z tego posiedzenia dotyczące rodziny rozpoczynającej wsparcie.",
           definition="Team meetings in P about a family starting support.")
def team_meetings_new(p):
    return _meetings(p, T.c.new_family.is_(True))
