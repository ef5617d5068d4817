"""Municipal programmes (family support, violence prevention) reported on each year, and the ministry report's rows.

A programme is goals → forms of realisation → measures (wskaźniki realizacji). A measure is either bound to an
indicator code (filled from the case data) or typed in for each year, with who supplied the figure."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint,
                        false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.core.timeutil import utcnow
from casework.extensions import db

PROGRAMME_KINDS = ("family_support", "violence_prevention")


class Programme(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: family_support (art. 176 pkt 1 UWR: gminny program wspierania rodziny) or violence_prevention
    #: (gminny program przeciwdziałania przemocy domowej)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(400), nullable=False)
    year_from: Mapped[int] = mapped_column(Integer, nullable=False)
    year_to: Mapped[int] = mapped_column(Integer, nullable=False)
    #: the council's resolution adopting the programme (uchwała nr …)
    resolution: Mapped[str | None] = mapped_column(String(100))
    adopted_by: Mapped[str | None] = mapped_column(String(200))
    adopted_on: Mapped[str | None] = mapped_column(String(20))
    introduction: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    goals: Mapped[list["ProgrammeGoal"]] = relationship(back_populates="programme", order_by="ProgrammeGoal.position",
                                                        cascade="all, delete-orphan")


class ProgrammeGoal(db.Model):
    __tablename__ = "programme_goal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    #: kierunki działań, one per line
    directions: Mapped[str | None] = mapped_column(Text)

    programme: Mapped[Programme] = relationship(back_populates="goals")
    forms: Mapped[list["ProgrammeForm"]] = relationship(back_populates="goal", order_by="ProgrammeForm.position",
                                                        cascade="all, delete-orphan")

    @property
    def direction_list(self) -> list[str]:
        return [line.strip() for line in (self.directions or "").splitlines() if line.strip()]


class ProgrammeForm(db.Model):
    """A form of realisation (forma realizacji), or a task (zadanie) with its forms, of one goal."""
    __tablename__ = "programme_form"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("programme_goal.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    task: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    schedule: Mapped[str | None] = mapped_column(String(200))
    partners: Mapped[str | None] = mapped_column(Text)

    goal: Mapped[ProgrammeGoal] = relationship(back_populates="forms")
    measures: Mapped[list["ProgrammeMeasure"]] = relationship(back_populates="form",
                                                              order_by="ProgrammeMeasure.position",
                                                              cascade="all, delete-orphan")


class ProgrammeMeasure(db.Model):
    """A measure (wskaźnik realizacji): bound to an indicator code, or typed in each year."""
    __tablename__ = "programme_measure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("programme_form.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    label: Mapped[str] = mapped_column(Text, nullable=False)
    #: an indicator code from the registry (INDICATORS.md); None: the value is typed in for each year
    code: Mapped[str | None] = mapped_column(String(64))

    form: Mapped[ProgrammeForm] = relationship(back_populates="measures")
    values: Mapped[list["MeasureValue"]] = relationship(back_populates="measure", cascade="all, delete-orphan")


class MeasureValue(VersionedMixin, db.Model):
    """The typed-in figure of a measure for one year, and who supplied it (a partner institution, a department)."""
    __tablename__ = "measure_value"
    __table_args__ = (UniqueConstraint("measure_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("programme_measure.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    supplied_by: Mapped[str | None] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)

    measure: Mapped[ProgrammeMeasure] = relationship(back_populates="values")


class MinistryRow(db.Model):
    """A row of the half-yearly report to the ministry (sprawozdanie rzeczowo-finansowe z wykonywania zadań z
    zakresu wspierania rodziny): its label as the form prints it, bound to an indicator code. The forms change,
    so coordinators edit this table."""
    __tablename__ = "ministry_row"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    label: Mapped[str] = mapped_column(Text, nullable=False)
    #: the single indicator code of the row when its expression is one code (kept for older rows and links)
    code: Mapped[str | None] = mapped_column(String(64))
    #: the row's number as the form prints it ("1", "1.1", "5.2")
    number: Mapped[str | None] = mapped_column(String(20))
    #: the value as an expression over codes and keys (casework/reports/ministry.py): "AR_ENDED_MOVED_AWAY +
    #: AR_ENDED_OTHER", "AR_COST_BY_SOURCE[own]", "AR_STAFF_BY_EMPLOYMENT_FORM[civil_contract + service]"
    expression: Mapped[str | None] = mapped_column(Text)
    #: the number of the row this one is a part of ("w tym"), e.g. "1.2" for "1.2.1"
    parent_number: Mapped[str | None] = mapped_column(String(20))
    #: the rows whose parent this is add up to it exactly (checked before the half-year closes)
    sums_parts: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    #: where a figure that cannot be derived comes from (it is then typed into the form by hand)
    source: Mapped[str | None] = mapped_column(String(300))



class MinistryRowValue(VersionedMixin, db.Model):
    """The figure of a typed-in row (one casework cannot derive, e.g. the municipality's spending on day-support
    facilities from its accounts) for one half-year, who supplied it and who typed it, so the report carries it
    and the form is copied whole."""
    __tablename__ = "ministry_row_value"
    __table_args__ = (UniqueConstraint("row_id", "year", "half"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("ministry_row.id", ondelete="CASCADE"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    half: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    supplied_by: Mapped[str | None] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)

#: the kinds of a report section (casework/reports/sections.py renders each)
SECTION_KINDS = ("text", "derived_table", "typed_table", "list", "programme", "letter")


class ReportDocument(VersionedMixin, TimestampMixin, db.Model):
    """One year's edition of a report the centre writes (the annual information on a programme, the report to the
    council under art. 179 ust. 1 UWR, the assistants' annual report): an ordered list of sections. Next year's
    edition is a copy of this one (`previous_id`), its figures recomputed."""
    __tablename__ = "report_document"
    __table_args__ = (UniqueConstraint("series", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: what stays the same from year to year (e.g. "family-support-info"); one edition per series and year
    series: Mapped[str] = mapped_column(String(100), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(400), nullable=False)
    subtitle: Mapped[str | None] = mapped_column(Text)
    #: the file number (znak sprawy) printed in the document, e.g. MGOPS.AR.440.7.2026
    file_number: Mapped[str | None] = mapped_column(String(100))
    prepared_by: Mapped[str | None] = mapped_column(String(200))
    #: the example the first edition was made from (casework/reports/examples/documents/<template>.json)
    template: Mapped[str | None] = mapped_column(String(100))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("report_document.id", ondelete="SET NULL"))
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the figures as they were at the last export ({cell key: text}), to show what changed since
    exported_figures: Mapped[dict | None] = mapped_column(JSON)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sections: Mapped[list["ReportSection"]] = relationship(back_populates="document",
                                                           order_by="ReportSection.position",
                                                           cascade="all, delete-orphan")


class ReportSection(db.Model):
    """A section of a report: its kind, heading and content (the shape of `content` depends on the kind, see
    casework/reports/sections.py)."""
    __tablename__ = "report_section"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("report_document.id", ondelete="CASCADE"), nullable=False,
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    heading: Mapped[str | None] = mapped_column(Text)
    #: 1–4: the Word heading level (a table of contents is built from them)
    level: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    content: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    document: Mapped[ReportDocument] = relationship(back_populates="sections")
