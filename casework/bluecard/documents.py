"""The procedure's forms as documents: NK-A, NK-B, NK-C and NK-D filled in from the procedure's data, laid out in the
order of the annexes 1-4 to rozporządzenie Rady Ministrów z 6 września 2023 r. w sprawie procedury „Niebieskie
Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2023 poz. 1870), through casework.core.documents (the
centre's identity, A4, page numbers). What the data do not hold is left as a line to fill in by hand.

The caller has checked the compartment (casework.bluecard.access) and audited the read."""
from casework.bluecard import rules, services
from casework.core import documents as docs

FORMS = ("NK-A", "NK-B", "NK-C", "NK-D")
ANNEX = {"NK-A": 1, "NK-B": 2, "NK-C": 3, "NK-D": 4}
TITLES = {"NK-A": "„NIEBIESKA KARTA – A”", "NK-B": "„NIEBIESKA KARTA – B”", "NK-C": "„NIEBIESKA KARTA – C”",
          "NK-D": "„NIEBIESKA KARTA – D”"}
SUBTITLES = {"NK-B": "Informacja dla osoby doznającej przemocy domowej",
             "NK-C": "Ocena sytuacji osoby, co do której istnieje podejrzenie, że jest osobą doznającą przemocy "
                     "domowej",
             "NK-D": "Ocena sytuacji osoby, wobec której istnieje podejrzenie, że stosuje przemoc domową"}
VIOLENCE_PL = {"physical": "przemoc fizyczna", "psychological": "przemoc psychiczna", "sexual": "przemoc seksualna",
               "economic": "przemoc ekonomiczna",
               "electronic": "przemoc z użyciem środków komunikacji elektronicznej", "other": "inna"}
SECTOR_PL = {"social_assistance": "pomoc społeczna", "police": "Policja", "education": "oświata",
             "health_care": "ochrona zdrowia", "alcohol_commission": "gminna komisja rozwiązywania problemów "
                                                                     "alkoholowych", "other": "inny"}
ROLE_PL = {"affected": "osoba doznająca przemocy domowej", "parent": "rodzic", "guardian": "opiekun prawny",
           "carer": "opiekun faktyczny"}
BLANK = "……………………………………"


def person_needed(form: str) -> str | None:
    """The role of the person a form is filled in with (NK-C: affected, NK-D: suspected), None for NK-A / NK-B."""
    return {"NK-C": "affected", "NK-D": "suspected"}.get(form)


def _check(mark: bool) -> str:
    return "☒" if mark else "☐"


def _person_rows(person) -> list[list[str]]:
    return [["Imię i nazwisko", person.name], ["Dziecko", "tak" if person.is_child else "nie"],
            ["Świadek przemocy (dziecko)", "tak" if person.witness else "nie"],
            ["Adres miejsca zamieszkania lub pobytu", person.address or BLANK],
            ["Telefon / inny sposób kontaktu", person.phone or BLANK]]


def build(procedure, form: str, person=None):
    """A python-docx document of `form` for the procedure (and for NK-C / NK-D, the person it is filled in with)."""
    document = docs.new_document(TITLES[form], SUBTITLES.get(form), file_number=procedure.number,
                                 when=procedure.nka_date if form in ("NK-A", "NK-B") else None)
    docs.add_paragraph(document, f"Załącznik nr {ANNEX[form]} do rozporządzenia Rady Ministrów z dnia 6 września "
                                 f"2023 r. (Dz.U. 2023 poz. 1870)", italic=True)
    docs.add_labelled(document, "Numer procedury", procedure.number)
    {"NK-A": _nka, "NK-B": _nkb, "NK-C": _nkc, "NK-D": _nkd}[form](document, procedure, person)
    return document


