"""A visit saved twice: plain checks used by the service (form, a second device) and by the importer, and the same
rule as SQL for the data-quality check before a period is closed.

Two visits are "the same visit saved twice" when every field the assistant types is equal (SAME_VISIT_FIELDS:
family, assistant, date, start time, duration, place, form, what was done, what was agreed; the areas of work are
a classification and do not make a second visit) and the second was created within DUPLICATE_WINDOW of the first.
That is what the browser's back button + "Zapisz", a double tap on a slow connection or the same visit typed on a
second device produce. Two real visits of a day without a start time differ once the second gets its start time
(the refusal says so), so nothing legitimate is blocked.
"""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, and_, cast, literal, or_, select
from sqlalchemy.orm import aliased

from casework.core.sql import seconds_between
from casework.core.timeutil import as_aware, to_local, utcnow
from casework.extensions import db
from casework.families.models import Family
from casework.visits.models import Visit

#: a second identical visit created this soon after the first is the first saved again
DUPLICATE_WINDOW = timedelta(minutes=15)
#: the fields that must all be equal (NULL equal to NULL) for two visits to be the same visit
SAME_VISIT_FIELDS = ("family_id", "assistant_id", "visit_date", "start_time", "duration_minutes", "place", "form",
                     "activities", "agreed_next")


class LinkedMessage(str):
    """A message for the user that points at a saved record; the page shows it with a link to
    url_for(endpoint, **values). It is still a plain (translated) string everywhere else."""

    endpoint: str
    values: dict
    link_text: str

    def __new__(cls, text: str, endpoint: str, link_text: str, **values):
        message = super().__new__(cls, text)
        message.endpoint, message.values, message.link_text = endpoint, values, link_text
        return message


def visit_key(values: dict) -> tuple:
    """The values that make two visits the same (blank texts count as missing), e.g. to find a row repeated
    inside one import sheet."""
    out = []
    for field in SAME_VISIT_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            value = value.strip() or None
        out.append(value)
    return tuple(out)


def recent_duplicate(values: dict, *, now: datetime | None = None) -> Visit | None:
    """The visit (not archived) equal to `values` (which must give family_id and assistant_id) in every
    SAME_VISIT_FIELDS and created within DUPLICATE_WINDOW before `now`; None when there is none."""
    key = dict(zip(SAME_VISIT_FIELDS, visit_key(values)))
    if key["family_id"] is None or key["assistant_id"] is None or key["visit_date"] is None:
        return None
    now = as_aware(now) if now is not None else utcnow()
    stmt = (select(Visit).where(Visit.archived_at.is_(None), Visit.created_at >= now - DUPLICATE_WINDOW,
                                *[getattr(Visit, f).is_not_distinct_from(key[f]) for f in SAME_VISIT_FIELDS])
            .order_by(Visit.created_at.desc(), Visit.id.desc()).limit(1))
    return db.session.scalar(stmt)


def duplicate_message(saved: Visit) -> LinkedMessage:
    """The refusal of a visit saved twice, with a link to the saved one."""
    created = to_local(saved.created_at)
    return LinkedMessage(
        _("This visit was already saved at %(time)s and was not saved a second time. If it was another visit "
          "that day, give its start time.", time=created.strftime("%H:%M") if created else ""),
        "visits.edit", _("Open the saved visit"), visit_id=saved.id)


def duplicate_problems(values: dict, *, now: datetime | None = None, recent: dict | None = None) -> list[str]:
    """The refusal of `values` as a visit saved twice ([] when it is not). `recent` (from recent_visits_by_key)
    answers from visits read once, for a path that checks many rows against the same stored visits (the import);
    without it the database is asked."""
    if recent is None:
        saved = recent_duplicate(values, now=now)
    else:
        key = visit_key(values)
        saved = None if None in key[:3] else recent.get(key)
    return [duplicate_message(saved)] if saved is not None else []


def recent_visits_by_key(now: datetime | None = None) -> dict[tuple, Visit]:
    """The visits (not archived) created within DUPLICATE_WINDOW before `now`, by visit_key (the latest of equal
    ones): the same rule as recent_duplicate, in one query for many rows."""
    now = as_aware(now) if now is not None else utcnow()
    visits = db.session.scalars(select(Visit).where(Visit.archived_at.is_(None),
                                                    Visit.created_at >= now - DUPLICATE_WINDOW)
                                .order_by(Visit.created_at, Visit.id))
    return {visit_key({f: getattr(v, f) for f in SAME_VISIT_FIELDS}): v for v in visits}


def duplicate_visits(start=None, end=None) -> Select:
    """Visits already in the database that repeat an earlier one (the same rule as the refusal: equal in
    SAME_VISIT_FIELDS, created within DUPLICATE_WINDOW after it; both not archived), dated within [start, end]
    when given. A Select of (id, label, family_id) of the later copy, in the shape of a data-quality check; the
    label is "case number, name, date, #id of the earlier visit"."""
    later = Visit.__table__
    earlier = aliased(Visit.__table__)
    f = Family.__table__
    # equal, NULL equal to NULL; a column that cannot be NULL compares with a plain `=`, which the database can
    # answer from the (family, date) index (IS NOT DISTINCT FROM cannot use one: PostgreSQL compared every visit
    # of the half-year with every visit of ten years on the coordinator's start page, 25 s at the city tier)
    same = [earlier.c[name] == later.c[name] if not later.c[name].nullable
            else earlier.c[name].is_not_distinct_from(later.c[name]) for name in SAME_VISIT_FIELDS]
    repeated = select(earlier.c.id).where(
        earlier.c.id != later.c.id, earlier.c.archived_at.is_(None), *same,
        or_(earlier.c.created_at < later.c.created_at,
            and_(earlier.c.created_at == later.c.created_at, earlier.c.id < later.c.id)),
        seconds_between(later.c.created_at, earlier.c.created_at) <= DUPLICATE_WINDOW.total_seconds(),
    ).correlate(later)
    first = repeated.order_by(earlier.c.id).limit(1).scalar_subquery()
    label = (f.c.case_number + literal(" ") + f.c.name + literal(" ") + cast(later.c.visit_date, f.c.name.type)
             + literal(" = #") + cast(first, f.c.name.type))
    stmt = (select(later.c.id.label("id"), label.label("label"), later.c.family_id.label("family_id"))
            .select_from(later.join(f, f.c.id == later.c.family_id))
            .where(later.c.archived_at.is_(None), repeated.exists()))
    if start is not None:
        stmt = stmt.where(later.c.visit_date >= start)
    if end is not None:
        stmt = stmt.where(later.c.visit_date <= end)
    return stmt
