"""The visit log without a connection, on a 390×844 phone: two visits logged offline survive a reload and are sent
exactly once when the connection returns; a visit sent again (the phone did not hear the answer) stays one visit;
a refusal stays on the phone with its reason; logging out leaves nothing behind. And the drafts: the typed text
comes back after the "form has expired" page."""
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from casework.bluecard import services as bluecard
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import services
from casework.visits.models import Visit
from tests.browser.conftest import check_accessibility, log_in, open_menu

pytestmark = pytest.mark.browser

QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("casework-offline");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("queue")) { db.close(); resolve([]); return; }
    const request = db.transaction("queue").objectStore("queue").getAll();
    request.onsuccess = () => { db.close(); resolve(request.result); };
  };
})"""
PUT_BACK = """(item) => new Promise((resolve) => {
  const open = indexedDB.open("casework-offline");
  open.onsuccess = () => {
    const tx = open.result.transaction("queue", "readwrite");
    tx.objectStore("queue").put(item);
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
})"""
STORAGE = """async () => {
  const names = (await indexedDB.databases()).map(d => d.name);
  const caches_ = (await caches.keys()).filter(k => k.startsWith("casework-"));
  const workers = (await navigator.serviceWorker.getRegistrations()).length;
  return {names, caches: caches_, workers};
}"""


@pytest.fixture
def agata_and_families(make_user):
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    families = []
    for number, name, street in (("AR/2026/1", "Adamscy", "ul. Polna 1"), ("AR/2026/2", "Wiśniewscy", "ul. Leśna 2")):
        family = services.register_family({"case_number": number, "name": name, "area": "rural", "street": street,
                                           "city": "Gniezno"}, actor=None)
        period = services.start_support_period(family, {"basis": "referral", "referral_date": date(2026, 1, 2),
                                                        "start_date": date(2026, 1, 5)}, actor=None)
        services.assign_assistant(period, agata, date(2026, 1, 5), actor=None)
        families.append(family)
    db.session.commit()
    return agata, families


def _visits():
    db.session.expire_all()
    return db.session.execute(select(Visit.family_id, Visit.duration_minutes, Visit.activities)
                              .order_by(Visit.id)).all()


def _ready_offline(page, live_server):
    """Open the offline visit log with a connection: the service worker keeps the shell, the phone the families."""
    page.goto(live_server + "/visits/offline")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#offline-visit-form[data-ready=true]")


def _log(page, family, minutes, text):
    page.get_by_label("Rodzina").select_option(label=family)
    page.get_by_label("Czas trwania (minuty)").fill(str(minutes))
    page.get_by_label("Co zrobiono").fill(text)
    page.get_by_role("button", name="Zapisz wizytę").click()
    expect(page.locator("#offline-message")).to_contain_text("Wizyta jest zapisana w telefonie")


def test_two_visits_logged_offline_are_sent_once_when_the_connection_returns(page, live_server, agata_and_families):
    _agata, (adamscy, wisniewscy) = agata_and_families
    log_in(page, live_server, "agata")
    _ready_offline(page, live_server)
    assert page.locator("header.site-header").bounding_box()["height"] < 64
    family = page.get_by_label("Rodzina")
    assert family.input_value() == ""  # no family chosen
    options = family.locator("option").all_inner_texts()
    assert options == ["— wybierz rodzinę —", "Adamscy (AR/2026/1), ul. Polna 1, Gniezno",
                       "Wiśniewscy (AR/2026/2), ul. Leśna 2, Gniezno"]
    check_accessibility(page)

    page.context.set_offline(True)
    status = page.locator("#offline-status")
    expect(status).to_contain_text("Brak połączenia")
    page.get_by_role("button", name="Zapisz wizytę").click()  # nothing chosen: said, nothing queued
    expect(page.locator("#offline-message")).to_contain_text("Wybierz rodzinę.")
    _log(page, "Adamscy (AR/2026/1), ul. Polna 1, Gniezno", 30, "Rozmowa o szkole.")
    expect(status).to_contain_text("Wizyty: czeka na wysłanie (1)")
    assert page.get_by_label("Rodzina").input_value() == ""  # the next visit chooses its family again
    _log(page, "Wiśniewscy (AR/2026/2), ul. Leśna 2, Gniezno", 45, "Plan budżetu.")
    expect(status).to_contain_text("Wizyty: czeka na wysłanie (2)")
    assert _visits() == []

    page.reload()  # without a connection: the service worker's shell, the visits still on the phone
    expect(page.locator("#offline-status")).to_contain_text("Wizyty: czeka na wysłanie (2)")
    expect(page.locator("#offline-queue-list > li")).to_have_count(2)
    check_accessibility(page)
    assert _visits() == []

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Wysłano wizyty: 2.")
    expect(page.locator("#offline-queue-empty")).to_be_visible()
    assert sorted(_visits()) == sorted([(adamscy.id, 30, "Rozmowa o szkole."),
                                        (wisniewscy.id, 45, "Plan budżetu.")])


def test_a_visit_sent_again_stays_one_visit_and_a_refusal_stays_on_the_phone(page, live_server, agata_and_families):
    _agata, (adamscy, _wisniewscy) = agata_and_families
    log_in(page, live_server, "agata")
    _ready_offline(page, live_server)
    page.context.set_offline(True)
    _log(page, "Adamscy (AR/2026/1), ul. Polna 1, Gniezno", 30, "Rozmowa o szkole.")
    queued = page.evaluate(QUEUE)
    assert len(queued) == 1 and len(queued[0]["key"]) == 36
    page.context.set_offline(False)
    expect(page.locator("#offline-queue-empty")).to_be_visible()
    assert _visits() == [(adamscy.id, 30, "Rozmowa o szkole.")]

    # the phone did not hear the answer: the same visit with the same key goes again
    page.evaluate(PUT_BACK, queued[0])
    page.reload()
    expect(page.locator("#offline-status")).to_contain_text("Wysłano wizyty: 1.")
    expect(page.locator("#offline-queue-empty")).to_be_visible()
    assert _visits() == [(adamscy.id, 30, "Rozmowa o szkole.")]

    # the same visit typed again (a new key) within 15 minutes: refused, kept on the phone with the reason
    page.context.set_offline(True)
    _log(page, "Adamscy (AR/2026/1), ul. Polna 1, Gniezno", 30, "Rozmowa o szkole.")
    page.context.set_offline(False)
    refused = page.locator("#offline-queue-list > li.refused")
    expect(refused).to_contain_text("Ta wizyta została już zapisana")
    expect(page.locator("#offline-status")).to_contain_text("Nie wysłano (1)")
    expect(refused.get_by_role("link", name="Otwórz zapisaną wizytę")).to_be_visible()
    check_accessibility(page)
    assert len(_visits()) == 1

    # "Popraw w formularzu": back in the form, off the queue
    refused.get_by_role("button", name="Popraw w formularzu").click()
    expect(page.locator("#offline-queue-empty")).to_be_visible()
    assert page.get_by_label("Co zrobiono").input_value() == "Rozmowa o szkole."


def test_the_visit_form_queues_without_a_connection_and_logout_forgets_everything(page, live_server,
                                                                                 agata_and_families):
    _agata, (_adamscy, wisniewscy) = agata_and_families
    log_in(page, live_server, "agata")
    _ready_offline(page, live_server)
    page.goto(live_server + f"/visits/new?family_id={wisniewscy.id}")
    assert page.get_by_label("Rodzina").input_value() == str(wisniewscy.id)
    page.context.set_offline(True)
    page.get_by_label("Czas trwania (minuty)").fill("20")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#offline-status")).to_contain_text("Wizyty: czeka na wysłanie (1)")
    assert _visits() == []

    # a page opened without a connection: the offline page, the visit still waiting
    page.goto(live_server + "/families/mine")
    expect(page.locator("#offline-elsewhere")).to_be_visible()
    expect(page.locator("#offline-queue-list > li")).to_have_count(1)
    page.context.set_offline(False)
    expect(page.locator("#offline-queue-empty")).to_be_visible()
    assert _visits() == [(wisniewscy.id, 20, None)]

    held = page.evaluate(STORAGE)
    assert "casework-offline" in held["names"] and held["caches"] and held["workers"] == 1
    open_menu(page)
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url("**/login")
    expect(page.locator("main")).to_contain_text("Wylogowano")
    held = page.evaluate(STORAGE)
    assert held == {"names": [], "caches": [], "workers": 0}, held


def test_logging_out_with_visits_waiting_asks_first(page, live_server, agata_and_families):
    log_in(page, live_server, "agata")
    _ready_offline(page, live_server)
    page.context.set_offline(True)
    _log(page, "Adamscy (AR/2026/1), ul. Polna 1, Gniezno", 30, "Rozmowa o szkole.")
    # back online, but the server does not take the visit yet (asks to log in again): it stays waiting
    page.route("**/visits/offline/send", lambda route: route.fulfill(status=401, body="", content_type="text/html"))
    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Wizyty: czeka na wysłanie (1)")
    expect(page.locator("#offline-status")).not_to_contain_text("Brak połączenia")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    open_menu(page)
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_timeout(300)
    assert dialogs and "Niewysłane wizyty: 1" in dialogs[0]
    assert "/visits/offline" in page.url  # still logged in, the visit still on the phone
    assert len(page.evaluate(QUEUE)) == 1


def test_the_typed_text_comes_back_after_the_form_has_expired(page, live_server, agata_and_families):
    _agata, (adamscy, _wisniewscy) = agata_and_families
    log_in(page, live_server, "agata")
    page.goto(live_server + f"/visits/new?family_id={adamscy.id}")
    page.get_by_label("Czas trwania (minuty)").fill("50")
    page.get_by_label("Co zrobiono").fill("Długa rozmowa o planie dnia dzieci.")
    page.locator("main form input[name=csrf_token]").evaluate("i => i.value = 'expired'")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("h1")).to_have_text("Formularz wygasł")
    check_accessibility(page)
    page.get_by_role("link", name="Wróć do formularza (wpisany tekst wróci)").click()
    page.wait_for_url(f"**/visits/new?family_id={adamscy.id}")
    expect(page.get_by_label("Co zrobiono")).to_have_value("Długa rozmowa o planie dnia dzieci.")
    expect(page.get_by_label("Czas trwania (minuty)")).to_have_value("50")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url("**/visits/day*")
    assert _visits() == [(adamscy.id, 50, "Długa rozmowa o planie dnia dzieci.")]
    # saved: the draft is gone, the form opens empty
    page.goto(live_server + f"/visits/new?family_id={adamscy.id}")
    expect(page.get_by_label("Co zrobiono")).to_have_value("")


def test_a_collapsed_blue_card_form_gets_its_text_back_after_the_form_has_expired(page, live_server, make_user):
    worker = make_user("social_worker", login="socjalny")
    day = today_local()
    procedure = bluecard.start_procedure(
        {"nka_date": day, "sector": "police", "violence_forms": ["psychological"]},
        [{"role": "affected", "first_name": "Anna", "last_name": "Nowak"},
         {"role": "suspected", "first_name": "Marek", "last_name": "Nowak"}], actor=None)
    bluecard.hand_to_chair(procedure, day, actor=None)
    bluecard.hand_to_group(procedure, day, [{"user_id": worker.id, "name": "P", "sector": "social_assistance"},
                                            {"name": "Q", "sector": "police"}], actor=None)
    db.session.commit()
    log_in(page, live_server, "socjalny")  # a member of the procedure's diagnostic group
    page.goto(live_server + f"/blue-card/{procedure.id}")
    details = page.locator("details", has=page.locator("#meeting-notes"))
    details.locator("summary").click()
    page.locator("#meeting-notes").fill("Ustalenia grupy: kontakt ze szkołą.")
    details.locator("input[name=csrf_token]").evaluate("i => i.value = 'expired'")
    details.get_by_role("button", name="Zapisz").click()
    expect(page.locator("h1")).to_have_text("Formularz wygasł")
    page.get_by_role("link", name="Wróć do formularza (wpisany tekst wróci)").click()
    page.wait_for_url(f"**/blue-card/{procedure.id}")
    expect(page.locator("#meeting-notes")).to_be_visible()  # the collapsed form opens
    expect(page.locator("#meeting-notes")).to_have_value("Ustalenia grupy: kontakt ze szkołą.")
