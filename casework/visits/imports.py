"""The visit log's sheet of the spreadsheet import (wizyty), checked by the visit log's own rules
(casework.visits.services.visit_problems, as the form runs them). Contract: casework.core.imports."""
from flask_babel import gettext as _

from casework.core.imports import ID, Column, Kind, choice, clock, day, first_problem, register, text, whole
from casework.extensions import db
from casework.visits import services as visit_rules
from casework.visits.models import Visit, visit_area
from casework.visits.rules import recent_visits_by_key

PLACES = {"dom rodziny": "home", "ośrodek": "centre", "instytucja": "institution", "inne": "other"}
VISIT_FORMS = {"wizyta domowa": "home_visit", "spotkanie w ośrodku": "centre_meeting",
               "towarzyszenie": "accompanying", "telefon": "phone_call", "inna": "other"}


def _visits():
    def build(v, ctx):
        areas = [ctx.dictionary("area_of_work", code.strip(), "obszary")
                 for code in (v["areas"] or "").split(";") if code.strip()]
        record = {"family_id": ctx.ref("families", v["family"]),
                  "assistant_id": ctx.user_id(v["assistant"], "asystent"), "visit_date": v["visit_date"],
                  "start_time": v["start_time"], "duration_minutes": v["duration"], "place": v["place"],
                  "form": v["form"], "activities": v["activities"], "agreed_next": v["agreed_next"]}
        key = ("visits", v["external_id"])
        if key not in ctx.checked:
            # the visit log's own checks, as the form runs them (date, duration, place, form, overlap with the
            # assistant's stored visits of that day, a visit saved twice)
            columns_of = {_("A visit cannot be dated in the future."): "data",
                          _("The duration must be between 1 minute and 12 hours."): "czas_min",
                          _("Choose the place from the list."): "miejsce", _("Choose the form from the list."): "forma"}
            first_problem(visit_rules.visit_problems(record, family_id=record["family_id"],
                                                     assistant_id=record["assistant_id"],
                                                     visit_id=ctx.known["visits"].get(v["external_id"]),
                                                     today=ctx.today,
                                                     recent=ctx.stored("recent_visits",
                                                                       recent_visits_by_key)),
                          columns_of, "godzina")
            ctx.checked.add(key)
        return record | {"_areas": areas}

    def after_insert(rows, ctx):
        links = [{"visit_id": r["id"], "area_id": a} for r in rows for a in r.get("_areas") or ()]
        if links:
            db.session.execute(visit_area.insert(), links)

    register(Kind("visits", "wizyty", Visit.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("asystent", "assistant", text(80), True),
        Column("data", "visit_date", day, True), Column("godzina", "start_time", clock),
        Column("czas_min", "duration", whole(1, 720), True), Column("miejsce", "place", choice(PLACES)),
        Column("forma", "form", choice(VISIT_FORMS)), Column("obszary", "areas", text(500),
                                                             help="kody ze słownika area_of_work, rozdzielone ;"),
        Column("co_zrobiono", "activities", text(4000)), Column("ustalenia", "agreed_next", text(4000))],
        40, build, refs={"family": "families"}, after_insert=after_insert))


_visits()
