"""The reminder-rule contract. Each domain adds rules in `casework/<domain>/reminder_rules.py`:

    from casework.core.reminders import deadline_reminders, reminder_rule

    @reminder_rule("plan_revision_due", _l("Plan due for revision"), lead_setting="plan_revision_lead_days")
    def plan_revision_due(today, lead_days):
        return deadline_reminders("plan_revision", today, lead_days, assistants_or_coordinators)

A reminder about a deadline is that deadline (casework.core.deadlines, one source for the boards, the feed and
the reminders), minus its lead days, to its recipients: `deadline_reminders` builds it. Reminders that are not
deadlines on the board (calendar reports, the blue card's steps, statistics ready) yield Candidate(record_type,
record_id, due_date, recipient_ids, subject) themselves. A rule yields every deadline that is due for a reminder on `today` (due_date - lead_days <= today), including
ones whose reminder day passed while the scheduler was down (catch-up): the unique key makes repeats harmless.
`sensitive=True` (blue card) keeps even the subject out of e-mails; e-mails never carry a subject anyway.
Who receives them: `casework.auth.roster` (users by role) and `casework.families.responsible` (a family's
assistants). The services, digest and views that send and list reminders live in `casework.reminders`.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable

from casework.core.deadlines import window
from casework.core.modules import domain_modules
from casework.core.settings import declared, get_setting


#: record_type of reminders that belong to no record (calendar deadlines such as reports)
CALENDAR = "calendar"


@dataclass(frozen=True)
class Candidate:
    record_type: str
    record_id: int
    due_date: date
    recipient_ids: tuple
    #: shown in the app next to the rule's label (e.g. a case number); never in e-mails
    subject: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: object  # lazy string
    fn: Callable[[date, int], Iterable[Candidate]]
    lead_setting: str | None = None
    default_lead_days: int = 0
    sensitive: bool = False
    #: optional fn(record_type, record_id) -> URL path of the record, for the in-app list
    link: Callable | None = field(default=None, compare=False)

    def lead_days(self) -> int:
        """The declared setting `lead_setting` (its default lives in casework.core.settings, not here); a rule
        without one uses `default_lead_days`."""
        if not self.lead_setting:
            return self.default_lead_days
        return max(int(get_setting(self.lead_setting)), 0)

    def candidates(self, today: date) -> Iterable[Candidate]:
        return self.fn(today, self.lead_days())


RULES: dict[str, Rule] = {}


def reminder_rule(code: str, label, *, lead_setting: str | None = None, default_lead_days: int = 0,
                  sensitive: bool = False, link: Callable | None = None):
    """Decorator: register fn(today, lead_days) -> iterable of Candidate under a stable code."""

    if lead_setting:
        declared(lead_setting)  # a lead time is a declared setting (UnknownSetting at start-up otherwise)

    def decorator(fn):
        RULES[code] = Rule(code, label, fn, lead_setting, default_lead_days, sensitive, link)
        return fn

    return decorator


_loaded = False


def all_rules() -> dict[str, Rule]:
    """Every registered rule; imports each domain's reminder_rules module once."""
    global _loaded
    if not _loaded:
        list(domain_modules("reminder_rules"))
        _loaded = True
    return RULES


def catchup_days() -> int:
    """How far back a rule still reminds about a deadline whose reminder day passed unnoticed (downtime)."""
    return max(int(get_setting("reminder_catchup_days")), 0)


def deadline_reminders(kind: str, today: date, lead_days: int, recipients: Callable) -> list[Candidate]:
    """A reminder is a deadline, minus its lead days, to its recipients: the deadlines of `kind`
    (casework.core.deadlines) due between `today - catchup_days()` and `today + lead_days`, each to its
    `owner_ids` when the domain knows them, else to `recipients(family_ids, today)[family_id]` (e.g.
    casework.families.responsible.assistants_or_coordinators)."""
    due = window(kind, today, today - timedelta(days=catchup_days()), today + timedelta(days=lead_days))
    if not due:
        return []
    to = recipients([d.family_id for d in due if not d.owner_ids], today)
    return [Candidate(d.record_type, d.record_id, d.due, d.owner_ids or to[d.family_id],
                      d.subject if d.subject is not None else d.case_number) for d in due]
