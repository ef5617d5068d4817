"""Seed 004 (Chmielnik, 2025): table 1 of the assistants' report reproduced from data a coordinator enters:
15 families supported, 28 children in them, 2 ended with goals achieved, 0 for stopping cooperation, 0 for no
effects."""
import io

from docx import Document

from casework.core import periods
from casework.extensions import db
from casework.indicators import engine, reports
from tests.indicators.helpers import child, d, family, period


def _enter_seed_004(make_user):
    assistant = make_user("assistant")
    children_per_family = [2] * 13 + [1, 1]  # 28 children in 15 families
    for n, kids in enumerate(children_per_family):
        fam = family(f"Rodzina{n}")
        for k in range(kids):
            child(fam, d(f"201{k + n % 5}-0{k + 1}-1{n % 9}"), f"Dziecko{k}")
        if n < 2:
            period(fam, d("2024-09-01"), d(f"2025-0{n + 4}-30"), "goals_achieved", assistant=assistant)
        elif n < 4:
            period(fam, d("2023-05-01"), d("2024-12-31"), "goals_achieved", assistant=assistant)  # ended 2024
            period(fam, d("2025-10-01"), assistant=assistant)  # came back in 2025
        else:
            period(fam, d(f"202{n % 3 + 3}-0{n % 9 + 1}-01"), assistant=assistant)
    db.session.commit()


def test_table_1_of_seed_004(make_user):
    _enter_seed_004(make_user)
    p = periods.year(2025)
    values = engine.compute(p)
    table = reports.assistants_table(p, values)
    assert [(label, value) for label, _code, value in table] == [
        ("Liczba rodzin, które korzystały z usług asystenta w 2025 roku", 15),
        ("Liczba rodzin, z którymi zakończono współpracę w 2025 ze względu na osiągnięcie celów", 2),
        ("Liczba rodzin, z którymi asystent zakończył współpracę w 2025 roku ze względu na zaprzestanie "
         "współpracy przez rodzinę", 0),
        ("Liczba rodzin, z którymi asystenci zakończyli współpracę w 2025 roku ze względu na brak efektów", 0),
    ]
    assert reports.assistants_summary(p, values) == (
        "W 2025 roku ze wsparcia asystenta rodziny korzystało łącznie 15 rodzin. "
        "W tych rodzinach wsparciem objęto 28 dzieci.")


def test_docx_export_contains_table_1(client, login_as, make_user):
    _enter_seed_004(make_user)
    login_as("coordinator")
    r = client.get("/reports/indicators/export.docx?year=2025")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.data))
    first = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert first[0] == ["Liczba rodzin, które korzystały z usług asystenta w 2025 roku", "15"]
    assert first[1][1] == "2"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "objęto 28 dzieci" in text
