"""The family page's timeline: each domain contributes entries (visits, plans, assessments, placements, …).

A domain registers a source with `register_timeline_source(fn)`; `fn(family, limit)` returns a list of
TimelineItem for that family using a constant number of queries (one, ideally). The family page merges the
sources, newest first. Sources are registered when the domain's views module is imported.
"""
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable

from casework.core.permissions import may_open


@dataclass(frozen=True)
class TimelineItem:
    day: date
    kind: str  # a short code, e.g. "visit", "plan", "assessment", "support_period"
    title: str  # already translated, no personal data beyond what the family page shows anyway
    url: str | None = None
    details: str | None = None
    tags: tuple = field(default_factory=tuple)


TIMELINE_SOURCES: list[Callable] = []


def register_timeline_source(fn: Callable) -> Callable:
    if fn not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(fn)
    return fn


def family_timeline(family, limit: int = 50) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for source in TIMELINE_SOURCES:
        items.extend(source(family, limit))
    items.sort(key=lambda i: i.day, reverse=True)
    # an entry links only to a page the reader's role may open (a social worker sees the family, not its visits)
    return [i if i.url is None or may_open(i.url) else replace(i, url=None) for i in items[:limit]]


#: "What needs attention" on the assistant's family list: sources return {family_id: [message, …]}
#: for a list of family ids in a constant number of queries.
ATTENTION_SOURCES: list[Callable] = []


def register_attention_source(fn: Callable) -> Callable:
    if fn not in ATTENTION_SOURCES:
        ATTENTION_SOURCES.append(fn)
    return fn


def attention_for(family_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {fid: [] for fid in family_ids}
    if not family_ids:
        return result
    for source in ATTENTION_SOURCES:
        for fid, messages in source(family_ids).items():
            result.setdefault(fid, []).extend(messages)
    return result
