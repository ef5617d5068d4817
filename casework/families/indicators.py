"""Family-assistance indicators (AR_) from families, support periods and assignments; see INDICATORS.md.

Conventions: archived families and archived members are not counted (archiving removes records entered by
mistake); a family counts once however many support periods or assistants it had; where one support period of a
family must be chosen (ending reason, basis, duration), it is the latest one in question.
"""
from sqlalchemy import and_, case, exists, func, literal, or_, select

from casework.auth.models import User
from casework.core.dictionaries import DictionaryEntry
from casework.core.settings import get_setting
from casework.families.models import (BASIS_COURT_ORDER, RELATION_CHILD, AssistantAssignment, Family,
                                      FamilyMember, SupportPeriod)
from casework.core.quality import check
from casework.core.indicators import MEMBER, SUPPORT_PERIOD, USER, indicator, key_of
from casework.core.sql import (add_days, day, greatest, least, months_within, open_on, overlaps,
                                     under_18_some_day)

F = Family.__table__
M = FamilyMember.__table__
SP = SupportPeriod.__table__
AA = AssistantAssignment.__table__
U = User.__table__
D = DictionaryEntry.__table__

UWR = "ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej"
UWR_ASSISTANT = UWR + ", art. 15"
UWR_REPORT = UWR + ", art. 179"
ZA_ZYCIEM = "ustawa z dnia 4 listopada 2016 r. o wsparciu kobiet w ciąży i rodzin „Za życiem”, art. 8"
GROUP = "1 AR"

END_REASON_CODES = ("goals_achieved", "no_cooperation", "no_effects", "moved_away", "other")
DURATION_SETTING = "indicators.duration_bucket_months"


def family_label():
    return F.c.case_number + literal(" ") + F.c.name


def member_label():
    return M.c.last_name + literal(" ") + M.c.first_name + literal(" (") + F.c.case_number + literal(")")


def families_where(*conditions):
    """One row per family (not archived) satisfying the conditions."""
    return (select(F.c.id.label("id"), family_label().label("label"), F.c.id.label("family_id"))
            .where(F.c.archived_at.is_(None), *conditions))


def period_exists(*conditions):
    """The family (F) has a support period satisfying the conditions (on the period alone). Written as an IN over
    the matching periods, so the database can start from the few periods of a report period instead of probing
    every family of ten years (SQLite chose the latter for a correlated EXISTS: 21 ms → 6 ms a count at the city
    tier, and ~20 indicators use it; PostgreSQL plans both as the same semi-join)."""
    return F.c.id.in_(select(SP.c.family_id).where(*conditions))


def children_where(*period_conditions, of_child=None):
    """Household children (not archived) of non-archived families with a support period matching
    `period_conditions` (on the period alone) and, when given, `of_child` (on the child and that same period, e.g.
    under 18 on some day of it). The families are found from their matching periods first (an IN), so the database
    does not walk every child of ten years (see period_exists)."""
    conditions = [M.c.family_id.in_(select(SP.c.family_id).where(*period_conditions))]
    if of_child is not None:
        conditions.append(exists(select(SP.c.id).where(SP.c.family_id == M.c.family_id, *period_conditions,
                                                       of_child)))
    return (select(M.c.id.label("id"), member_label().label("label"), M.c.family_id.label("family_id"))
            .select_from(M.join(F, F.c.id == M.c.family_id))
            .where(M.c.relation == RELATION_CHILD, M.c.in_household.is_(True), M.c.archived_at.is_(None),
                   F.c.archived_at.is_(None), *conditions))


def latest_period(where, order_by):
    """Per family, the one support period satisfying `where` that comes first by `order_by` (window function)."""
    rn = func.row_number().over(partition_by=SP.c.family_id, order_by=order_by).label("rn")
    ranked = select(SP, rn).where(where).subquery()
    return ranked


# --- assistants and families supported ------------------------------------------------------------------

