"""Indicators of issue 18's registers (see INDICATORS.md): the waiting list, supporting families, "Za życiem"
requests counted with and without a support period, the interdisciplinary team's members and the diagnostic groups
formed. Each returns the records behind the number (the engine aggregates the same query)."""
from sqlalchemy import Integer, String, cast, exists, func, literal, not_, or_, select

from casework.bluecard.indicators import GROUP as NK_GROUP
from casework.bluecard.indicators import LAW as NK_LAW
from casework.bluecard.models import Procedure
from casework.contacts.models import Institution
from casework.core.indicators import DECIMAL, MEMBER, OTHER, SUPPORT_PERIOD, indicator
from casework.core.sql import day, overlaps
from casework.families.indicators import (GROUP, UWR, ZA_ZYCIEM, children_where, families_where, family_label,
                                          period_exists)
from casework.families.models import Family, FamilyMember, SupportPeriod
from casework.support import waiting
from casework.support.models import (DaySupportAttendance, SupportingFamily, SupportingFamilyCost,
                                     SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)

F = Family.__table__
SP = SupportPeriod.__table__
SF = SupportingFamily.__table__
SH = SupportingFamilyHelp.__table__
TM = TeamMembership.__table__
ZR = ZaZyciemRequest.__table__
SC = SupportingFamilyCost.__table__
DA = DaySupportAttendance.__table__
NK = Procedure.__table__
I = Institution.__table__  # noqa: E741
M = FamilyMember.__table__

UWR_17 = UWR + ", art. 17 i art. 179"
UWR_29 = UWR + ", art. 29–30"


# --- the waiting list ----------------------------------------------------------------------------------------

@indicator("AR_FAMILIES_WAITING_AT_END", "Rodziny oczekujące na przydzielenie asystenta (ostatni dzień okresu)",
           "Families waiting for an assistant on the last day", legal_basis=UWR_17, group=GROUP, order=300,
           definition_pl="Rodziny skierowane do asystenta (wniosek pracownika socjalnego albo postanowienie sądu), "
                         "którym w ostatnim dniu okresu nie przydzielono jeszcze asystenta.",
           definition="Families referred for an assistant (a social worker's request or a court order) and not yet "
                      "assigned one on the last day of P.")
def families_waiting(p):
    return families_where(period_exists(waiting.waiting_on(p.end)))


@indicator("AR_WAITING_DAYS_MEDIAN", "Mediana dni oczekiwania na asystenta", "Median days waited for an assistant",
           legal_basis=UWR_17, kind=DECIMAL, record_type=SUPPORT_PERIOD, group=GROUP, order=310,
           definition_pl="Mediana liczby dni od skierowania do pierwszego przydziału asystenta, dla pierwszych "
                         "przydziałów rozpoczętych w okresie (lista: wszystkie te przydziały z liczbą dni; kwota to "
                         "udział w medianie).",
           definition="The median days from referral to the first assignment, for first assignments that started "
                      "in P (the list shows every such assignment with its days; the amount is its share of the "
                      "median).")
def waiting_days_median(p):
    ranked, share = waiting.median_rows(p.start, p.end)
    label = (ranked.c.case_number + literal(" ") + ranked.c.name + literal(" — ")
             + cast(ranked.c.days, String(12)) + literal(" dni"))
    return select(ranked.c.id.label("id"), label.label("label"), ranked.c.family_id.label("family_id"),
                  share.label("amount"))


# --- supporting families (art. 29–30 UWR) ----------------------------------------------------------------------

@indicator("AR_SUPPORTING_FAMILIES", "Rodziny wspierające", "Supporting families", legal_basis=UWR_29,
           record_type=OTHER, group=GROUP, order=320,
           definition_pl="Rodziny wspierające (art. 29 UWR) ustanowione w którymś dniu okresu.",
           definition="Supporting families (art. 29 UWR) active on some day of P.")
def supporting_families(p):
    return (select(SF.c.id.label("id"), SF.c.name.label("label"))
            .where(SF.c.archived_at.is_(None), overlaps(SF.c.start_date, SF.c.end_date, p)))


@indicator("AR_FAMILIES_WITH_SUPPORTING_FAMILY", "Rodziny, którym pomagała rodzina wspierająca",
           "Families helped by a supporting family", legal_basis=UWR_29, group=GROUP, order=330,
           definition_pl="Rodziny, którym rodzina wspierająca pomagała w którymś dniu okresu (rodzina liczona raz).",
           definition="Families a supporting family helped on some day of P (a family counts once).")
