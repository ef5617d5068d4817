"""The person-data contract for the RODO export (art. 15): each domain contributes its section in
``casework/<domain>/privacy.py`` with ``@person_source(code, title, order=…)``; the export itself (finding the person,
the document, the ZIP) is in casework.privacy.export.

A source is fn(person: Person, user) -> list of dicts (the section's entries), or None when the section is not part
of what this user may export (it is then left out without a heading). Coded values are given as the words the app
shows (a person reads this document): use `label(...)`.

An entry that stands for a stored file (a scanned consent, a court order) names it under ``FILE``: a callable
giving the file's bytes (or None when the file is gone). The export copies it into the archive under ``pliki/`` and
writes that name in the entry, so the person receives the documents themselves, not only their list.
"""
from dataclasses import dataclass
from typing import Callable

from casework.core.modules import domain_modules


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    fn: Callable
    order: int = 0


SOURCES: dict[str, Source] = {}
#: an entry's key for its stored file: a callable -> bytes | None (see the module's docstring)
FILE = "__file__"
_discovered = False


def person_source(code: str, title: str, *, order: int = 0):
    """Register fn(person, user) -> list of dicts | None as the section `code` of the export."""
    def wrap(fn):
        SOURCES[code] = Source(code, title, fn, order)
        return fn
    return wrap


def all_sources() -> list[Source]:
    """Every section, in document order; imports each domain's privacy module once."""
    global _discovered
    if not _discovered:
        list(domain_modules("privacy"))
        _discovered = True
    return sorted(SOURCES.values(), key=lambda s: (s.order, s.code))


@dataclass
class Person:
    """One person: the FamilyMember rows carrying them (the same PESEL in several families or registrations)."""
    members: list

    @property
    def member_ids(self) -> list[int]:
        return [m.id for m in self.members]

    @property
    def family_ids(self) -> list[int]:
        return sorted({m.family_id for m in self.members})

    @property
    def names(self) -> list[tuple[str, str]]:
        return sorted({(m.first_name, m.last_name) for m in self.members})


def label(labels: dict, code):
    """The app's word for a stored code (the code itself when it has none)."""
    return str(labels[code]) if code in labels else code
