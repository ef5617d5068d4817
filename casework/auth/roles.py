"""Roles a user may hold (several at once)."""
from flask_babel import lazy_gettext as _l

ADMIN = "admin"
COORDINATOR = "coordinator"
ASSISTANT = "assistant"
SOCIAL_WORKER = "social_worker"
ZI_MEMBER = "zi_member"

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    COORDINATOR: _l("Coordinator / head of centre"),
    ASSISTANT: _l("Family assistant"),
    SOCIAL_WORKER: _l("Social worker"),
    ZI_MEMBER: _l("Interdisciplinary team member"),
}
ALL_ROLES = tuple(ROLE_LABELS)