@indicator("AR_ASSISTANTS", "Asystenci rodziny zatrudnieni w okresie", "Family assistants in the period",
           legal_basis=UWR_ASSISTANT, record_type=USER, group=GROUP, order=10,
           definition_pl="Liczba różnych asystentów z przydziałem do rodziny trwającym choćby jeden dzień okresu.",
           definition="Distinct assistants with an assignment overlapping the period.")
def assistants(p):
    return (select(U.c.id.label("id"), U.c.full_name.label("label"))
            .where(exists(select(AA.c.id).select_from(AA.join(F, F.c.id == AA.c.family_id))
                          .where(AA.c.assistant_id == U.c.id, F.c.archived_at.is_(None),
                                 overlaps(AA.c.start_date, AA.c.end_date, p)))))


@indicator("AR_FAMILIES_SUPPORTED", "Rodziny objęte wsparciem asystenta", "Families supported by an assistant",
           legal_basis=UWR_REPORT, group=GROUP, order=20,
           definition_pl="Rodziny z okresem wsparcia nachodzącym na okres sprawozdawczy (rodzina liczona raz).",
           definition="Families with a support period overlapping the period (a family counts once).")
def families_supported(p):
    return families_where(period_exists(overlaps(SP.c.start_date, SP.c.end_date, p)))


@indicator("AR_CHILDREN_IN_SUPPORTED_FAMILIES", "Dzieci w rodzinach objętych wsparciem",
           "Children in supported families", legal_basis=UWR_REPORT, record_type=MEMBER, group=GROUP, order=30,
           definition_pl="Dzieci (członkowie gospodarstwa domowego) rodzin objętych wsparciem, które w którymś dniu"
                         " wspólnej części okresu wsparcia i okresu sprawozdawczego miały mniej niż 18 lat.",
           definition="Household members of supported families who are children (relation child), under 18 on "
                      "some day of the overlap of their family's support period with the period.")
def children_supported(p):
    first = greatest(SP.c.start_date, day(p.start))
    last = least(SP.c.end_date, day(p.end))
    return children_where(overlaps(SP.c.start_date, SP.c.end_date, p),
                          of_child=under_18_some_day(M.c.birth_date, first, last))


@indicator("AR_FAMILIES_STARTED", "Rodziny, z którymi rozpoczęto pracę", "Families whose support started",
           legal_basis=UWR_REPORT, group=GROUP, order=40,
           definition_pl="Rodziny, których okres wsparcia rozpoczął się w okresie sprawozdawczym.",
           definition="Families whose support period started in the period.")
def families_started(p):
    return families_where(period_exists(SP.c.start_date.between(day(p.start), day(p.end))))


# --- ended, by reason -----------------------------------------------------------------------------------

def _ended(p):
    """Per family, its last support period that ended in the period, with the report code of its end reason."""
    ranked = latest_period(SP.c.end_date.between(day(p.start), day(p.end)),
                           (SP.c.end_date.desc(), SP.c.id.desc()))
    mapped = func.coalesce(D.c.maps_to, D.c.code)
    reason = case((mapped.in_(END_REASON_CODES[:-1]), mapped), else_=literal("other"))
    return (select(F.c.id.label("id"), family_label().label("label"), F.c.id.label("family_id"),
                   reason.label("key"))
            .select_from(ranked.join(F, F.c.id == ranked.c.family_id)
                         .outerjoin(D, D.c.id == ranked.c.end_reason_id))
            .where(ranked.c.rn == 1, F.c.archived_at.is_(None)))


@indicator("AR_FAMILIES_ENDED", "Rodziny, z którymi zakończono pracę", "Families whose support ended",
           legal_basis=UWR_REPORT, group=GROUP, order=50,
           parts=tuple("AR_ENDED_" + c.upper() for c in END_REASON_CODES),
           definition_pl="Rodziny, których okres wsparcia zakończył się w okresie sprawozdawczym (o powodzie "
                         "decyduje ostatni z nich).",
           definition="Families whose support period ended in the period (the last one counts for the reason).")
