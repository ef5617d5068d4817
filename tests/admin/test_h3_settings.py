"""Settings are declared once (key, type, default, legal basis, label, range); every reader takes the default from
the declaration; the administrator's page is generated from the table, validates in Polish and audits changes."""
import ast
import pathlib
from decimal import Decimal

import pytest
from sqlalchemy import select

from casework.core import settings
from casework.core.audit import AuditEvent
from casework.extensions import db

ROOT = pathlib.Path(__file__).resolve().parents[2] / "casework"


def _current(key):
    """The value a new request would read (the test's own app context caches what it read before)."""
    settings._cache().clear()
    return settings.get_setting(key)


def _get_setting_calls():
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "get_setting":
                yield path.relative_to(ROOT.parent), node


def test_every_reader_names_a_declared_key_and_repeats_no_default():
    calls = list(_get_setting_calls())
    assert len(calls) > 15
    for path, node in calls:
        if path.as_posix() == "casework/core/settings.py":
            continue
        assert len(node.args) == 1 and not node.keywords, f"{path}:{node.lineno} repeats a default"
        arg = node.args[0]
        if isinstance(arg, ast.Constant):
            assert arg.value in settings.SETTINGS, f"{path}:{node.lineno} reads undeclared {arg.value!r}"


def test_an_undeclared_key_is_an_error_and_a_bad_stored_value_falls_back(app):
    with pytest.raises(settings.UnknownSetting):
        settings.get_setting("caseload_limit")
    with pytest.raises(settings.UnknownSetting):
        settings.set_setting("caseload_limit", 3)
    db.session.add(settings.AppSetting(key="caseload_cap", value="piętnaście"))
    db.session.flush()
    assert settings.get_setting("caseload_cap") == 15
    with pytest.raises(settings.SettingError):
        settings.set_setting("caseload_cap", 16)  # above the statute's cap


def test_statutory_numbers_with_their_articles():
    s = settings.SETTINGS
    assert (s["caseload_cap"].default, s["caseload_cap"].maximum) == (15, 15)
    assert "art. 15 ust. 4" in s["caseload_cap"].legal_basis
    assert s["assessment_interval_months"].default == 6 and s["assessment_interval_months"].maximum == 6
    assert "art. 15 ust. 1 pkt 15" in s["assessment_interval_months"].legal_basis
    assert [s[k].default for k in ("bluecard_days_to_chair", "bluecard_days_to_group",
                                   "bluecard_days_first_meeting")] == [5, 3, 5]
    assert all("2023 poz. 1870" in s[k].legal_basis for k in ("bluecard_days_to_chair", "bluecard_days_to_group",
                                                              "bluecard_days_first_meeting"))
    assert [s[f"foster_care_rate_year_{n}"].default for n in (1, 2, 3)] == [10, 30, 50]
    assert all("art. 191 ust. 9" in s[f"foster_care_rate_year_{n}"].legal_basis for n in (1, 2, 3))


def test_every_reminder_lead_time_is_declared_and_agrees(app):
    from casework.core.reminders import all_rules

    for rule in all_rules().values():
        if rule.lead_setting:
            declared = settings.declared(rule.lead_setting)
            assert rule.default_lead_days in (0, declared.default), rule.code
            assert rule.lead_days() == declared.default


def test_the_page_lists_every_setting_with_label_basis_and_default(client, login_as):
    login_as("admin")
    html = client.get("/admin/settings").get_data(as_text=True)
    assert "Ustawienia" in html
    for setting in settings.DECLARED:
        if setting.editable:
            assert f'id="setting-{setting.key}"' in html, setting.key
    assert "Liczba rodzin, z którymi jeden asystent może pracować w tym samym czasie" in html
    assert "art. 15 ust. 4 ustawy z 9 czerwca 2011 r. o wspieraniu rodziny" in html
    assert "art. 191 ust. 9 pkt 2" in html
    assert "wybór ośrodka (brak wartości ustawowej)" in html
    assert 'id="setting-demo_data"' not in html


def test_a_change_is_validated_in_polish_saved_audited_and_used(client, login_as):
    from casework.fostercare import services as fostercare

    admin = login_as("admin")
    r = client.post("/admin/settings/caseload_cap", data={"value": "16"})
    assert r.status_code == 400
    assert "Wpisz liczbę całkowitą od 1 do 15." in r.get_data(as_text=True)
    r = client.post("/admin/settings/caseload_cap", data={"value": "dużo"})
    assert r.status_code == 400
    assert db.session.get(settings.AppSetting, "caseload_cap") is None

    r = client.post("/admin/settings/foster_care_rate_year_1", data={"value": "20"})
    assert r.status_code == 302
    settings._cache().clear()
    assert fostercare.rates()[10] == Decimal("20")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "setting_changed"))
    assert event.user_id == admin.id
    assert event.details == {"key": "foster_care_rate_year_1", "from": 10, "to": 20, "reset": False}

    r = client.post("/admin/settings/indicators.duration_bucket_months", data={"value": "12, 6"})
    assert r.status_code == 400 and "w kolejności rosnącej" in r.get_data(as_text=True)
    assert client.post("/admin/settings/indicators.duration_bucket_months",
                       data={"value": "6, 24"}).status_code == 302
    assert _current("indicators.duration_bucket_months") == [6, 24]

    assert client.post("/admin/settings/foster_care_count_restarts", data={"value": "1"}).status_code == 302
    assert _current("foster_care_count_restarts") is True
    assert client.post("/admin/settings/foster_care_count_restarts", data={}).status_code == 302
    assert _current("foster_care_count_restarts") is False

    r = client.post("/admin/settings/foster_care_rate_year_1", data={"action": "reset"})
    assert r.status_code == 302
    assert db.session.get(settings.AppSetting, "foster_care_rate_year_1") is None
    settings._cache().clear()
    assert fostercare.rates()[10] == Decimal("10")
    assert client.post("/admin/settings/demo_data", data={"value": "1"}).status_code == 404
    assert client.post("/admin/settings/no_such_key", data={"value": "1"}).status_code == 404


def test_only_an_administrator_sees_the_settings(client, login_as):
    login_as("coordinator")
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings/caseload_cap", data={"value": "3"}).status_code == 403
