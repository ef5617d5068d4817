"""Two people edit the same family: the second sees a conflict with both versions; nothing is lost."""
import re

from casework.extensions import db
from casework.families.models import Family
from tests.conftest import login


def _form_version(html):
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


def test_second_save_sees_the_conflict_and_the_first_edit_stays(app, make_user, make_family):
    make_user("coordinator", login="k1")
    make_user("coordinator", login="k2")
    family = make_family(name="Kowalscy")
    first, second = app.test_client(), app.test_client()
    login(first, "k1")
    login(second, "k2")
    v1 = _form_version(first.get(f"/families/{family.id}/edit").get_data(as_text=True))
    v2 = _form_version(second.get(f"/families/{family.id}/edit").get_data(as_text=True))
    base = {"case_number": family.case_number, "area": "urban", "social_worker_id": ""}
    assert first.post(f"/families/{family.id}/edit", data=base | {"version": v1, "name": "Kowalscy-Nowak",
                                                                 "phone": "600 100 200"}).status_code == 302
    response = second.post(f"/families/{family.id}/edit", data=base | {"version": v2, "name": "Kowalscy",
                                                                      "phone": "700 700 700"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Ktoś inny zapisał ten rekord" in html
    assert "Kowalscy-Nowak" in html and "700 700 700" in html  # both versions shown
    db.session.expire_all()
    saved = db.session.get(Family, family.id)
    assert saved.name == "Kowalscy-Nowak" and saved.phone == "600 100 200"
    # having seen the other version, the second person may deliberately save theirs
    v3 = _form_version(html)
    assert second.post(f"/families/{family.id}/edit", data=base | {"version": v3, "name": "Kowalscy",
                                                                  "phone": "700 700 700"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Family, family.id).phone == "700 700 700"
