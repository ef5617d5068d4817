"""Runs the data-quality checks before a period is closed. The check contract (`Check`, `@check`, `all_checks`)
is in casework.core.quality; domains register theirs next to their indicators.

The checks at the end of this module list what the rules of issue 15 refuse today but an existing database may
still hold (nothing is changed, only reported): blank assessments, visits saved twice, implausible PESEL numbers,
assistants over the caseload cap on some day of the period, and overlapping support periods of one family. Each
calls the rule's own function in its domain (assessments/visits/families rules), so the report and the refusal
cannot drift apart.
"""
from sqlalchemy import func, or_, select

from casework.assessments.rules import blank_assessments
from casework.auth.models import User
from casework.core.indicators import MEMBER, SUPPORT_PERIOD, USER
from casework.core.quality import Check, all_checks, check
from casework.extensions import db
from casework.families.models import Family, FamilyMember, SupportPeriod
from casework.families.rules import assistants_over_cap, caseload_cap, member_findings, overlapping_periods
from casework.visits.rules import duplicate_visits


def _run_listed(chk: Check, period, limit: int) -> dict | None:
    records = sorted(chk.rows(period), key=lambda r: (str(r["label"]), r["id"]))
    if not records:
        return None
    return {"check": chk, "count": len(records),
            "records": [{"id": r["id"], "label": r["label"], "family_id": r.get("family_id"),
                         "link": r.get("link")} for r in records[:limit]]}


def run(period, *, limit: int = 50) -> list[dict]:
    """[{check, count, records: [{id, label, family_id[, link]}]}] for every check that finds something."""
    found = []
    for chk in all_checks():
        if chk.listed:
            item = _run_listed(chk, period, limit)
            if item is not None:
                found.append(item)
            continue
        sub = chk.rows(period).subquery()
        count = db.session.scalar(select(func.count()).select_from(sub))
        if not count:
            continue
        cols = [sub.c.id, sub.c.label] + ([sub.c.family_id] if "family_id" in sub.c else [])
        rows = db.session.execute(select(*cols).order_by(sub.c.label, sub.c.id).limit(limit)).all()
        found.append({"check": chk, "count": count,
                      "records": [{"id": r.id, "label": r.label,
                                   "family_id": getattr(r, "family_id", None)} for r in rows]})
    return found


# --- the rules of issue 15, as they find records already stored ------------------------------------------------

def _families_in(period) -> set:
    """Families with a support period overlapping `period` (the ones the period's figures are made of)."""
    return set(db.session.scalars(select(SupportPeriod.family_id).where(
        SupportPeriod.start_date <= period.end,
        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= period.start))))


def _case_numbers(family_ids) -> dict:
    ids = list(family_ids)
    if not ids:
        return {}
    return {fid: (number, name) for fid, number, name in db.session.execute(
        select(Family.id, Family.case_number, Family.name).where(Family.id.in_(ids)))}


@check("Q_BLANK_ASSESSMENT", "Oceny okresowe, które nic nie mówią (bez opisu postępów i zmian)",
       "Half-yearly assessments that say nothing (no progress or changes described)", record_type="assessment",
       order=30)
def q_blank_assessments(p):
    return blank_assessments(p.start, p.end)


@check("Q_DUPLICATE_VISIT", "Wizyty zapisane dwukrotnie (ta sama wizyta zapisana ponownie w ciągu kilku minut)",
       "Visits saved twice (the same visit saved again within minutes)", record_type="visit", order=31)
def q_duplicate_visits(p):
    return duplicate_visits(p.start, p.end)


@check("Q_IMPLAUSIBLE_PESEL", "Członkowie rodzin z nieprawdopodobnym numerem PESEL lub datą urodzenia",
       "Family members with an implausible PESEL or birth date", record_type=MEMBER, order=32, listed=True)
def q_implausible_pesel(p):
    families = _families_in(p)
    found = [(mid, fid, msgs) for mid, fid, msgs in member_findings() if fid in families]
    if not found:
        return []
    names = {mid: (first, last) for mid, first, last in db.session.execute(
        select(FamilyMember.id, FamilyMember.first_name, FamilyMember.last_name)
        .where(FamilyMember.id.in_([mid for mid, _f, _m in found])))}
    numbers = _case_numbers(fid for _m, fid, _msgs in found)
    out = []
    for mid, fid, msgs in found:
        first, last = names.get(mid, ("", ""))
        out.append({"id": mid, "family_id": fid,
                    "label": f"{numbers[fid][0]} {last} {first}: {' '.join(str(m) for m in msgs)}"})
    return out


@check("Q_CASELOAD_OVER_CAP", "Asystenci pracujący z większą liczbą rodzin niż limit (w którymś dniu okresu)",
       "Assistants working with more families than the cap on some day of the period", record_type=USER, order=33,
       listed=True)
def q_caseload_over_cap(p):
    cap = caseload_cap()
    rows = assistants_over_cap(p.start, p.end, cap=cap)
    if not rows:
        return []
    users = dict(db.session.execute(select(User.id, User.full_name).where(
        User.id.in_({assistant_id for assistant_id, *_rest in rows}))).all())
    numbers = _case_numbers({fid for *_r, families in rows for fid in families})
    out = []
    for assistant_id, day, count, families in rows:
        cases = ", ".join(numbers[fid][0] for fid in families if fid in numbers)
        out.append({"id": assistant_id, "family_id": None,
                    "link": ("families.index", {"assistant": assistant_id, "status": "active"}),
                    "label": f"{users.get(assistant_id, assistant_id)}: od {day.isoformat()} {count} rodzin "
                             f"(limit {cap}): {cases}"})
    return out


@check("Q_OVERLAPPING_PERIODS", "Rodziny z nakładającymi się okresami wsparcia",
       "Families with overlapping support periods", record_type=SUPPORT_PERIOD, order=34, listed=True)
def q_overlapping_periods(p):
    families = _families_in(p)
    pairs = [(fid, a, b) for fid, a, b in overlapping_periods() if fid in families]
    numbers = _case_numbers(fid for fid, _a, _b in pairs)
    return [{"id": a, "family_id": fid,
             "label": f"{numbers[fid][0]} {numbers[fid][1]}: okresy wsparcia #{a} i #{b} nakładają się"}
            for fid, a, b in pairs]
