"""Placeholders in a report's text: `{CODE}` becomes the figure of an indicator, with the noun after it agreeing
in number the Polish way ("{AR_FAMILIES_SUPPORTED} rodzin" → "1 rodzina", "3 rodziny", "15 rodzin", "22 rodziny").

Syntax inside the braces:
  - a code: `{AR_FAMILIES_SUPPORTED}`; an object-by-key indicator's key: `{CONTACTS_BY_INSTITUTION_TYPE["school"]}`;
  - an expression of them: `{AR_ENDED_GOALS_ACHIEVED + AR_ENDED_OTHER}` (+ - * / and parentheses);
  - another year: `{AR_FAMILIES_SUPPORTED@-1}` (the year before the report's);
  - a format: `{FC_COST_TOTAL:money}` → "295 117,45 zł", `:num`, `:int`, `:pct` (costs are money by default);
  - the noun's forms when the built-in list does not know it: `{NK_GROUPS_FORMED|grupa|grupy|grup}`;
  - names: {YEAR}, {PREVIOUS_YEAR}, {NEXT_YEAR}, {CENTRE}, {MUNICIPALITY}, {HEAD}.
Plural rules are babel's (CLDR) for Polish: one (1), few (2–4, 22–24, …), many (0, 5–21, 25–31, …)."""
import ast
import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from flask_babel import gettext as _

from casework.core import formatting
from casework.core.errors import RuleError
from casework.core.indicators import BY_KEY, DECIMAL
from casework.core.indicators import get as get_indicator

#: (one, few, many) of the nouns reports count; a noun is found by any of its forms
NOUNS = (
    ("rodzina", "rodziny", "rodzin"), ("dziecko", "dzieci", "dzieci"), ("osoba", "osoby", "osób"),
    ("asystent", "asystentów", "asystentów"), ("asystentka", "asystentki", "asystentek"),
    ("wizyta", "wizyty", "wizyt"), ("godzina", "godziny", "godzin"), ("spotkanie", "spotkania", "spotkań"),
    ("ocena", "oceny", "ocen"), ("opinia", "opinie", "opinii"), ("wniosek", "wnioski", "wniosków"),
    ("kontakt", "kontakty", "kontaktów"), ("szkolenie", "szkolenia", "szkoleń"),
    ("procedura", "procedury", "procedur"), ("grupa", "grupy", "grup"), ("porada", "porady", "porad"),
    ("członek", "członków", "członków"), ("świadczenie", "świadczenia", "świadczeń"), ("rok", "lata", "lat"),
    ("miesiąc", "miesiące", "miesięcy"), ("dzień", "dni", "dni"), ("raz", "razy", "razy"),
    ("posiedzenie", "posiedzenia", "posiedzeń"), ("placówka", "placówki", "placówek"),
    ("program", "programy", "programów"), ("uczestnik", "uczestników", "uczestników"),
    ("pracownik", "pracowników", "pracowników"), ("zespół", "zespoły", "zespołów"),
    ("wywiad", "wywiady", "wywiadów"), ("interwencja", "interwencje", "interwencji"),
    ("sprawa", "sprawy", "spraw"), ("karta", "karty", "kart"), ("rodzic", "rodziców", "rodziców"),
    ("matka", "matki", "matek"), ("kobieta", "kobiety", "kobiet"), ("zajęcia", "zajęcia", "zajęć"),
)
_BY_FORM = {form: forms for forms in NOUNS for form in forms}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}(\s+)?([A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]+)?")
FORMATS = ("money", "num", "int", "pct")
NAMES = ("YEAR", "PREVIOUS_YEAR", "NEXT_YEAR", "CENTRE", "MUNICIPALITY", "HEAD")


class PlaceholderError(RuleError):
    """A placeholder that cannot be resolved (Polish message naming it)."""


def plural_form(n) -> str:
    """"one", "few" or "many" for a number, by babel's Polish rules (fractions take the "few" form: 2,5 rodziny)."""
    try:
        category = Locale.parse("pl").plural_form(abs(n))
    except (TypeError, ValueError):
        return "many"
    return {"one": "one", "few": "few"}.get(category, "many" if category == "many" else "few")


def agree(n, one: str, few: str, many: str) -> str:
    return {"one": one, "few": few, "many": many}[plural_form(n)]


def noun_for(n, word: str) -> str:
    """The form of a known noun agreeing with n, in the case the author wrote it (Rodzin → Rodziny)."""
    forms = _BY_FORM.get(word.lower())
    if forms is None:
        return word
    chosen = agree(n, *forms)
    return chosen.capitalize() if word[:1].isupper() else chosen


@dataclass
class Parsed:
    expr: str
    offset: int = 0
    fmt: str | None = None
    forms: tuple | None = None
    #: the one code when the expression is just a code (its figure links to the drill-down)
    code: str | None = None
    key: str | None = None
    name: str | None = None


