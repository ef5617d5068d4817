"""Everything the centre holds about one person (RODO art. 15): a registry of person data sources, each domain
contributing its section; the export is a ZIP with a readable HTML document and machine-readable JSON.

The person is a family member — with every other member record carrying the same PESEL (the same person in another
family or an earlier registration). The blue-card source applies its own rule: a person using violence never
receives where an affected person lives or how to reach them (docs/niebieska-karta.md, docs/privacy.md)."""
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from flask import render_template
from sqlalchemy import select

from casework.core.timeutil import to_local, utcnow
from casework.extensions import db
from casework.families.models import FamilyMember

SOURCES: list[tuple[str, str, Callable]] = []


def person_source(code: str, title: str):
    """Register fn(person: Person) -> list of dicts (the section's entries)."""
    def wrap(fn):
        SOURCES.append((code, title, fn))
        return fn
    return wrap


@dataclass
class Person:
    members: list  # FamilyMember rows of this person

    @property
    def member_ids(self) -> list[int]:
        return [m.id for m in self.members]

    @property
    def family_ids(self) -> list[int]:
        return sorted({m.family_id for m in self.members})

    @property
    def names(self) -> list[tuple[str, str]]:
        return sorted({(m.first_name, m.last_name) for m in self.members})


def find_person(member: FamilyMember) -> Person:
    members = [member]
    if member.pesel:
        members = list(db.session.scalars(select(FamilyMember).where(FamilyMember.pesel == member.pesel)
                                          .order_by(FamilyMember.id)))
    return Person(members)


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def collect(person: Person) -> dict:
    data = {"generated": to_local(utcnow()).isoformat(timespec="seconds"), "sections": []}
    for code, title, fn in SOURCES:
        entries = [{k: _plain(v) for k, v in e.items()} for e in fn(person)]
        data["sections"].append({"code": code, "title": title, "entries": entries})
    return data


def to_zip(data: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dane-osoby.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("dane-osoby.html", render_template("privacy/document.html", data=data))
    return buf.getvalue()


from casework.privacy import sources  # noqa: E402,F401 - the domains' sources register themselves here
