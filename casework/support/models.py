"""Registers of issue 18 around family assistance: supporting families (art. 29–30 UWR), day-support facilities
and children's attendance (art. 18 UWR), the interdisciplinary team's membership (art. 9a of the ustawa
o przeciwdziałaniu przemocy domowej) and "Za życiem" coordination requests recorded on their own (art. 8 of the
ustawa „Za życiem”).

The waiting list has no table: a family waits from the referral (or court order) of its support period until the
period's first assignment of an assistant (casework.support.waiting)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

#: forms of day support, art. 18 ust. 1 UWR: opiekuńcza (koła, kluby, świetlice), specjalistyczna, praca podwórkowa;
#: art. 18 ust. 2: a facility may combine them
DAY_SUPPORT_FORMS = ("care", "specialist", "street_work", "combined")
DAY_SUPPORT_FORM_LABELS = {"care": _l("care form"), "specialist": _l("specialist form"),
                           "street_work": _l("street work"), "combined": _l("combined forms")}
DAY_SUPPORT_TYPE = "day_support"  # the institution-type code of the directory (casework.contacts)

#: whom a member of the interdisciplinary team represents (art. 9a ust. 3–5 ustawy o przeciwdziałaniu przemocy
#: domowej: social assistance, the alcohol commission, police, education, health care, NGOs, probation officers;
#: may also include a prosecutor and others)
TEAM_SECTORS = ("social_assistance", "alcohol_commission", "police", "education", "health_care", "ngo",
                "probation", "prosecutor", "other")
TEAM_SECTOR_LABELS = {"social_assistance": _l("social assistance"), "alcohol_commission": _l("alcohol commission"),
                      "police": _l("police"), "education": _l("education"), "health_care": _l("health care"),
                      "ngo": _l("non-governmental organisation"), "probation": _l("court probation officers"),
                      "prosecutor": _l("prosecutor's office"), "other": _l("other")}


class SupportingFamily(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """Rodzina wspierająca (art. 29 UWR): a family from the neighbourhood helping a family in difficulty."""

    __tablename__ = "supporting_family"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the household as staff name it, e.g. "Anna i Piotr Nowakowie"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: appointed by the head of the municipality / centre (art. 29 ust. 3 UWR) from this date
    start_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    #: no longer a supporting family after this date (empty: still one)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    helps: Mapped[list["SupportingFamilyHelp"]] = relationship(back_populates="supporting_family",
                                                               order_by="SupportingFamilyHelp.start_date")


class SupportingFamilyHelp(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """Which family a supporting family helps, from when to when (art. 29 ust. 2: with its consent)."""

    __tablename__ = "supporting_family_help"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supporting_family_id: Mapped[int] = mapped_column(ForeignKey("supporting_family.id"), nullable=False, index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    #: the supported family's consent (art. 29 ust. 2 UWR)
    consent_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    supporting_family: Mapped[SupportingFamily] = relationship(back_populates="helps")
    family = relationship("Family")
    costs: Mapped[list["SupportingFamilyCost"]] = relationship(back_populates="help",
                                                               order_by="SupportingFamilyCost.month")


class SupportingFamilyCost(TimestampMixin, db.Model):
    """Costs reimbursed to a supporting family (art. 30 ust. 1 UWR) for one month of its help."""

    __tablename__ = "supporting_family_cost"
    __table_args__ = (UniqueConstraint("help_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    help_id: Mapped[int] = mapped_column(ForeignKey("supporting_family_help.id"), nullable=False, index=True)
    #: the first day of the month the cost is for
    month: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)

    help: Mapped[SupportingFamilyHelp] = relationship(back_populates="costs")


class DaySupportFacility(VersionedMixin, TimestampMixin, db.Model):
    """The day-support details of an institution of the directory of type day_support (art. 18 UWR)."""

    __tablename__ = "day_support_facility"

    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), primary_key=True)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    #: places (miejsca) in the facility
    places: Mapped[int | None] = mapped_column(Integer)

    institution = relationship("Institution")


class DaySupportAttendance(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A child of a family attending a day-support facility from–to."""

    __tablename__ = "day_support_attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_member.id"), nullable=False, index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), nullable=False, index=True)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    member = relationship("FamilyMember")
    institution = relationship("Institution")


class TeamMembership(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A member of the interdisciplinary team (zespół interdyscyplinarny), appointed by the head of the
    municipality (art. 9a ust. 2 ustawy o przeciwdziałaniu przemocy domowej). The register is the reported fact;
    the zi_member role remains the access rule."""

    __tablename__ = "team_membership"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the person's account in casework, if any
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    sector: Mapped[str] = mapped_column(String(30), nullable=False)
    #: the institution represented, from the directory or typed
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    institution_name: Mapped[str | None] = mapped_column(String(200))
    appointed_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    is_chair: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    user = relationship("User")
    institution = relationship("Institution")

    @property
    def represents(self) -> str:
        return self.institution.name if self.institution is not None else (self.institution_name or "")


class ZaZyciemRequest(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A "Za życiem" request for an assistant's coordination of support (art. 8 of the ustawa z 4 listopada 2016 r.
    o wsparciu kobiet w ciąży i rodzin „Za życiem”), recorded on its own: it may come before, or without, a regular
    support period."""

    __tablename__ = "za_zyciem_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    request_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("dictionary_entry.id"))
    #: the regular support period the coordination runs within, if there is one
    support_period_id: Mapped[int | None] = mapped_column(ForeignKey("support_period.id"), index=True)
    #: the assistant coordinating the support
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    coordination_start: Mapped[date | None] = mapped_column(Date)
    coordination_end: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    family = relationship("Family")
    category = relationship("DictionaryEntry")
    assistant = relationship("User")
    support_period = relationship("SupportPeriod")