def parse(inner: str) -> Parsed:
    text = inner.strip()
    forms = None
    if "|" in text:
        text, *rest = [part.strip() for part in text.split("|")]
        if len(rest) != 3 or not all(rest):
            raise PlaceholderError(_("In {%(text)s} give three forms of the noun: for 1, for 2–4 and for 5 "
                                     "(e.g. |grupa|grupy|grup).", text=inner))
        forms = tuple(rest)
    fmt = None
    if ":" in text:
        text, fmt = [part.strip() for part in text.rsplit(":", 1)]
        if fmt not in FORMATS:
            raise PlaceholderError(_("Unknown format %(fmt)s in {%(text)s}; use money, num, int or pct.",
                                     fmt=fmt, text=inner))
    offset = 0
    if "@" in text:
        text, raw = [part.strip() for part in text.rsplit("@", 1)]
        try:
            offset = int(raw)
        except ValueError:
            raise PlaceholderError(_("After @ give the years back, e.g. {%(text)s@-1}.", text=text)) from None
    if text in NAMES:
        return Parsed(text, offset, fmt, forms, name=text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise PlaceholderError(_("{%(text)s} is not a code or an expression of codes.", text=inner)) from None
    code = key = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            indicator = get_indicator(node.id)
            if indicator is None:
                raise PlaceholderError(_("There is no indicator with the code %(code)s.", code=node.id))
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Subscript, ast.Load,
                                   ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)):
            raise PlaceholderError(_("{%(text)s} is not a code or an expression of codes.", text=inner))
    body = tree.body
    if isinstance(body, ast.Name):
        code = body.id
        if get_indicator(code).kind == BY_KEY:
            raise PlaceholderError(_("%(code)s is a table of values; name a key, e.g. %(code)s[\"key\"].",
                                     code=code))
    elif isinstance(body, ast.Subscript) and isinstance(body.value, ast.Name) \
            and isinstance(body.slice, ast.Constant):
        code, key = body.value.id, str(body.slice.value)
    return Parsed(text, offset, fmt, forms, code=code, key=key)


def _number(value):
    n = formatting._number(value)
    return 0 if n is None else n


def evaluate(parsed: Parsed, values: dict):
    """The value of a parsed placeholder over one year's indicator values (None when a code has no value)."""
    tree = ast.parse(parsed.expr, mode="eval")

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)):
                raise PlaceholderError(_("{%(text)s} is not a code or an expression of codes.", text=parsed.expr))
            return node.value
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.Subscript):
            table = values.get(node.value.id) if isinstance(node.value, ast.Name) else None
            key = walk(node.slice) if not isinstance(node.slice, ast.Constant) else node.slice.value
            return None if table is None else (table or {}).get(str(key), 0)
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return None if value is None else (-_number(value) if isinstance(node.op, ast.USub) else value)
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            left, right = _number(left), _number(right)
            if isinstance(left, Decimal) != isinstance(right, Decimal):
                left, right = Decimal(str(left)), Decimal(str(right))
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return None if right == 0 else left / right
        raise PlaceholderError(_("{%(text)s} is not a code or an expression of codes.", text=parsed.expr))

    return walk(tree)


def format_value(value, parsed: Parsed) -> str:
    """A figure as printed: 52; 12 833,30 zł; 12,5%; "—" when there is no value."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "—"
    fmt = parsed.fmt
    if fmt is None and parsed.code:
        indicator = get_indicator(parsed.code)
        if indicator is not None and indicator.kind == DECIMAL:
            fmt = "money" if "COST" in parsed.code else "num"
    if fmt == "money":
        return formatting.money(value)
    if fmt == "pct":
        return formatting.num(value, 1) + "%"
    if fmt == "int":
        return formatting.num(round(_number(value)), 0)
    n = _number(value)
    if isinstance(n, float) or (isinstance(n, Decimal) and n != n.to_integral_value()):
        return formatting.num(n, 2)
    return formatting.num(n, 0)


@dataclass
class Segment:
    """A piece of rendered text; a figure keeps its code and year (the HTML links it to its drill-down)."""
    text: str
    code: str | None = None
    year: int | None = None
    value: object = None


def render(text: str, values_for, year: int, names: dict) -> list[Segment]:
    """Text with its placeholders resolved: segments of plain text and figures. `values_for(year)` gives that
    year's indicator values; `names` the values of YEAR, CENTRE, …. PlaceholderError on an unknown code."""
    segments: list[Segment] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text or ""):
        segments.append(Segment(text[position:match.start()]))
        position = match.end()
        parsed = parse(match.group(1))
        space, word = match.group(2) or "", match.group(3) or ""
        if parsed.name:
            segments.append(Segment(str(names.get(parsed.name, "") if parsed.name not in ("YEAR", "PREVIOUS_YEAR",
                                                                                          "NEXT_YEAR")
                                        else year + parsed.offset + {"YEAR": 0, "PREVIOUS_YEAR": -1,
                                                                     "NEXT_YEAR": 1}[parsed.name])))
            segments.append(Segment(space + word))
            continue
        at = year + parsed.offset
        value = evaluate(parsed, values_for(at))
        shown = format_value(value, parsed)
        if parsed.forms and value is not None:
            segments.append(Segment(shown, parsed.code, at, value))
            segments.append(Segment(" " + agree(_number(value), *parsed.forms) + space + word))
            continue
        segments.append(Segment(shown, parsed.code, at, value))
        if word:
            word = noun_for(_number(value), word) if value is not None and parsed.fmt != "money" else word
        segments.append(Segment(space + word))
    segments.append(Segment((text or "")[position:]))
    return [s for s in segments if s.text]


def plain(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def check(text: str) -> list[str]:
    """The problems of a text's placeholders (Polish), for the editor; [] when every one resolves."""
    problems = []
    for match in _PLACEHOLDER.finditer(text or ""):
        try:
            parse(match.group(1))
        except PlaceholderError as exc:
            problems.extend(exc.messages)
    return problems
