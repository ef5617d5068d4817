"""Users, their roles, their sessions and login attempts."""
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.db import TimestampMixin
from casework.core.timeutil import utcnow
from casework.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    is_active_account: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: changes on password change and deactivation; a session remembers it, so old sessions stop working
    session_token: Mapped[str] = mapped_column(String(64), nullable=False, default=new_session_token)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    locale: Mapped[str | None] = mapped_column(String(8))

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    def get_id(self) -> str:  # Flask-Login: the session holds id and token
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginAttempt(db.Model):
    """One login attempt; failures in a window lock the login (shared by all workers)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_login_at", "login", "attempted_at"),
        Index("ix_login_attempt_ip_at", "ip", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)


def hash_session_key(key: str) -> str:
    """The database keeps only a hash of a session's key: a copy of the table opens no session."""
    return hashlib.sha256(key.encode()).hexdigest()


class UserSession(db.Model):
    """One logged-in session, kept on the server: the signed cookie only names it. Logout, a password change
    or reset and deactivation delete the row, so a copy of the cookie opens nothing afterwards; the idle and
    absolute timeouts are measured from these columns, not from anything the cookie says."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: sha256 of the random key the cookie carries
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: the last request; renewed at most once a minute, so a page does not write on every request
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
