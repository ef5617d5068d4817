"""The one shape of a refused change, and the one way views save a form: commit, or say why not."""
from flask_babel import gettext as _

from casework.core.db import StaleEditError, check_version
from casework.extensions import db


class RuleError(ValueError):
    """A domain rule refused the change; `messages` are for the user (already translated)."""

    def __init__(self, messages):
        messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def conflict_message() -> str:
    return _("Someone else saved this record after you opened the form. Your changes were NOT saved; "
             "compare them with the saved version below and enter them again if still needed.")


def save(action, *, obj=None, form=None):
    """Run a service call and commit it. With `obj` and `form`, first compare the form's version with the row's.

    Returns (result, errors, status): status 200 on success, 400 for a refused rule, 409 for a stale edit (the
    form then carries the current version, so a deliberate second save replaces it)."""
    try:
        if obj is not None and form is not None:
            check_version(obj, form.version.data)
        result = action()
    except StaleEditError:
        db.session.rollback()
        db.session.refresh(obj)
        form.version.data = obj.version
        form.version.raw_data = [str(obj.version)]
        return None, [conflict_message()], 409
    except RuleError as exc:
        db.session.rollback()
        return None, exc.messages, 400
    db.session.commit()
    return result, [], 200