def families_ended(p):
    return _ended(p)




for _n, (_code, _pl, _en) in enumerate([
        ("goals_achieved", "zakończono: osiągnięcie celów", "ended: goals achieved"),
        ("no_cooperation", "zakończono: rezygnacja ze współpracy / wycofanie zgody",
         "ended: the family stopped cooperating or withdrew consent"),
        ("no_effects", "zakończono: brak efektów", "ended: no effects"),
        ("moved_away", "zakończono: zmiana miejsca zamieszkania", "ended: moved away"),
        ("other", "zakończono: inny powód (także bez podanego powodu)", "ended: other reason (or none given)"),
]):
    indicator("AR_ENDED_" + _code.upper(), _pl, _en, legal_basis=UWR_REPORT, group=GROUP, order=51 + _n,
              definition_pl=f"Rodziny z AR_FAMILIES_ENDED, których powód zakończenia należy do kategorii „{_pl}”"
              + (" (także powody spoza pięciu kategorii i brak powodu)." if _code == "other" else "."),
              definition=f"Families of AR_FAMILIES_ENDED whose end reason maps to '{_code}' (dictionary maps_to)."
              + (" Reasons mapped elsewhere and missing reasons count here." if _code == "other" else ""))(
        key_of(_ended, _code))


# --- active at the end, by basis ------------------------------------------------------------------------

def _active_at_end(p):
    ranked = latest_period(open_on(SP.c.start_date, SP.c.end_date, p.end), (SP.c.start_date.desc(), SP.c.id.desc()))
    key = case((ranked.c.basis == BASIS_COURT_ORDER, literal("court_ordered")), else_=literal("voluntary"))
    return (select(F.c.id.label("id"), family_label().label("label"), F.c.id.label("family_id"), key.label("key"))
            .select_from(ranked.join(F, F.c.id == ranked.c.family_id))
            .where(ranked.c.rn == 1, F.c.archived_at.is_(None)))


@indicator("AR_FAMILIES_ACTIVE_AT_END", "Rodziny objęte wsparciem na koniec okresu",
           "Families supported on the last day", legal_basis=UWR_REPORT, group=GROUP, order=60,
           parts=("AR_ACTIVE_AT_END_COURT_ORDERED", "AR_ACTIVE_AT_END_VOLUNTARY"),
           definition_pl="Rodziny z okresem wsparcia trwającym w ostatnim dniu okresu sprawozdawczego.",
           definition="Families with a support period open on the last day of the period.")
def active_at_end(p):
    return _active_at_end(p)




indicator("AR_ACTIVE_AT_END_COURT_ORDERED", "w tym zobowiązane przez sąd", "of which court-ordered",
          legal_basis=UWR + ", art. 11 ust. 3", group=GROUP, order=61,
          definition_pl="Rodziny z AR_FAMILIES_ACTIVE_AT_END, których trwający okres wsparcia wynika z "
                        "postanowienia sądu.",
          definition="AR_FAMILIES_ACTIVE_AT_END whose open support period rests on a court order.")(
    key_of(_active_at_end, "court_ordered"))
indicator("AR_ACTIVE_AT_END_VOLUNTARY", "w tym na wniosek pracownika socjalnego (dobrowolnie)",
          "of which voluntary (referral)", legal_basis=UWR + ", art. 11 ust. 2", group=GROUP, order=62,
          definition_pl="Rodziny z AR_FAMILIES_ACTIVE_AT_END, których trwający okres wsparcia jest dobrowolny (na "
                        "wniosek).",
          definition="AR_FAMILIES_ACTIVE_AT_END whose open support period is voluntary (referral).")(
    key_of(_active_at_end, "voluntary"))


