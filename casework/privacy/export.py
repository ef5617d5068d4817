"""Everything the centre holds about one person (RODO art. 15): each domain contributes its section in
casework/<domain>/privacy.py (contract: casework.core.privacy); the export is a ZIP with a readable HTML document
and machine-readable JSON.

The person is a family member — with every other member record carrying the same PESEL (the same person in another
family or an earlier registration). The blue-card source applies the compartment's rules: it gives a procedure only
to a user who may read that procedure (casework.bluecard.access), audits each one as a blue-card read, and leaves the
section out entirely otherwise, so an export never tells whether a procedure exists; and a person using violence
never receives where an affected person lives or how to reach them (docs/niebieska-karta.md, docs/privacy.md)."""
import io
import json
import zipfile
from datetime import date, datetime

from flask import render_template
from sqlalchemy import select

from casework.core.privacy import FILE, Person, all_sources
from casework.core.timeutil import to_local, utcnow
from casework.extensions import db
from casework.families.models import FamilyMember

#: said in every document whose blue-card part the exporting user may not give (the same words whether or not a
#: procedure exists: docs/privacy.md)
BLUE_CARD_NOTE = ("Informacje o ewentualnym udziale osoby w procedurze „Niebieskie Karty” przekazuje odrębnie "
                  "przewodniczący zespołu interdyscyplinarnego.")


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


def collect(person: Person, user) -> dict:
    """Every section `user` may export (a blue-card read is audited by its source; the caller commits)."""
    data = {"generated": to_local(utcnow()).isoformat(timespec="seconds"), "sections": [], "notes": [],
            "files": {}}
    for source in all_sources():
        code, title = source.code, source.title
        found = source.fn(person, user)
        if found is None:
            continue
        entries = []
        for found_entry in found:
            entry = {k: _plain(v) for k, v in found_entry.items() if k != FILE}
            content = found_entry[FILE]() if FILE in found_entry else None
            if content is not None:
                name = f"pliki/{len(data['files']) + 1:03d}-{_safe_name(entry.get('plik') or 'dokument')}"
                data["files"][name] = content
                entry["plik_w_archiwum"] = name
            entries.append(entry)
        data["sections"].append({"code": code, "title": title, "entries": entries})
    if not any(s["code"] == "blue_card" for s in data["sections"]):
        data["notes"].append(BLUE_CARD_NOTE)
    return data


def _safe_name(name: str) -> str:
    """A file name as the uploader's device gave it, made safe inside the archive (no directories, no control
    characters), Polish letters kept."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c if (c.isalnum() or c in "._- ") else "_" for c in name).strip(" .")
    return name[:120] or "dokument"


def to_zip(data: dict) -> bytes:
    files = data.get("files", {})
    document = {k: v for k, v in data.items() if k != "files"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dane-osoby.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("dane-osoby.html", render_template("privacy/document.html", data=document))
        for name, content in files.items():
            archive.writestr(name, content)
    return buf.getvalue()