def families_with_supporting_family(p):
    return families_where(exists(select(SH.c.id).select_from(SH.join(SF, SF.c.id == SH.c.supporting_family_id))
                                 .where(SH.c.family_id == F.c.id, SH.c.archived_at.is_(None),
                                        SF.c.archived_at.is_(None), overlaps(SH.c.start_date, SH.c.end_date, p))))


# --- "Za życiem": requests on a support period and requests recorded on their own --------------------------------

def _standalone_live():
    return ZR.c.archived_at.is_(None)


@indicator("AR_ZA_ZYCIEM_REQUESTS", "Wnioski o wsparcie asystenta w ramach „Za życiem”",
           "Za życiem requests", legal_basis=ZA_ZYCIEM, record_type=SUPPORT_PERIOD, group=GROUP, order=90,
           definition_pl="Wnioski „Za życiem” złożone w okresie: zapisane w okresie wsparcia oraz zarejestrowane "
                         "osobno (także bez okresu wsparcia; na liście z numerem ujemnym). Okres wsparcia, do "
                         "którego zarejestrowano wniosek osobno, liczy się raz.",
           definition="Za życiem requests filed in P: those recorded on a support period and those recorded on "
                      "their own (with or without a support period; listed with a negative id). A support period "
                      "with a request recorded on its own counts once.")
def za_zyciem_requests(p):
    on_periods = (select(SP.c.id.label("id"),
                         (family_label() + literal(" — ") + cast(SP.c.za_zyciem_request_date, String(10)))
                         .label("label"), SP.c.family_id.label("family_id"))
                  .select_from(SP.join(F, F.c.id == SP.c.family_id))
                  .where(F.c.archived_at.is_(None), SP.c.za_zyciem_request_date.between(day(p.start), day(p.end)),
                         not_(exists(select(ZR.c.id).where(ZR.c.support_period_id == SP.c.id, _standalone_live())))))
    standalone = (select(cast(-ZR.c.id, Integer).label("id"),
                         (family_label() + literal(" — ") + cast(ZR.c.request_date, String(10))).label("label"),
                         ZR.c.family_id.label("family_id"))
                  .select_from(ZR.join(F, F.c.id == ZR.c.family_id))
                  .where(F.c.archived_at.is_(None), _standalone_live(),
                         ZR.c.request_date.between(day(p.start), day(p.end))))
    return on_periods.union_all(standalone)


@indicator("AR_ZA_ZYCIEM_FAMILIES", "Rodziny objęte wsparciem „Za życiem”", "Families with Za życiem support",
           legal_basis=ZA_ZYCIEM, group=GROUP, order=91,
           definition_pl="Rodziny objęte wsparciem w okresie, które złożyły wniosek „Za życiem” najpóźniej w jego "
                         "ostatnim dniu, oraz rodziny, w których asystent koordynował wsparcie „Za życiem” w którymś "
                         "dniu okresu — z okresem wsparcia lub bez niego (rodzina liczona raz).",
           definition="Families with a support period overlapping P and a Za życiem request filed on or before its "
                      "last day, and families whose Za życiem support an assistant coordinated on some day of P, "
                      "with or without a support period (a family counts once).")
def za_zyciem_families(p):
    on_period = exists(select(SP.c.id).where(SP.c.family_id == F.c.id, overlaps(SP.c.start_date, SP.c.end_date, p),
                                             SP.c.za_zyciem_request_date.is_not(None),
                                             SP.c.za_zyciem_request_date <= day(p.end)))
    coordinated = exists(select(ZR.c.id).where(ZR.c.family_id == F.c.id, _standalone_live(),
                                               ZR.c.assistant_id.is_not(None),
                                               ZR.c.coordination_start.is_not(None),
                                               overlaps(ZR.c.coordination_start, ZR.c.coordination_end, p)))
    return families_where(or_(on_period, coordinated))


@indicator("AR_SUPPORTING_FAMILY_COSTS", "Zwrot kosztów rodzinom wspierającym (zł)",
           "Costs reimbursed to supporting families (PLN)", legal_basis=UWR + ", art. 30 ust. 1", kind=DECIMAL,
           record_type=OTHER, group=GROUP, order=330,
           definition_pl="Koszty zwrócone rodzinom wspierającym za miesiące okresu (wpisy zwrotu przy pomocy "
                         "rodzinie; pomoc zarchiwizowana się nie liczy).",
           definition="Costs reimbursed to supporting families for the months of the period (the reimbursement "
                      "entries of their help; archived help does not count).")
