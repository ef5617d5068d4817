"""Editable dictionaries (end reasons, areas of work, institution types, …): one table, a `kind` per list.

Each entry has a stable `code` (used by reports and indicators), a Polish label, an English label, an order,
and `active` (retired entries stay for history but are not offered in forms).
"""
from flask_babel import get_locale
from sqlalchemy import Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class DictionaryEntry(db.Model):
    __tablename__ = "dictionary_entry"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    label_pl: Mapped[str] = mapped_column(String(200), nullable=False)
    label_en: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: the entry needs a free-text explanation when chosen (e.g. end reason "other")
    requires_text: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: the statistics category this entry counts under (e.g. an end reason's report row); defaults to code
    maps_to: Mapped[str | None] = mapped_column(String(64))

    @property
    def label(self) -> str:
        locale = str(get_locale() or "pl")
        return self.label_en if locale == "en" and self.label_en else self.label_pl


def entries(kind: str, *, include_inactive: bool = False) -> list[DictionaryEntry]:
    stmt = select(DictionaryEntry).where(DictionaryEntry.kind == kind)
    if not include_inactive:
        stmt = stmt.where(DictionaryEntry.active.is_(True))
    return list(db.session.scalars(stmt.order_by(DictionaryEntry.position, DictionaryEntry.id)))


def choices(kind: str) -> list[tuple[int, str]]:
    return [(e.id, e.label) for e in entries(kind)]


def by_code(kind: str, code: str) -> DictionaryEntry | None:
    return db.session.scalar(select(DictionaryEntry).where(DictionaryEntry.kind == kind,
                                                           DictionaryEntry.code == code))


def seed_rows(kind: str, rows) -> list[dict]:
    """Rows for op.bulk_insert in a migration: rows are (code, label_pl, label_en[, requires_text])."""
    out = []
    for position, row in enumerate(rows, start=1):
        code, label_pl, label_en = row[:3]
        requires_text = bool(row[3]) if len(row) > 3 else False
        out.append({"kind": kind, "code": code, "label_pl": label_pl, "label_en": label_en,
                    "position": position * 10, "active": True, "requires_text": requires_text,
                    "maps_to": code})
    return out
