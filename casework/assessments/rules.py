"""What an assessment must say: plain checks over values, used by the service (so by every path that writes an
assessment) and, as SQL, by the data-quality check before a period is closed.

The law (art. 15 ust. 1 pkt 15 UWR: "dokonywanie okresowej oceny sytuacji rodziny, nie rzadziej niż co pół roku, i
przekazywanie tej oceny" to the employer, art. 17 ust. 1) gives no form, but an "ocena sytuacji rodziny" handed to
the head of centre is a written statement about the family's situation measured against the plan of work (art. 15
ust. 3: the plan sets the actions, deadlines and expected effects). So an assessment counts only when it records at
least one of:
- the progress towards a goal of the plan (per goal),
- a written summary of the progress towards the plan's goals (`progress`),
- the changes in the family's situation (`changes`).
Strengths and risks, the recommendation and the dates alone are not an assessment of the situation: the dates are
prefilled, so a form saved with one tap would otherwise clear "ocena zaległa" and count in AR_ASSESSMENTS.

A text "says something" when, stripped of blanks and filler punctuation ("-", ".", "?" …), it has at least
MIN_TEXT_CHARS characters ("bez zmian" does, "-" or "ok" does not). The Python and the SQL test are the same rule.
"""
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, cast, exists, func, literal, not_, select

from casework.assessments.models import Assessment, AssessmentGoalProgress
from casework.families.models import Family

#: the fields of an assessment that can carry its substance (besides the per-goal progress rows)
SUBSTANCE_FIELDS = ("progress", "changes")
#: the shortest text that counts as saying something, after stripping FILLER at both ends
MIN_TEXT_CHARS = 3
#: blanks and punctuation people type to get past a required field
FILLER = " \t\r\n\u00a0.,;:!?-\u2013\u2014_*/"


def says_something(text: str | None) -> bool:
    return len((text or "").strip(FILLER)) >= MIN_TEXT_CHARS


def is_blank(values: dict, goal_texts: Iterable[str | None] = ()) -> bool:
    """True when neither the summary fields of `values` nor any per-goal progress text says anything."""
    return not (any(says_something(values.get(f)) for f in SUBSTANCE_FIELDS)
                or any(says_something(t) for t in goal_texts))


def blank_problems(values: dict, goal_texts: Iterable[str | None] = ()) -> list[str]:
    """The refusal of a blank assessment, in Polish (empty list when the assessment says something)."""
    if is_blank(values, goal_texts):
        return [_("The assessment says nothing about the family's situation. Describe the progress towards the "
                  "plan's goals (for each goal or in the summary) or the changes in the family's situation.")]
    return []


def _says_something_sql(column):
    return func.length(func.trim(func.coalesce(column, ""), literal(FILLER))) >= MIN_TEXT_CHARS


def is_blank_sql(table=None):
    """SQL condition: the assessment row (of `table`, default the assessment table) says nothing."""
    a = table if table is not None else Assessment.__table__
    gp = AssessmentGoalProgress.__table__
    has_goal_text = exists(select(gp.c.id).where(gp.c.assessment_id == a.c.id, _says_something_sql(gp.c.progress)))
    return and_(*[not_(_says_something_sql(a.c[f])) for f in SUBSTANCE_FIELDS], not_(has_goal_text))


def blank_assessments(start: date | None = None, end: date | None = None) -> Select:
    """Stored assessments (not archived) that say nothing, dated within [start, end] when given: a Select of
    (id, label, family_id) in the shape of a data-quality check; the label is "case number, name, date"."""
    a, f = Assessment.__table__, Family.__table__
    label = (f.c.case_number + literal(" ") + f.c.name + literal(" ")
             + cast(a.c.assessment_date, f.c.name.type))
    stmt = (select(a.c.id.label("id"), label.label("label"), a.c.family_id.label("family_id"))
            .select_from(a.join(f, f.c.id == a.c.family_id))
            .where(a.c.archived_at.is_(None), is_blank_sql(a)))
    if start is not None:
        stmt = stmt.where(a.c.assessment_date >= start)
    if end is not None:
        stmt = stmt.where(a.c.assessment_date <= end)
    return stmt
