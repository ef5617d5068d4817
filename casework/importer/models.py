"""Which record an imported row became: (kind, the row's stable external id) → record id, so re-importing the same
file changes nothing and a corrected file updates the records it made."""
from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class ImportKey(db.Model):
    __tablename__ = "import_key"
    __table_args__ = (UniqueConstraint("kind", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    external_id: Mapped[str] = mapped_column(String(100), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