@indicator("AR_FAMILIES_COURT_ORDERED", "Rodziny zobowiązane przez sąd do współpracy z asystentem",
           "Families ordered by a court to work with an assistant", legal_basis=UWR + ", art. 11 ust. 3",
           group=GROUP, order=70,
           definition_pl="Rodziny objęte wsparciem, których okres wsparcia w okresie sprawozdawczym wynika z "
                         "postanowienia sądu.",
           definition="Supported families with a support period overlapping the period that rests on a court "
                      "order.")
def court_ordered(p):
    return families_where(period_exists(overlaps(SP.c.start_date, SP.c.end_date, p),
                                        SP.c.basis == BASIS_COURT_ORDER))


# --- length of cooperation ------------------------------------------------------------------------------

def duration_buckets() -> tuple[int, int]:
    """The two bounds (months); the declared setting checks they are whole numbers in ascending order."""
    short, long_ = get_setting(DURATION_SETTING)
    return int(short), int(long_)


def _duration(p, buckets=None):
    short, long_ = buckets or duration_buckets()
    ranked = latest_period(overlaps(SP.c.start_date, SP.c.end_date, p), (SP.c.start_date.desc(), SP.c.id.desc()))
    end = least(ranked.c.end_date, day(p.end))
    key = case((months_within(ranked.c.start_date, end, short), literal("up_to_3m")),
               (months_within(ranked.c.start_date, end, long_), literal("3_to_12m")),
               else_=literal("over_12m"))
    return (select(F.c.id.label("id"), family_label().label("label"), F.c.id.label("family_id"), key.label("key"))
            .select_from(ranked.join(F, F.c.id == ranked.c.family_id))
            .where(ranked.c.rn == 1, F.c.archived_at.is_(None)))




for _n, (_key, _pl, _en, _def, _def_pl) in enumerate([
        ("up_to_3m", "czas współpracy: do 3 miesięcy", "cooperation up to 3 months", "end ≤ start + 3 months",
         "koniec ≤ początek + 3 miesiące"),
        ("3_to_12m", "czas współpracy: od 3 do 12 miesięcy", "cooperation 3 to 12 months",
         "start + 3 months < end ≤ start + 12 months", "początek + 3 miesiące < koniec ≤ początek + 12 miesięcy"),
        ("over_12m", "czas współpracy: powyżej 12 miesięcy", "cooperation over 12 months", "end > start + 12 months",
         "koniec > początek + 12 miesięcy"),
]):
    indicator("AR_DURATION_" + _key.upper(), _pl, _en, legal_basis=UWR_REPORT, group=GROUP, order=80 + _n,
              definition_pl="Rodziny objęte wsparciem według długości ostatniego okresu wsparcia w okresie "
                            "sprawozdawczym, od jego początku do wcześniejszej z dat: zakończenia i ostatniego "
                            "dnia okresu: " + _def_pl + " (miesiące kalendarzowe; granice przedziałów w ustawieniu "
                            + DURATION_SETTING + ").",
              definition="Supported families by the length of their latest support period overlapping the period, "
                         "from its start to the earlier of its end and the last day of the period: " + _def
                         + " (calendar months; boundaries set by the setting " + DURATION_SETTING + ").")(
        key_of(_duration, _key))


# --- Za życiem and monitoring ---------------------------------------------------------------------------

# AR_ZA_ZYCIEM_REQUESTS and AR_ZA_ZYCIEM_FAMILIES live in casework/support/indicators.py: they count the
# requests on support periods and those recorded on their own (issue 18, item 9).


def _monitoring_in(p):
    """Monitoring runs from the day after the end of support to monitoring_until, and touches the period."""
    return and_(SP.c.end_date.is_not(None), SP.c.monitoring_until.is_not(None),
                SP.c.monitoring_until > SP.c.end_date, SP.c.end_date < day(p.end),
                SP.c.monitoring_until >= day(p.start))


