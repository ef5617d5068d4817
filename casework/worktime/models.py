"""A piece of the assistant's work the other domains do not record: a court hearing, travel, office work."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

#: the kinds of work entered here (labels: casework.worktime.services.KIND_LABELS)
KINDS = ("court_hearing", "travel", "office", "other")


class WorkEntry(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "work_entry"
    __table_args__ = (Index("ix_work_entry_user_date", "user_id", "work_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose work time it is (the user who entered it)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    work_date: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    #: the family the work was for, when it was for one (a hearing in a family's case, travel to a family)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    #: a short description (no personal data: the family is linked, not named here)
    note: Mapped[str | None] = mapped_column(String(300))

    user = relationship("User", foreign_keys=[user_id])
    family = relationship("Family")
