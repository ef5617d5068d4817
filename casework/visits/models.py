"""The assistant's daily log: visits and contacts with the family (wizyty / kontakty z rodziną)."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

PLACES = ("home", "centre", "institution", "other")
FORMS = ("home_visit", "centre_meeting", "accompanying", "phone_call", "other")
AREA_OF_WORK_KIND = "area_of_work"

visit_area = Table(
    "visit_area", db.Model.metadata,
    Column("visit_id", ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("dictionary_entry.id"), primary_key=True),
)


class Visit(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_family_date", "family_id", "visit_date"),
        Index("ix_visit_assistant_date", "assistant_id", "visit_date"),
        # the centre's counts over a period (indicator set, dashboard) read only these columns: an index-only scan
        # instead of 51,000 random reads of the visit table a year at the city tier (migration 0045)
        Index("ix_visit_date_counts", "visit_date", "family_id", "archived_at", "duration_minutes", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False)
    #: who logged the visit (the assistant whose work time it is)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    visit_date: Mapped[date] = mapped_column(Date, nullable=False)
    start_time: Mapped[time | None] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    place: Mapped[str | None] = mapped_column(String(20))
    form: Mapped[str | None] = mapped_column(String(20))
    #: what was done
    activities: Mapped[str | None] = mapped_column(Text)
    #: what was agreed for next time
    agreed_next: Mapped[str | None] = mapped_column(Text)
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the key (a UUID) the assistant's phone gave a visit logged without a connection: the phone sends it again
    #: until it hears back, and the same key answers with this visit (one row however often it is sent)
    client_key: Mapped[str | None] = mapped_column(String(36), unique=True)

    family = relationship("Family")
    assistant = relationship("User", foreign_keys=[assistant_id])
    areas = relationship("DictionaryEntry", secondary=visit_area, order_by="DictionaryEntry.position")

    @property
    def end_time(self) -> time | None:
        if self.start_time is None:
            return None
        return (datetime.combine(self.visit_date, self.start_time) + timedelta(minutes=self.duration_minutes)).time()
