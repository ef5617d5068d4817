"""PESEL through python-stdnum: the one function that says, in Polish, what is wrong with a number."""
from datetime import date

import pytest

from casework.core import pesel


def test_a_valid_pesel_decodes_its_birth_date_and_sex():
    number = pesel.encode(date(2005, 7, 14), 1235)
    assert number.startswith("0527")  # 2000s: month + 20
    assert pesel.birth_date(number) == date(2005, 7, 14)
    assert pesel.sex(number) == "M"  # odd tenth digit
    assert pesel.pesel_problems(number, date(2005, 7, 14), today=date(2026, 1, 1)) == []


@pytest.mark.parametrize("number, born, message", [
    ("4405140135", None, "11 cyfr"),
    ("44051401358", None, "cyfrę kontrolną"),
    ("4405 140135", None, "11 cyfr"),
    (pesel.encode(date(1819, 5, 1), 1), None, "1819-05-01, ponad 120 lat temu"),
    (pesel.encode(date(2027, 5, 1), 1), None, "2027-05-01, która jest w przyszłości"),
    (pesel.encode(date(2016, 2, 29), 1), date(2016, 3, 1), "2016-02-29, inną niż wpisana"),
])
def test_problems_are_said_in_polish(number, born, message):
    (problem,) = pesel.pesel_problems(number, born, today=date(2026, 11, 30))
    assert message in problem


def test_a_checksum_valid_number_without_a_date_is_refused():
    head = "8513311234"  # month 13
    from stdnum.pl.pesel import calc_check_digit

    number = head + calc_check_digit(head)
    assert pesel.checksum_ok(number)
    assert "nie zawiera poprawnej daty" in pesel.pesel_problems(number)[0]
    with pytest.raises(pesel.PeselError):
        pesel.birth_date(number)
