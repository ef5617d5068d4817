"""Opinions for the family court (opinia dla sądu, art. 15 ust. 1 pkt 17 UWR)."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from casework.core.db import TimestampMixin, VersionedMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin


class CourtOpinion(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "court_opinion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    court: Mapped[str] = mapped_column(String(200), nullable=False)
    case_signature: Mapped[str | None] = mapped_column(String(100))
    #: the court's request received on
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    sent_on: Mapped[date | None] = mapped_column(Date, index=True)
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_type: Mapped[str | None] = mapped_column(String(100))
    #: the opinion as sent (kept in the database with the case, so backups hold it)
    document: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)

    family = relationship("Family")