def supporting_family_costs(p):
    label = SF.c.name + literal(" ") + func.substr(cast(SC.c.month, String(10)), 1, 7)
    return (select(SC.c.id.label("id"), label.label("label"), SC.c.amount.label("amount"))
            .select_from(SC.join(SH, SH.c.id == SC.c.help_id).join(SF, SF.c.id == SH.c.supporting_family_id))
            .where(SH.c.archived_at.is_(None), SC.c.month.between(day(p.start), day(p.end))))


# --- day support (placówki wsparcia dziennego) -------------------------------------------------------------------

def _attending(p):
    """A child's attendance at a day-support facility overlapping P (not archived)."""
    return (DA.c.archived_at.is_(None), overlaps(DA.c.start_date, DA.c.end_date, p))


@indicator("AR_CHILDREN_IN_DAY_SUPPORT", "Dzieci z rodzin objętych wsparciem uczęszczające do placówek wsparcia "
           "dziennego", "Children of supported families attending day-support facilities",
           legal_basis=UWR + ", art. 18–24", record_type=MEMBER, group=GROUP, order=335,
           definition_pl="Dzieci rodzin z okresem wsparcia nachodzącym na okres, z obecnością w placówce wsparcia "
                         "dziennego nachodzącą na okres (dziecko liczone raz).",
           definition="Children of families with a support period overlapping P whose attendance at a day-support "
                      "facility overlaps P (a child counts once).")
def children_in_day_support(p):
    return children_where(overlaps(SP.c.start_date, SP.c.end_date, p)).where(
        exists(select(DA.c.id).where(DA.c.member_id == M.c.id, *_attending(p))))


@indicator("AR_DAY_SUPPORT_FACILITIES_USED", "Placówki wsparcia dziennego, do których uczęszczały dzieci z rodzin "
           "objętych wsparciem", "Day-support facilities attended by children of supported families",
           legal_basis=UWR + ", art. 18–24", record_type=OTHER, group=GROUP, order=336,
           definition_pl="Placówki wsparcia dziennego, w których w okresie uczęszczało choćby jedno dziecko rodziny "
                         "objętej wsparciem w okresie.",
           definition="Day-support facilities where at least one child of a family supported in P attended in P.")
def day_support_facilities_used(p):
    # from the attendances of the period's children to their facilities (an IN), not every institution probed
    children = select(children_in_day_support(p).subquery().c.id)
    return (select(I.c.id.label("id"), I.c.name.label("label"))
            .where(I.c.id.in_(select(DA.c.institution_id).where(DA.c.member_id.in_(children), *_attending(p)))))


# --- the interdisciplinary team and its diagnostic groups ----------------------------------------------------------

@indicator("NK_TEAM_MEMBERS", "Członkowie zespołu interdyscyplinarnego", "Members of the interdisciplinary team",
           legal_basis=NK_LAW + ", art. 9a", record_type=OTHER, group=NK_GROUP, order=90,
           definition_pl="Członkowie zespołu interdyscyplinarnego w ostatnim dniu okresu (z rejestru członków).",
           definition="Members of the interdisciplinary team on the last day of P (from the membership register).")
def team_members(p):
    represents = func.coalesce(select(I.c.name).where(I.c.id == TM.c.institution_id).scalar_subquery(),
                               TM.c.institution_name, literal(""))
    label = TM.c.full_name + literal(" (") + represents + literal(")")
    return (select(TM.c.id.label("id"), label.label("label"))
            .where(TM.c.archived_at.is_(None), TM.c.appointed_on <= day(p.end),
                   or_(TM.c.ended_on.is_(None), TM.c.ended_on >= day(p.end))))


@indicator("NK_GROUPS_FORMED", "Utworzone grupy diagnostyczno-pomocowe", "Diagnostic groups formed",
           legal_basis=NK_LAW + ", art. 9a ust. 10", record_type=OTHER, group=NK_GROUP, order=95,
           definition_pl="Grupy diagnostyczno-pomocowe utworzone w okresie (procedury przekazane grupie w okresie).",
           definition="Diagnostic groups formed in P (procedures handed to a group in P).")
def groups_formed(p):
    return (select(NK.c.id.label("id"), NK.c.number.label("label"))
            .where(NK.c.to_group_on.is_not(None), NK.c.to_group_on >= day(p.start), NK.c.to_group_on <= day(p.end)))

