"""The search key: one normalised text stored beside the names of families, members, foster children and
institutions, so that one search box finds a name however it was typed, on SQLite and PostgreSQL alike (no
`unaccent` extension, no database collation: the key is computed here, in Python, and kept on every write).

The rule (docs/przewodnik-rodziny.md, "Wyszukiwanie"):
1. fold: lower case, Polish letters to their Latin base (ą→a, ć→c, ę→e, ł→l, ń→n, ó→o, ś→s, ź→z, ż→z; any other
   diacritic dropped too), every other character that is not a letter or a digit is a space;
2. a light Polish surname stem on each word of 5 letters or more: the first of these endings is cut, when at
   least 3 letters remain —
     -dzka -dzki -dzcy (Zawadzka, Zawadzki, Zawadzcy → zawa),
     -ska -ski -scy (Wiśniewska, Wiśniewski, Wiśniewscy → wisniew),
     -cka -cki -ccy (Nowicka, Nowicki, Nowiccy → nowi),
     -owna -owie -owa (Nowakówna, Nowakowie, Nowakowa → nowak);
   so every form of one surname shares one stem ("Wiśniewska" finds "Wiśniewscy", "wisniewska" finds both);
3. the key is the words so changed, each preceded by one space (" wisniew anna"): a query word matches when it is
   the beginning of a word of the key, `key LIKE '% word%'` (the words hold only a-z and 0-9, so no escaping).
The query goes through the same function, so "wiśniewscy", "WISNIEWSKA" and "Wiśniewsk" all find the same rows.
"""
import re
import unicodedata

from sqlalchemy import and_, event, true
from sqlalchemy.orm import Session

#: letters NFKD does not decompose to a Latin base
_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
#: surname endings, cut in this order (longest first), see the module's docstring
SURNAME_ENDINGS = ("dzka", "dzki", "dzcy", "owna", "owie", "ska", "ski", "scy", "cka", "cki", "ccy", "owa")
MIN_STEMMED = 5
MIN_STEM = 3
#: the length of the stored key column
KEY_LENGTH = 300


def fold(text: str | None) -> str:
    """Lower case, no diacritics, words of a-z/0-9 separated by single spaces."""
    text = (text or "").translate(_SPECIAL).lower()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def stem(word: str) -> str:
    """The shared stem of a folded word (the surname rule above); other words are returned unchanged."""
    if len(word) >= MIN_STEMMED and not word.isdigit():
        for ending in SURNAME_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    return word


def words(*texts: str | None) -> list[str]:
    """The key's words of the texts, in order, each once."""
    out: list[str] = []
    for text in texts:
        for word in fold(text).split():
            word = stem(word)
            if word not in out:
                out.append(word)
    return out


def search_key(*texts: str | None) -> str:
    """The stored key of the texts (each word preceded by a space), at most KEY_LENGTH characters."""
    key = "".join(" " + w for w in words(*texts))
    return key[:KEY_LENGTH]


def matches(column, query: str):
    """A SQL condition: every word of the query begins a word of the key column (true for an empty query)."""
    conditions = [column.like(f"% {w}%") for w in words(query)]
    return and_(*conditions) if conditions else true()


#: table name → the columns its key is made of (filled by keep_search_key)
KEYED_TABLES: dict[str, tuple[str, ...]] = {}


def keep_search_key(model, fields: tuple[str, ...], attribute: str = "search_key") -> None:
    """Keep model.<attribute> = search_key(<fields>) on every write: ORM inserts and updates (forms, CLI,
    services) by a mapper event; Core inserts (demo, import) by the column's default (`insert_default`); Core
    UPDATEs run through the session with the fields as parameters (a re-import) by `_keys_in_core_updates`."""
    KEYED_TABLES[model.__table__.name] = tuple(fields)

    def refresh(_mapper, _connection, target):
        key = search_key(*(getattr(target, f) for f in fields))
        if getattr(target, attribute, None) != key:
            setattr(target, attribute, key)

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)


def insert_default(*fields: str):
    """A column default computing the key from the inserted row's own values (a Core `insert()` of many rows)."""

    def default(context):
        params = context.get_current_parameters()
        return search_key(*(params.get(f) for f in fields))

    return default


@event.listens_for(Session, "do_orm_execute")
def _keys_in_core_updates(state):
    """An UPDATE of a keyed table sent through the session with every field of the key among its parameters (the
    import's batch update: one dict per row) gets the key as a parameter too, so it is set in the same statement."""
    if not state.is_update or not state.parameters:
        return None
    table = getattr(state.statement, "table", None)
    fields = KEYED_TABLES.get(getattr(table, "name", None))
    if fields is None:
        return None
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters]
    if not all(isinstance(r, dict) and "search_key" not in r and all(f in r for f in fields) for r in rows):
        return None
    keyed = [dict(r, search_key=search_key(*(r[f] for f in fields))) for r in rows]
    return state.invoke_statement(params=keyed if isinstance(state.parameters, list) else keyed[0])
