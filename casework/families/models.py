"""Families, members, support periods and the assignment of assistants."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from casework.core.collation import sort_key
from casework.core.db import TimestampMixin, VersionedMixin
from casework.core.search_keys import KEY_LENGTH, insert_default, keep_search_key
from casework.extensions import db

AREA_URBAN = "urban"
AREA_RURAL = "rural"
AREAS = (AREA_URBAN, AREA_RURAL)

RELATION_PARENT = "parent"
RELATION_GUARDIAN = "guardian"
RELATION_CHILD = "child"
RELATION_OTHER_ADULT = "other_adult"
RELATIONS = (RELATION_PARENT, RELATION_GUARDIAN, RELATION_CHILD, RELATION_OTHER_ADULT)
RELATION_LABELS = {"parent": _l("parent"), "guardian": _l("legal guardian"), "child": _l("child"),
                   "other_adult": _l("other adult")}

BASIS_REFERRAL = "referral"  # wniosek pracownika socjalnego (voluntary work, with consent)
BASIS_COURT_ORDER = "court_order"  # postanowienie sądu, art. 109 § 2 pkt 1 KRO
BASES = (BASIS_REFERRAL, BASIS_COURT_ORDER)
BASIS_LABELS = {"referral": _l("social worker's referral"), "court_order": _l("court order")}

END_REASON_KIND = "end_reason"
#: the fields the search key is made of (casework.core.search_keys)
FAMILY_KEY_FIELDS = ("case_number", "name", "street", "postal_code", "city")
MEMBER_KEY_FIELDS = ("last_name", "first_name")
ZA_ZYCIEM_CATEGORY_KIND = "za_zyciem_category"


class ArchivableMixin:
    """Nothing a person entered is hard-deleted from the UI: it is archived with a reason."""

    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Family(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "family"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: unique in the centre; default pattern AR/<year>/<number>, editable
    case_number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    #: the household's name as staff use it (usually the parents' surname); sorted with Polish collation
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Polish alphabetical sort key of name (casework.core.collation), kept in step by a validator
    name_sort: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    #: the search box's key of case number, name and address (casework.core.search_keys), kept on every write
    search_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, index=True,
                                            default=insert_default(*FAMILY_KEY_FIELDS))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(100))
    area: Mapped[str] = mapped_column(String(10), nullable=False, default=AREA_URBAN)
    phone: Mapped[str | None] = mapped_column(String(40))
    #: the social worker responsible for the family (pracownik socjalny)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    members: Mapped[list["FamilyMember"]] = relationship(back_populates="family", order_by="FamilyMember.id")
    support_periods: Mapped[list["SupportPeriod"]] = relationship(
        back_populates="family", order_by="SupportPeriod.start_date")
    social_worker = relationship("User", foreign_keys=[social_worker_id])

    @validates("name")
    def _keep_sort_key(self, _key, value):
        self.name_sort = sort_key(value)
        return value

    @property
    def address(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)


class FamilyMember(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "family_member"
    __table_args__ = (
        # PESEL is unique among active (not archived) records.
        Index("uq_family_member_pesel_active", "pesel", unique=True,
              sqlite_where=text("archived_at IS NULL AND pesel IS NOT NULL"),
              postgresql_where=text("archived_at IS NULL AND pesel IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    birth_date: Mapped[date | None] = mapped_column(Date)
    pesel: Mapped[str | None] = mapped_column(String(11))
    relation: Mapped[str] = mapped_column(String(20), nullable=False)
    #: the search box's key of surname and first name (casework.core.search_keys), kept on every write
    search_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, index=True,
                                            default=insert_default(*MEMBER_KEY_FIELDS))
    #: lives in the household (children counted in indicators are household members)
    in_household: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    family: Mapped[Family] = relationship(back_populates="members")

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def is_child_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < 18


keep_search_key(Family, FAMILY_KEY_FIELDS)
keep_search_key(FamilyMember, MEMBER_KEY_FIELDS)


class SupportPeriod(VersionedMixin, TimestampMixin, db.Model):
    """Okres wsparcia: one span of an assistant's work with a family."""

    __tablename__ = "support_period"
    __table_args__ = (Index("ix_support_period_dates", "start_date", "end_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    basis: Mapped[str] = mapped_column(String(20), nullable=False, default=BASIS_REFERRAL)
    #: wniosek pracownika socjalnego: date and author
    referral_date: Mapped[date | None] = mapped_column(Date)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: postanowienie sądu (art. 109 § 2 pkt 1 KRO)
    court_name: Mapped[str | None] = mapped_column(String(200))
    court_case_signature: Mapped[str | None] = mapped_column(String(100))
    court_order_date: Mapped[date | None] = mapped_column(Date)
    #: the family's written consent, for voluntary work
    consent_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_reason_id: Mapped[int | None] = mapped_column(ForeignKey("dictionary_entry.id"))
    end_reason_text: Mapped[str | None] = mapped_column(Text)
    #: monitorowanie po zakończeniu pracy (art. 15 ust. 1 pkt 16 UWR), until this date
    monitoring_until: Mapped[date | None] = mapped_column(Date, index=True)
    #: "Za życiem": the family's request date and category
    za_zyciem_request_date: Mapped[date | None] = mapped_column(Date, index=True)
    za_zyciem_category_id: Mapped[int | None] = mapped_column(ForeignKey("dictionary_entry.id"))

    family: Mapped[Family] = relationship(back_populates="support_periods")
    referred_by = relationship("User", foreign_keys=[referred_by_id])
    end_reason = relationship("DictionaryEntry", foreign_keys=[end_reason_id])
    za_zyciem_category = relationship("DictionaryEntry", foreign_keys=[za_zyciem_category_id])
    assignments: Mapped[list["AssistantAssignment"]] = relationship(
        back_populates="support_period", order_by="AssistantAssignment.start_date")

    def is_open_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class AssistantAssignment(TimestampMixin, db.Model):
    """Which assistant worked with the family from when to when (end_date null: still assigned)."""

    __tablename__ = "assistant_assignment"
    __table_args__ = (
        Index("ix_assistant_assignment_assistant", "assistant_id", "end_date"),
        UniqueConstraint("support_period_id", "assistant_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    support_period_id: Mapped[int] = mapped_column(ForeignKey("support_period.id"), nullable=False, index=True)
    #: denormalized from the support period so access checks need one join
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)

    support_period: Mapped[SupportPeriod] = relationship(back_populates="assignments")
    assistant = relationship("User", foreign_keys=[assistant_id])
