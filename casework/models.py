"""Imports every domain's models so that Alembic and SQLAlchemy see the whole schema.

Domains are discovered: any casework/<domain>/models.py is imported.
"""
from casework.core.audit import AuditEvent  # noqa: F401
from casework.core.dictionaries import DictionaryEntry  # noqa: F401
from casework.core.forms import FormSubmission  # noqa: F401
from casework.core.modules import domain_modules
from casework.core.settings import AppSetting  # noqa: F401


def _import_domain_models():
    return list(domain_modules("models"))


_import_domain_models()
