"""The sheets of institutions, contacts with them and team meetings in the spreadsheet import (instytucje,
kontakty, posiedzenia), checked by casework.contacts.services' rules, as the forms run them. Contract:
casework.core.imports."""
from flask_babel import gettext as _
from sqlalchemy import select

from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.contacts.services import contact_problems, institution_problems, meeting_problems
from casework.core.collation import sort_key
from casework.core.imports import ID, Column, Kind, choice, day, first_problem, register, text, yes_no
from casework.extensions import db

CONTACT_FORMS = {"telefon": "phone", "pismo": "letter", "e-mail": "email", "spotkanie": "meeting", "inna": "other"}


def _meetings():

    def build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "meeting_date": v["meeting_date"],
                  "participants": v["participants"], "decisions": v["decisions"],
                  "new_family": bool(v["new_family"]), "user_id": ctx.user_id(v["author"], "autor")}
        first_problem(meeting_problems(record, ctx.today), {_("List the participants."): "uczestnicy"}, "data")
        return record

    register(Kind("team_meetings", "posiedzenia", TeamMeeting.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("data", "meeting_date", day, True),
        Column("uczestnicy", "participants", text(2000), True), Column("ustalenia", "decisions", text(4000)),
        Column("nowa_rodzina", "new_family", yes_no, help="tak / nie"),
        Column("autor", "author", text(80), True, help="login")], 50, build, refs={"family": "families"}))


def _institutions():
    def in_use(name, city, ext, ctx):
        stored = ctx.stored("institutions", lambda: {(n.lower(), c): i for n, c, i in db.session.execute(
            select(Institution.name, Institution.city, Institution.id).where(Institution.archived_at.is_(None)))})
        owner = stored.get((name.lower(), city))
        if owner is not None and owner != ctx.known["institutions"].get(ext):
            return True
        return ctx.memo("institutions").setdefault((name.lower(), city), ext) != ext

    def build(v, ctx):
        record = {"name": v["name"], "name_sort": sort_key(v["name"]),
                  "type_id": ctx.dictionary("institution_type", v["type"], "rodzaj"), "street": v["street"],
                  "postal_code": v["postal_code"], "city": v["city"], "phone": v["phone"], "email": v["email"]}
        key = ("institutions", v["external_id"])
        if key not in ctx.checked:
            first_problem(institution_problems(record, in_use=lambda n, c: in_use(n, c, v["external_id"], ctx)),
                          {_("Choose the type of institution."): "rodzaj"}, "nazwa")
            ctx.checked.add(key)
        return record

    register(Kind("institutions", "instytucje", Institution.__table__, [
        ID, Column("nazwa", "name", text(200), True), Column("rodzaj", "type", text(60), True,
                                                             help="kod ze słownika institution_type"),
        Column("ulica", "street", text(200)), Column("kod_pocztowy", "postal_code", text(6)),
        Column("miejscowosc", "city", text(100)), Column("telefon", "phone", text(40)),
        Column("email", "email", text(254))], 15, build))


def _contacts():

    def build(v, ctx):
        record = {"contact_date": v["contact_date"], "institution_id": ctx.ref("institutions", v["institution"]),
                  "family_id": ctx.ref("families", v["family"]) if v["family"] else None,
                  "form": v["form"] or "other", "subject": v["subject"],
                  "user_id": ctx.user_id(v["author"], "pracownik")}
        first_problem(contact_problems(record, ctx.today, institution_stored=record["institution_id"] is not None),
                      {_("Choose the form of the contact."): "forma", _("Choose the institution."): "instytucja_id"},
                      "data")
        return record

    register(Kind("institution_contacts", "kontakty", InstitutionContact.__table__, [
        ID, Column("instytucja_id", "institution", text(100), True), Column("rodzina_id", "family", text(100)),
        Column("data", "contact_date", day, True), Column("forma", "form", choice(CONTACT_FORMS)),
        Column("temat", "subject", text(4000)), Column("pracownik", "author", text(80), True, help="login")],
        60, build, refs={"institution": "institutions", "family": "families"}))


for _define in (_meetings, _institutions, _contacts):
    _define()
