"""Imports every model so that Alembic sees the whole schema."""
from casework.auth.models import LoginAttempt, User, UserRole  # noqa: F401
from casework.core.audit import AuditEvent  # noqa: F401
from casework.core.settings import AppSetting  # noqa: F401
