"""The institution directory and contacts with institutions (kontakty z instytucjami)."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from casework.core.collation import sort_key
from casework.core.db import TimestampMixin, VersionedMixin
from casework.core.search_keys import KEY_LENGTH, insert_default, keep_search_key
from casework.extensions import db
from casework.families.models import ArchivableMixin

INSTITUTION_TYPE_KIND = "institution_type"
CONTACT_FORMS = ("phone", "letter", "email", "meeting", "other")


class Institution(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_sort: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    #: the search box's key of the name and the town (casework.core.search_keys), kept on every write
    search_key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False, index=True,
                                            default=insert_default("name", "city"))
    type_id: Mapped[int] = mapped_column(ForeignKey("dictionary_entry.id"), nullable=False, index=True)
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    type = relationship("DictionaryEntry")

    @validates("name")
    def _keep_sort_key(self, _key, value):
        self.name_sort = sort_key(value)
        return value


keep_search_key(Institution, ("name", "city"))


class InstitutionContact(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "institution_contact"
    # the period's counts by institution type read only these columns (an index-only scan; migration 0045)
    __table_args__ = (Index("ix_institution_contact_date_counts", "contact_date", "institution_id", "family_id",
                            "archived_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_date: Mapped[date] = mapped_column(Date, nullable=False)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), nullable=False, index=True)
    #: the family the contact was about; empty for general contacts
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    subject: Mapped[str | None] = mapped_column(Text)
    #: how long it took, for the work-time sheet (None: not given)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)

    institution = relationship(Institution)
    family = relationship("Family")
    user = relationship("User")


class TeamMeeting(ArchivableMixin, VersionedMixin, TimestampMixin, db.Model):
    """Posiedzenie zespołu ds. asysty rodzinnej about a family."""

    __tablename__ = "team_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    meeting_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    participants: Mapped[str] = mapped_column(Text, nullable=False)
    decisions: Mapped[str | None] = mapped_column(Text)
    #: how long it took, for the work-time sheet (None: not given)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    #: the meeting concerns a family starting support
    new_family: Mapped[bool] = mapped_column(default=False, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)

    family = relationship("Family")
