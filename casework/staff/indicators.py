"""Staff and money (AR_STAFF_, AR_COST_) from the staff register; see INDICATORS.md. Archived entries (made by
mistake) are not counted. The data-quality checks of the register are in casework/staff/quality.py (imported
here so that they are found with the indicators)."""
from sqlalchemy import String, cast, func, literal, select

from casework.auth.models import User
from casework.core.dictionaries import DictionaryEntry
from casework.core.indicators import BY_KEY, DECIMAL, OTHER, USER, indicator
from casework.core.sql import day, open_on
from casework.staff import quality  # noqa: F401 - registers the register's data-quality checks
from casework.staff.models import (COST_SOURCE_LABELS, COST_SOURCES, EMPLOYMENT_FORM_LABELS, EMPLOYMENT_FORMS,
                                   EmploymentSpell, StaffCost, StaffTraining)

U = User.__table__
D = DictionaryEntry.__table__
ES = EmploymentSpell.__table__
TR = StaffTraining.__table__
SC = StaffCost.__table__

UWR = "ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej"
REPORT_BASIS = UWR + ", art. 187 ust. 6 i rozporządzenie w sprawie sprawozdań rzeczowo-finansowych (sprawozdanie gminy)"
STAFF_BASIS = UWR + ", art. 11–12 i art. 190; " + REPORT_BASIS
GROUP = "1 AR"
TRAINING_BASIS = UWR + ", art. 179 ust. 1 (sprawozdanie roczne: podnoszenie kwalifikacji asystenta)"


def _employed_on_last_day(p):
    """One row per person employed on the last day of the period (spells of one person never overlap)."""
    key = func.coalesce(D.c.maps_to, D.c.code)
    return (select(U.c.id.label("id"), U.c.full_name.label("label"), key.label("key"), ES.c.fte.label("amount"))
            .select_from(ES.join(U, U.c.id == ES.c.user_id).join(D, D.c.id == ES.c.form_id))
            .where(ES.c.archived_at.is_(None), open_on(ES.c.date_from, ES.c.date_to, p.end)))


@indicator("AR_STAFF_BY_EMPLOYMENT_FORM", "Asystenci rodziny według formy zatrudnienia (ostatni dzień okresu)",
           "Family assistants by form of employment (last day of the period)", legal_basis=STAFF_BASIS,
           kind=BY_KEY, record_type=USER, group=GROUP, order=300, keys=lambda: EMPLOYMENT_FORMS,
           key_labels=lambda: EMPLOYMENT_FORM_LABELS,
           definition_pl="Asystenci zatrudnieni w ostatnim dniu okresu, według formy zatrudnienia z ich okresu "
                         "zatrudnienia (umowa o pracę w zadaniowym czasie pracy, w innym systemie, umowa "
                         "cywilnoprawna, świadczenie usług, zatrudnienie przez podmiot, któremu zlecono zadanie).",
           definition="Assistants employed on the last day of the period, keyed by the form of employment of the "
                      "spell open on that day.")
def staff_by_form(p):
    sub = _employed_on_last_day(p).subquery()
    return select(sub.c.id, sub.c.label, sub.c.key)


@indicator("AR_STAFF_FTE", "Asystenci rodziny w przeliczeniu na pełne etaty (ostatni dzień okresu)",
           "Family assistants in full-time equivalents (last day of the period)", legal_basis=STAFF_BASIS,
           kind=DECIMAL, record_type=USER, group=GROUP, order=310,
           definition_pl="Suma wymiarów etatu (0–1) okresów zatrudnienia otwartych w ostatnim dniu okresu.",
           definition="The sum of the full-time equivalents of the spells open on the last day of the period.")
def staff_fte(p):
    sub = _employed_on_last_day(p).subquery()
    return select(sub.c.id, sub.c.label, sub.c.amount)


def _trainings(p):
    return (select(TR.c.id.label("id"), (TR.c.title + literal(" — ") + U.c.full_name).label("label"),
                   TR.c.hours.label("amount"))
            .select_from(TR.join(U, U.c.id == TR.c.user_id))
            .where(TR.c.archived_at.is_(None), TR.c.training_date.between(day(p.start), day(p.end))))


@indicator("AR_STAFF_TRAININGS", "Szkolenia asystentów rodziny", "Trainings attended by family assistants",
           legal_basis=TRAINING_BASIS, record_type=OTHER, group=GROUP,
           order=320, definition_pl="Szkolenia, w których asystenci uczestniczyli w okresie (szkolenie jednej "
                                    "osoby liczone raz).",
           definition="Trainings attended by assistants in the period (one per person and training).")
def staff_trainings(p):
    sub = _trainings(p).subquery()
    return select(sub.c.id, sub.c.label)


@indicator("AR_STAFF_TRAINING_HOURS", "Godziny szkoleń asystentów rodziny", "Hours of the assistants' trainings",
           legal_basis=TRAINING_BASIS, kind=DECIMAL, record_type=OTHER,
           group=GROUP, order=330, definition_pl="Suma godzin szkoleń asystentów z okresu.",
           definition="The hours of the assistants' trainings in the period.")
def staff_training_hours(p):
    return _trainings(p)


def _costs(p):
    return (select(SC.c.id.label("id"), (U.c.full_name + literal(" ") + func.substr(cast(SC.c.date_from, String(10)), 1, 7)
                                         ).label("label"),
                   SC.c.source.label("key"), SC.c.amount.label("amount"))
            .select_from(SC.join(U, U.c.id == SC.c.user_id))
            .where(SC.c.archived_at.is_(None), SC.c.date_to.between(day(p.start), day(p.end))))


@indicator("AR_COST_TOTAL", "Koszty zatrudnienia asystentów rodziny (zł)", "Cost of employing family assistants (PLN)",
           legal_basis=REPORT_BASIS, kind=DECIMAL, record_type=OTHER, group=GROUP, order=340,
           definition_pl="Koszty zatrudnienia asystentów za miesiące okresu (wpis obejmujący kilka miesięcy liczy "
                         "się w okresie swojego ostatniego miesiąca; wpis nie przekracza półrocza).",
           definition="The cost of employing assistants for the months of the period (an entry for several months "
                      "counts in the period of its last month; an entry never crosses a half-year).")
def cost_total(p):
    sub = _costs(p).subquery()
    return select(sub.c.id, sub.c.label, sub.c.amount)


@indicator("AR_COST_BY_SOURCE", "Koszty zatrudnienia asystentów według źródła finansowania (zł)",
           "Cost of employing assistants by source of funding (PLN)", legal_basis=REPORT_BASIS, kind=BY_KEY,
           record_type=OTHER, group=GROUP, order=350, keys=lambda: COST_SOURCES,
           key_labels=lambda: COST_SOURCE_LABELS,
           definition_pl="Koszty zatrudnienia asystentów z okresu według źródła: budżet gminy, dotacja z budżetu "
                         "państwa (np. program „Asystent rodziny”), środki UE, inne.",
           definition="The cost of employing assistants in the period by source: own budget, state programme, EU, "
                      "other.")
def cost_by_source(p):
    return _costs(p)