@indicator("AR_FAMILIES_MONITORED", "Rodziny monitorowane po zakończeniu pracy",
           "Families monitored after support", legal_basis=UWR + ", art. 15 ust. 1 pkt 16", group=GROUP, order=100,
           definition_pl="Rodziny monitorowane po zakończeniu pracy (od dnia po zakończeniu do daty monitorowania) "
                         "w którymś dniu okresu.",
           definition="Families in post-support monitoring (the day after the end to the monitoring date) on some "
                      "day of the period.")
def families_monitored(p):
    return families_where(period_exists(_monitoring_in(p)))


@indicator("AR_CHILDREN_IN_MONITORED_FAMILIES", "Dzieci w rodzinach monitorowanych",
           "Children in monitored families", legal_basis=UWR + ", art. 15 ust. 1 pkt 16", record_type=MEMBER,
           group=GROUP, order=101,
           definition_pl="Dzieci rodzin monitorowanych, które w którymś dniu monitorowania w okresie miały mniej "
                         "niż 18 lat.",
           definition="Household children of monitored families, under 18 on some day of the monitoring within "
                      "the period.")
def children_monitored(p):
    first = greatest(add_days(SP.c.end_date, 1), day(p.start))
    last = least(SP.c.monitoring_until, day(p.end))
    return children_where(_monitoring_in(p), of_child=under_18_some_day(M.c.birth_date, first, last))




# --- data-quality checks before closing a period ----------------------------------------------------------

def _periods_where(p, *conditions):
    return (select(SP.c.id.label("id"), family_label().label("label"), SP.c.family_id.label("family_id"))
            .select_from(SP.join(F, F.c.id == SP.c.family_id))
            .where(F.c.archived_at.is_(None), overlaps(SP.c.start_date, SP.c.end_date, p), *conditions))


@check("AR_Q_NO_END_REASON", "Okresy wsparcia zakończone bez powodu zakończenia",
       "Support periods ended without an end reason", record_type=SUPPORT_PERIOD, order=10)
def q_no_end_reason(p):
    return _periods_where(p, SP.c.end_date.is_not(None), SP.c.end_reason_id.is_(None))


@check("AR_Q_OTHER_WITHOUT_TEXT", "Powód zakończenia „inny” bez opisu",
       "End reason 'other' without an explanation", record_type=SUPPORT_PERIOD, order=11)
def q_other_without_text(p):
    return _periods_where(p, SP.c.end_reason_id.in_(select(D.c.id).where(D.c.requires_text.is_(True))),
                          or_(SP.c.end_reason_text.is_(None), SP.c.end_reason_text == ""))


@check("AR_Q_NO_START_BASIS", "Okresy wsparcia bez podstawy rozpoczęcia (daty wniosku lub postanowienia sądu)",
       "Support periods without a start basis (referral date or court order date)", record_type=SUPPORT_PERIOD,
       order=12)
def q_no_start_basis(p):
    return _periods_where(p, or_(and_(SP.c.basis == BASIS_COURT_ORDER, SP.c.court_order_date.is_(None)),
                                 and_(SP.c.basis != BASIS_COURT_ORDER, SP.c.referral_date.is_(None))))


@check("AR_Q_END_BEFORE_START", "Okresy wsparcia kończące się przed rozpoczęciem",
       "Support periods ending before they start", record_type=SUPPORT_PERIOD, order=13)
def q_end_before_start(p):
    return _periods_where(p, SP.c.end_date < SP.c.start_date)


@check("AR_Q_NO_ASSISTANT", "Okresy wsparcia bez przydzielonego asystenta",
       "Support periods without an assigned assistant", record_type=SUPPORT_PERIOD, order=14)
def q_no_assistant(p):
    return _periods_where(p, ~exists(select(AA.c.id).where(AA.c.support_period_id == SP.c.id)))


@check("AR_Q_CHILD_NO_BIRTH_DATE", "Dzieci bez daty urodzenia", "Children without a birth date",
       record_type=MEMBER, order=20)
def q_child_no_birth_date(p):
    return children_where(overlaps(SP.c.start_date, SP.c.end_date, p)).where(M.c.birth_date.is_(None))