def _nka(document, procedure, _person):
    docs.add_labelled(document, "Data wszczęcia procedury (wypełnienia formularza)", procedure.nka_date.isoformat())
    docs.add_labelled(document, "Formularz wypełnia przedstawiciel", SECTOR_PL.get(procedure.sector, ""))
    docs.add_heading(document, "I. Dane osoby doznającej przemocy domowej (w tym dziecka — świadka)", 1)
    for person in (p for p in procedure.persons if p.role == "affected"):
        docs.add_table(document, ["Pole", "Dane"], _person_rows(person), title=person.name)
    docs.add_heading(document, "II. Dane osoby, wobec której istnieje podejrzenie, że stosuje przemoc domową", 1)
    for person in (p for p in procedure.persons if p.role == "suspected"):
        docs.add_table(document, ["Pole", "Dane"], _person_rows(person), title=person.name)
    docs.add_heading(document, "III. Formy przemocy domowej", 1)
    for code, label in VIOLENCE_PL.items():
        docs.add_paragraph(document, f"{_check(code in (procedure.violence_forms or []))} {label}")
    docs.add_heading(document, "IV. Przekazanie formularza „Niebieska Karta – B”", 1)
    if procedure.nkb_handed_on:
        docs.add_paragraph(document, f"{_check(True)} przekazano dnia {procedure.nkb_handed_on.isoformat()}: "
                                     f"{procedure.nkb_recipient} ({ROLE_PL.get(procedure.nkb_recipient_role, '')})")
    elif procedure.nkb_not_handed_reason:
        docs.add_paragraph(document, f"{_check(False)} nie przekazano; powód: {procedure.nkb_not_handed_reason}")
    else:
        docs.add_paragraph(document, f"{_check(procedure.nkb_handed)} przekazano   {_check(False)} nie przekazano "
                                     f"— powód: {BLANK}")
    docs.add_heading(document, "V. Podjęte działania", 1)
    steps = [s for s in procedure.steps if s.kind in ("notification", "art12a")]
    if steps:
        docs.add_numbered(document, [_step_line(procedure, s) for s in steps])
    else:
        docs.add_paragraph(document, BLANK * 3)
    docs.add_signatures(document, ["Podpis osoby wypełniającej formularz"])


def _nkb(document, procedure, _person):
    docs.add_paragraph(document, "Przemoc domowa narusza prawa człowieka i dobra osobiste. Nikt nie ma prawa "
                                 "stosować wobec Ciebie przemocy. Masz prawo do pomocy i ochrony — w szczególności "
                                 "do bezpłatnej pomocy psychologicznej, prawnej, socjalnej i zawodowej, do "
                                 "schronienia w ośrodku interwencji kryzysowej lub specjalistycznym ośrodku "
                                 "wsparcia, do bezpłatnego zaświadczenia lekarskiego o przyczynach i rodzaju "
                                 "uszkodzeń ciała, oraz do złożenia zawiadomienia o popełnieniu przestępstwa.")
    identity = docs.centre_identity()
    docs.add_heading(document, "Gdzie szukać pomocy", 1)
    docs.add_paragraph(document, ", ".join(x for x in [identity.name, *identity.address_lines] if x) or BLANK)
    if identity.phone:
        docs.add_labelled(document, "Telefon", identity.phone)
    docs.add_paragraph(document, "Ogólnopolski telefon dla osób doznających przemocy domowej „Niebieska Linia”; "
                                 "w sytuacji zagrożenia życia lub zdrowia — numer alarmowy 112.")
    docs.add_heading(document, "Przekazanie formularza", 1)
    if procedure.nkb_handed_on:
        docs.add_labelled(document, "Data przekazania", procedure.nkb_handed_on.isoformat())
        docs.add_labelled(document, "Komu", f"{procedure.nkb_recipient} "
                                            f"({ROLE_PL.get(procedure.nkb_recipient_role, '')})")
    elif procedure.nkb_not_handed_reason:
        docs.add_labelled(document, "Nie przekazano — powód", procedure.nkb_not_handed_reason)
    else:
        docs.add_labelled(document, "Data przekazania", BLANK)
        docs.add_labelled(document, "Komu", BLANK)
    docs.add_signatures(document, ["Podpis osoby przekazującej formularz"])


def _meetings_with(procedure, person, form):
    return [m for m in procedure.meetings if any(f["form"] == form and f["person_id"] == person.id
                                                 for f in m.forms or [])]


