"""The family page's timeline and the "needs attention" notes of the family lists: each domain contributes.

A domain declares, in its `views.py` (next to the URLs its entries link to):
  TIMELINE = [fn, ...]   fn(family, limit) -> list[TimelineItem] for that family, in a constant number of queries
  ATTENTION = [fn, ...]  fn(family_ids) -> {family_id: [message, ...]}, in a constant number of queries
The lists are read once, on first use, through `domain_modules("views")` (sorted by domain name, which is also
the order of entries falling on the same day and of a family's notes).
"""
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable

from casework.core.modules import domain_modules
from casework.core.permissions import may_open


@dataclass(frozen=True)
class TimelineItem:
    day: date
    kind: str  # a short code, e.g. "visit", "plan", "assessment", "support_period"
    title: str  # already translated, no personal data beyond what the family page shows anyway
    url: str | None = None
    details: str | None = None
    tags: tuple = field(default_factory=tuple)


_timeline_sources: list[Callable] | None = None
_attention_sources: list[Callable] | None = None


def timeline_sources() -> list[Callable]:
    global _timeline_sources
    if _timeline_sources is None:
        _timeline_sources = [fn for views in domain_modules("views") for fn in getattr(views, "TIMELINE", ())]
    return _timeline_sources


def attention_sources() -> list[Callable]:
    global _attention_sources
    if _attention_sources is None:
        _attention_sources = [fn for views in domain_modules("views") for fn in getattr(views, "ATTENTION", ())]
    return _attention_sources


def family_timeline(family, limit: int = 50) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for source in timeline_sources():
        items.extend(source(family, limit))
    items.sort(key=lambda i: i.day, reverse=True)
    # an entry links only to a page the reader's role may open (a social worker sees the family, not its visits)
    return [i if i.url is None or may_open(i.url) else replace(i, url=None) for i in items[:limit]]


def attention_for(family_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {fid: [] for fid in family_ids}
    if not family_ids:
        return result
    for source in attention_sources():
        for fid, messages in source(family_ids).items():
            result.setdefault(fid, []).extend(messages)
    return result
