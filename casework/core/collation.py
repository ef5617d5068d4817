"""Polish alphabetical order, portable across SQLite and PostgreSQL: a sort key computed in Python and stored
beside the name (Ł after L, Ś after S, Ż after Ź, case and diacritics of other languages folded)."""
import unicodedata

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
_RANK = {ch: i for i, ch in enumerate(POLISH_ALPHABET)}


def sort_key(text: str | None) -> str:
    """A string whose byte order is the Polish alphabetical order of text."""
    out = []
    for ch in (text or "").strip().lower():
        if ch in _RANK:
            out.append(chr(0x41 + _RANK[ch]))
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        if base in _RANK:
            out.append(chr(0x41 + _RANK[base]))
        elif ch.isdigit():
            out.append(ch)
        elif ch.isspace() or ch in "-'":
            out.append(" ")
        # other punctuation does not affect the order
    return "".join(out)[:200]