def _members(document, procedure):
    docs.add_heading(document, "Skład grupy diagnostyczno-pomocowej", 1)
    rows = [[m.name, SECTOR_PL.get(m.sector, "")] for m in procedure.group]
    docs.add_table(document, ["Imię i nazwisko", "Przedstawiciel"], rows or [[BLANK, BLANK]])


def _nkc(document, procedure, person):
    meetings = _meetings_with(procedure, person, "NK-C")
    docs.add_labelled(document, "Data posiedzenia", ", ".join(m.meeting_date.isoformat() for m in meetings) or BLANK)
    docs.add_heading(document, "I. Dane osoby doznającej przemocy domowej", 1)
    docs.add_table(document, ["Pole", "Dane"], _person_rows(person))
    docs.add_heading(document, "II. Formy przemocy domowej", 1)
    for code, label in VIOLENCE_PL.items():
        docs.add_paragraph(document, f"{_check(code in (procedure.violence_forms or []))} {label}")
    _members(document, procedure)
    docs.add_heading(document, "III. Indywidualny plan pomocy", 1)
    actions = [a for a in services.help_actions(procedure) if a.person_id == person.id]
    docs.add_table(document, ["Działanie", "Odpowiedzialny", "Termin", "Zrealizowane"],
                   [[a.action, a.responsible or "", a.deadline.isoformat() if a.deadline else "",
                     "tak" if a.done else "nie"] for a in actions] or [[BLANK, BLANK, BLANK, BLANK]])
    docs.add_signatures(document, ["Podpis osoby doznającej przemocy domowej", "Podpisy członków grupy"])


def _nkd(document, procedure, person):
    meetings = _meetings_with(procedure, person, "NK-D")
    docs.add_labelled(document, "Data posiedzenia", ", ".join(m.meeting_date.isoformat() for m in meetings) or BLANK)
    docs.add_heading(document, "I. Dane osoby, wobec której istnieje podejrzenie, że stosuje przemoc domową", 1)
    docs.add_table(document, ["Pole", "Dane"], [r for r in _person_rows(person)])
    _members(document, procedure)
    docs.add_heading(document, "II. Wezwania i stawiennictwo", 1)
    summons = [s for s in procedure.steps if s.kind == "summons" and s.details.get("person_id") == person.id]
    docs.add_numbered(document, [_step_line(procedure, s) for s in summons] or [BLANK])
    docs.add_heading(document, "III. Skierowanie do programu", 1)
    if person.referred_on:
        label = {"corrective_educational": "program oddziaływań korekcyjno-edukacyjnych",
                 "therapy": "program psychologiczno-terapeutyczny"}.get(person.programme, "")
        docs.add_paragraph(document, f"{person.referred_on.isoformat()}: {label}")
    else:
        docs.add_paragraph(document, BLANK)
    docs.add_paragraph(document, "Osobę poinformowano o konsekwencjach prawnych stosowania przemocy domowej.")
    docs.add_signatures(document, ["Podpis osoby, wobec której istnieje podejrzenie, że stosuje przemoc domową",
                                   "Podpisy członków grupy"])


def _step_line(procedure, step) -> str:
    names = {p.id: p.name for p in procedure.persons}
    d = step.details or {}
    text = f"{step.step_date.isoformat()} — {rules.STEP_LABELS[step.kind]}"
    if step.kind == "summons":
        came = {True: "stawił(a) się", False: "nie stawił(a) się"}.get(d.get("attended"), "")
        text += f": {names.get(d.get('person_id'), '')} {came}".rstrip()
    elif step.kind == "notification":
        text += f": {'Policja' if d.get('authority') == 'police' else 'prokuratura'}"
        if d.get("file_number"):
            text += f", sygn. {d['file_number']}"
    elif step.kind == "art12a":
        text += f": {names.get(d.get('person_id'), '')}"
        if d.get("court_notified_on"):
            text += f"; sąd opiekuńczy powiadomiony {d['court_notified_on']}"
    return text
