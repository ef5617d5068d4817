"""Documents attached to a case (scanned consents, court orders, school opinions, the centre's letters) and the
centre's letter templates.

The file itself is kept outside the database (casework.attachments.storage), under a random name; the row holds
what it is, where it belongs and the file's checksum. A family's attachment belongs to the family (`family_id`, not
null, so retention purges it with the family's file) and optionally to one of its records; a Niebieska Karta
procedure's attachment lives in its own table, inside the compartment (`procedure_id`, not null)."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, declared_attr, deferred, mapped_column, relationship

from casework.attachments import storage  # noqa: F401 - a file follows its row's transaction (hooks)
from casework.core.db import TimestampMixin
from casework.extensions import db
from casework.families.models import ArchivableMixin

#: dictionary of kinds of documents (casework.core.dictionaries)
KIND_DICTIONARY = "attachment_kind"
#: the kind a generated letter of the centre carries (not offered on the upload form)
LETTER_KIND = "centre_letter"


class StoredFileMixin(ArchivableMixin, TimestampMixin):
    """What a stored file is: its title and date as the user gave them, and the file as it was checked."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the date on the document itself (a court order's date, a certificate's date)
    document_date: Mapped[date] = mapped_column(Date, nullable=False)
    #: the name the file had on the uploader's device (shown, never used as a path)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the type recognised from the file's content (casework.attachments.rules.sniff), not the one sent
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: the file's random name in the storage directory
    storage_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    @declared_attr
    def kind_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("dictionary_entry.id"), nullable=False)

    @declared_attr
    def author_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("user_account.id"), nullable=False)

    @declared_attr
    def kind(cls):
        return relationship("DictionaryEntry")

    @declared_attr
    def author(cls):
        return relationship("User")


class Attachment(StoredFileMixin, db.Model):
    __tablename__ = "attachment"

    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), nullable=False, index=True)
    #: at most one of these: the record of the family the document belongs to (none: the family as a whole)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("family_member.id"), index=True)
    support_period_id: Mapped[int | None] = mapped_column(ForeignKey("support_period.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("work_plan.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), index=True)
    opinion_id: Mapped[int | None] = mapped_column(ForeignKey("court_opinion.id"), index=True)
    #: a generated letter: its template (casework.attachments.letters.LETTERS), the centre's register number
    #: (znak pisma) and its version (1, 2, … for the same letter to the same family)
    letter_code: Mapped[str | None] = mapped_column(String(40))
    register_number: Mapped[str | None] = mapped_column(String(60), unique=True)
    letter_version: Mapped[int | None] = mapped_column(Integer)

    family = relationship("Family")
    member = relationship("FamilyMember")


class BluecardAttachment(StoredFileMixin, db.Model):
    """A document of a Niebieska Karta procedure: read only through casework.bluecard.access."""
    __tablename__ = "bluecard_attachment"

    procedure_id: Mapped[int] = mapped_column(ForeignKey("bluecard_procedure.id"), nullable=False, index=True)

    procedure = relationship("Procedure")


class LetterTemplate(TimestampMixin, db.Model):
    """The centre's own DOCX template of a letter, replacing the shipped default (kept in the database: small, and
    in every backup)."""
    __tablename__ = "letter_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
