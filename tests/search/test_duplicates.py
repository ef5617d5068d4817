"""Issue 20, item 3: registration warns of a likely duplicate (same PESEL; same surname and address) before
saving, lists only families the user may see, keeps what was typed, and "register anyway" saves."""
import re

from sqlalchemy import func, select

from casework.extensions import db
from casework.families import services
from casework.families.models import Family
from tests.families.conftest import make_family  # noqa: F401 - the fixture

PESEL = "90050512341"
FORM = {"case_number": "AR/2026/77", "name": "Wisniewska", "street": "ul. Zrodlana 4", "postal_code": "62-200",
        "city": "Gniezno", "area": "urban", "phone": "", "social_worker_id": "", "notes": "Zgłoszenie ze szkoły"}


def _families() -> int:
    return db.session.scalar(select(func.count(Family.id)))


def _earlier(make_family):
    family = make_family(name="Wiśniewscy")
    services.update_family(family, {"street": "ul. Źródlana 4", "city": "Gniezno"}, actor=None)
    family.members[0].pesel = PESEL
    db.session.commit()
    return family


def test_same_surname_and_address_warns_and_keeps_the_form_then_registers_anyway(client, login_as, make_family):
    earlier = _earlier(make_family)
    login_as("coordinator")
    before = _families()
    response = client.post("/families/new", data=FORM)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Ta rodzina może być już zarejestrowana" in html and f"/families/{earlier.id}" in html
    assert 'value="Zgłoszenie ze szkoły"' in html or "Zgłoszenie ze szkoły</textarea>" in html
    assert 'value="ul. Zrodlana 4"' in html and _families() == before
    tag = re.search(r'<input[^>]*name="once_token"[^>]*>', html)
    once = re.search(r'value="([^"]*)"', tag.group(0)).group(1) if tag else None
    data = dict(FORM, duplicates_seen="1", **({"once_token": once} if once else {}))
    saved = client.post("/families/new", data=data)
    assert saved.status_code == 302 and _families() == before + 1


def test_same_pesel_warns(client, login_as, make_family):
    earlier = _earlier(make_family)
    login_as("coordinator")
    response = client.post("/families/new", data=dict(FORM, name="Zupełnie Inni", street="", check_pesel=PESEL))
    assert response.status_code == 409 and f"/families/{earlier.id}" in response.get_data(as_text=True)


def test_another_name_or_address_saves_without_a_warning(client, login_as, make_family):
    _earlier(make_family)
    login_as("coordinator")
    assert client.post("/families/new", data=dict(FORM, street="ul. Lipowa 1")).status_code == 302
    assert client.post("/families/new", data=dict(FORM, case_number="AR/2026/78", name="Nowak")).status_code == 302
