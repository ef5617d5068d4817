"""Foster care (piecza zastępcza) of the municipality's children and the municipality's co-financing share
(art. 191 ust. 9 UWR: 10 % of the cost in the first year of the child's stay, 30 % in the second, 50 % from the third).
"""
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.core.search_keys import KEY_LENGTH, insert_default, keep_search_key
from casework.extensions import db
from casework.families.models import ArchivableMixin

FAMILY_FORMS = ("foster_family_related", "foster_family_unrelated", "foster_family_professional",
                "family_childrens_home")
INSTITUTIONAL_FORMS = ("care_education_institution", "regional_care_therapy_institution",
                       "pre_adoption_intervention_centre")
FORMS = FAMILY_FORMS + INSTITUTIONAL_FORMS
END_REASONS = ("return_home", "adoption", "independence", "other_form", "other")
TIERS = (10, 30, 50)


class FosterChild(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A child of the municipality placed in foster care: a member of a registered family, or entered only here
    (when the family is not supported), with the name kept on this row."""
    __tablename__ = "foster_child"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("family_member.id"), unique=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    #: the search box's key of the name kept on this row (casework.core.search_keys; a member's name is found
    #: through the member's own key), kept on every write
    search_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, index=True,
                                            default=insert_default("last_name", "first_name"))
    birth_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    member = relationship("FamilyMember")
    family = relationship("Family")
    placements: Mapped[list["Placement"]] = relationship(back_populates="child", order_by="Placement.start_date",
                                                         cascade="all, delete-orphan")

    @property
    def name(self) -> str:
        if self.member is not None:
            return f"{self.member.first_name} {self.member.last_name}"
        return f"{self.first_name or ''} {self.last_name or ''}".strip()

    @property
    def born(self) -> date | None:
        return self.member.birth_date if self.member is not None else self.birth_date


keep_search_key(FosterChild, ("last_name", "first_name"))


class Placement(VersionedMixin, TimestampMixin, db.Model):
    """One placement in one form of foster care; a change of form is a new placement that continues the stay."""
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("foster_child.id", ondelete="CASCADE"), nullable=False,
                                          index=True)
    form: Mapped[str] = mapped_column(String(40), nullable=False)
    #: the county (powiat) that placed the child and bills the municipality
    county: Mapped[str | None] = mapped_column(String(200))
    court: Mapped[str | None] = mapped_column(String(200))
    court_signature: Mapped[str | None] = mapped_column(String(100))
    court_decision_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    #: the day the years of stay are counted from (the first placement, or the start of this stay when the
    #: setting restarts the count after a return home) — kept by services.recount(), read by the indicators
    count_from: Mapped[date] = mapped_column(Date, nullable=False)
    #: the first days of the second (30 %) and third (50 %) year of stay, from count_from in 12-month years
    tier_30_from: Mapped[date] = mapped_column(Date, nullable=False)
    tier_50_from: Mapped[date] = mapped_column(Date, nullable=False)

    child: Mapped[FosterChild] = relationship(back_populates="placements")

    @property
    def is_family_form(self) -> bool:
        return self.form in FAMILY_FORMS

    def tier_on(self, day: date) -> int:
        return 50 if day >= self.tier_50_from else 30 if day >= self.tier_30_from else 10


class FosterCareBill(VersionedMixin, TimestampMixin, db.Model):
    """A monthly bill from the county family-support centre (PCPR) for one child."""
    __tablename__ = "foster_care_bill"
    __table_args__ = (UniqueConstraint("child_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("foster_child.id", ondelete="CASCADE"), nullable=False,
                                          index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"))
    #: the first day of the month billed
    month: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    #: the total cost of the child's care in the month (PLN)
    total_cost: Mapped[float] = mapped_column(Numeric(12, 2), nullable=False)
    #: the co-financing tier in that month and the share computed from it and the rate table
    tier: Mapped[int] = mapped_column(Integer, nullable=False)
    form: Mapped[str] = mapped_column(String(40), nullable=False)
    computed_share: Mapped[float] = mapped_column(Numeric(12, 2), nullable=False)
    #: what the county billed, when it differs from the computed share (flagged for checking)
    billed_share: Mapped[float | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)

    child: Mapped[FosterChild] = relationship()
    placement: Mapped[Placement | None] = relationship()

    @property
    def share(self):
        """The municipality's share as paid: the billed figure when given, else the computed one."""
        return self.billed_share if self.billed_share is not None else self.computed_share

    @property
    def differs(self) -> bool:
        return self.billed_share is not None and self.billed_share != self.computed_share
