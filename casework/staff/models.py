"""The staff register (issue 18): each assistant's employment spells, qualification basis, trainings and the cost
of employing them by source of funding. Every record hangs on the user account, so it stays when the account is
deactivated (accounts are never deleted)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

#: dictionary kind of the forms of employment (codes are the keys of AR_STAFF_BY_EMPLOYMENT_FORM)
EMPLOYMENT_FORM_KIND = "employment_form"
FORM_TASK_BASED = "employment_task_based"
FORM_OTHER_SYSTEM = "employment_other"
FORM_CIVIL = "civil_contract"
FORM_SERVICE = "service"
FORM_CONTRACTED = "contracted_entity"
EMPLOYMENT_FORMS = (FORM_TASK_BASED, FORM_OTHER_SYSTEM, FORM_CIVIL, FORM_SERVICE, FORM_CONTRACTED)
EMPLOYMENT_FORM_LABELS = {
    FORM_TASK_BASED: _l("employment contract, task-based working time"),
    FORM_OTHER_SYSTEM: _l("employment contract, another working-time system"),
    FORM_CIVIL: _l("civil-law contract"),
    FORM_SERVICE: _l("services of a self-employed person"),
    FORM_CONTRACTED: _l("employed by an entity the task is contracted to (art. 190 UWR)"),
}

#: sources of funding of the cost of employing assistants (keys of AR_COST_BY_SOURCE)
SOURCE_OWN = "own"
SOURCE_STATE = "state_programme"
SOURCE_EU = "eu"
SOURCE_OTHER = "other"
COST_SOURCES = (SOURCE_OWN, SOURCE_STATE, SOURCE_EU, SOURCE_OTHER)
COST_SOURCE_LABELS = {
    SOURCE_OWN: _l("municipality's own budget"),
    SOURCE_STATE: _l("state budget grant (e.g. programme \"Asystent rodziny\")"),
    SOURCE_EU: _l("European Union funds"),
    SOURCE_OTHER: _l("other sources"),
}

#: qualification bases of art. 12 ust. 1 pkt 1 UWR
QUAL_FIELD = "higher_field"
QUAL_HIGHER_TRAINING = "higher_training"
QUAL_SECONDARY_TRAINING = "secondary_training"
QUALIFICATION_BASES = (QUAL_FIELD, QUAL_HIGHER_TRAINING, QUAL_SECONDARY_TRAINING)
QUALIFICATION_LABELS = {
    QUAL_FIELD: _l("higher education in pedagogy, psychology, sociology, family sciences or social work "
                   "(art. 12 ust. 1 pkt 1 lit. a UWR)"),
    QUAL_HIGHER_TRAINING: _l("other higher education with a training in work with children or families and at "
                             "least a year of such work (art. 12 ust. 1 pkt 1 lit. b UWR)"),
    QUAL_SECONDARY_TRAINING: _l("secondary education with that training and at least three years of such work "
                                "(art. 12 ust. 1 pkt 1 lit. c UWR)"),
}


class StaffProfile(VersionedMixin, TimestampMixin, db.Model):
    """One per person in the register: the qualification basis (art. 12 UWR)."""
    __tablename__ = "staff_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, unique=True)
    #: art. 12 ust. 1 pkt 1 UWR: which of the education paths the assistant meets (None: not recorded)
    qualification_basis: Mapped[str | None] = mapped_column(String(40))
    #: diploma, training certificate, years of work with children or families
    qualification_note: Mapped[str | None] = mapped_column(Text)
    #: art. 12 ust. 1 pkt 2-4 UWR (parental authority, maintenance, no conviction): the day they were checked
    conditions_checked_on: Mapped[date | None] = mapped_column(Date)

    user = relationship("User", foreign_keys=[user_id])


class EmploymentSpell(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """From when to when a person worked as a family assistant, in which form and with what working time."""
    __tablename__ = "employment_spell"
    __table_args__ = (Index("ix_employment_spell_user_dates", "user_id", "date_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("dictionary_entry.id"), nullable=False)
    #: full-time equivalent, 0 < fte <= 1 (a civil-law contract: the share of a full-time load it stands for)
    fte: Mapped[Decimal] = mapped_column(Numeric(4, 2), nullable=False)
    #: the organisation the municipality contracted the task to (art. 190 UWR), when it is the employer
    employer: Mapped[str | None] = mapped_column(String(200))
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date | None] = mapped_column(Date)

    user = relationship("User", foreign_keys=[user_id])
    form = relationship("DictionaryEntry", foreign_keys=[form_id])


class StaffTraining(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """A training an assistant attended: date, title, organiser, hours and what the centre paid."""
    __tablename__ = "staff_training"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    training_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    organiser: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    #: what the centre paid (None or 0: free of charge)
    cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    user = relationship("User", foreign_keys=[user_id])


class StaffCost(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """The cost of employing one assistant for a month or a run of whole months, from one source of funding."""
    __tablename__ = "staff_cost"
    __table_args__ = (Index("ix_staff_cost_user_dates", "user_id", "date_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    #: the first day of the first month
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    #: the last day of the last month (counted in the period that holds this day)
    date_to: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    note: Mapped[str | None] = mapped_column(String(300))

    user = relationship("User", foreign_keys=[user_id])
