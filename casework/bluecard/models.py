"""Niebieska Karta procedures (ustawa o przeciwdziałaniu przemocy domowej; rozporządzenie RM of 6.09.2023,
Dz.U. 2023 poz. 1870): their own compartment — only the interdisciplinary team (ZI) and the procedure's diagnostic
group read the content (casework.bluecard.access)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db

SECTORS = ("social_assistance", "police", "education", "health_care", "alcohol_commission", "other")
SECTOR_LABELS = {"social_assistance": _l("social assistance"), "police": _l("police"), "education": _l("education"),
                 "health_care": _l("health care"), "alcohol_commission": _l("municipal alcohol commission"),
                 "other": _l("other")}
VIOLENCE_FORMS = ("physical", "psychological", "sexual", "economic", "electronic", "other")
PERSON_ROLES = ("affected", "suspected")
CLOSING_GROUNDS = ("violence_stopped", "unfounded")
MEETING_KINDS = ("meeting", "monitoring_visit")
FORM_KINDS = ("NK-C", "NK-D")
PROGRAMMES = ("corrective_educational", "therapy")
#: who received NK-B: the affected person, or for a child a parent, legal guardian or actual carer
NKB_RECIPIENTS = ("affected", "parent", "guardian", "carer")


class Procedure(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "bluecard_procedure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    #: the registered family the procedure concerns, if any (its assistant sees that a procedure exists)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    #: the day the NK-A form was filled in (the procedure starts)
    nka_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    #: the sector of the person who filled in NK-A (art. 9d ust. 2 of the statute)
    sector: Mapped[str] = mapped_column(String(30), nullable=False)
    violence_forms: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: NK-B (information for the affected person) handed over — kept in step with nkb_handed_on
    nkb_handed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: when NK-B was handed, to whom (for a child: a parent, guardian or carer who is not the suspected person) and
    #: in which capacity (NKB_RECIPIENTS), or why it could not be handed (casework.bluecard.rules.check_nkb)
    nkb_handed_on: Mapped[date | None] = mapped_column(Date)
    nkb_recipient: Mapped[str | None] = mapped_column(String(200))
    nkb_recipient_role: Mapped[str | None] = mapped_column(String(20))
    nkb_not_handed_reason: Mapped[str | None] = mapped_column(Text)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: NK-A handed to the chair of the ZI (within 5 working days)
    to_chair_on: Mapped[date | None] = mapped_column(Date)
    #: the chair handed NK-A to a diagnostic group (within 3 working days)
    to_group_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    closing_ground: Mapped[str | None] = mapped_column(String(30))
    monitoring_until: Mapped[date | None] = mapped_column(Date)

    persons: Mapped[list["ProcedurePerson"]] = relationship(back_populates="procedure",
                                                            order_by="ProcedurePerson.id",
                                                            cascade="all, delete-orphan")
    group: Mapped[list["GroupMember"]] = relationship(back_populates="procedure", order_by="GroupMember.id",
                                                      cascade="all, delete-orphan")
    meetings: Mapped[list["GroupMeeting"]] = relationship(back_populates="procedure",
                                                          order_by="GroupMeeting.meeting_date",
                                                          cascade="all, delete-orphan")
    steps: Mapped[list["ProcedureStep"]] = relationship(back_populates="procedure",
                                                        order_by="(ProcedureStep.step_date, ProcedureStep.id)",
                                                        cascade="all, delete-orphan")
    family = relationship("Family")


class ProcedurePerson(db.Model):
    """An affected person (a child witnessing violence is affected too) or a person suspected of using violence:
    a member of a registered family, or a person entered only here."""
    __tablename__ = "bluecard_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("family_member.id"))
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    is_child: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    witness: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: where an affected person can be reached: never given to a person using violence (see docs/niebieska-karta.md)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: a person using violence referred to a corrective-educational or therapy programme
    referred_on: Mapped[date | None] = mapped_column(Date, index=True)
    programme: Mapped[str | None] = mapped_column(String(30))

    procedure: Mapped[Procedure] = relationship(back_populates="persons")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class GroupMember(db.Model):
    """A member of the procedure's diagnostic group: a user of casework (then they read the procedure) or a person
    from another institution (a police officer, a teacher, a nurse…)."""
    __tablename__ = "bluecard_group_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    sector: Mapped[str] = mapped_column(String(30), nullable=False)

    procedure: Mapped[Procedure] = relationship(back_populates="group")


class GroupMeeting(VersionedMixin, db.Model):
    """A meeting of the diagnostic group, or a monitoring visit in the family; NK-C and NK-D forms filled in it."""
    __tablename__ = "bluecard_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="meeting")
    meeting_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    #: [{"form": "NK-C"|"NK-D", "person_id": id}] — NK-C with affected persons, NK-D with persons using violence,
    #: never both in one meeting
    forms: Mapped[list] = mapped_column(JSON, nullable=False, default=list)

    procedure: Mapped[Procedure] = relationship(back_populates="meetings")


class HelpPlanAction(VersionedMixin, db.Model):
    """The individual help plan for an affected person (after NK-C): actions with who and by when."""
    __tablename__ = "bluecard_help_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("bluecard_person.id", ondelete="CASCADE"), nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    responsible: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    person: Mapped[ProcedurePerson] = relationship()


class ProcedureStep(db.Model):
    """A step of the procedure recorded with its date and author: a summons of the suspected person (and whether
    they came), a notification to the police or prosecutor (with their file number), an art. 12a action, information
    sent to another service, a decision of the group. `kind` is one of casework.bluecard.rules.STEP_KINDS and
    `details` holds that kind's fields, validated there."""
    __tablename__ = "bluecard_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    step_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    procedure: Mapped[Procedure] = relationship(back_populates="steps")
    author = relationship("User")
