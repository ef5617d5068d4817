"""The one shape of a refused change, and the one way views write: `save` commits, or says why not."""
from flask import flash
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from casework.core import forms as once
from casework.core.db import StaleEditError, check_version, ensure_new_version
from casework.extensions import db

_NOT_GIVEN = object()


class RuleError(ValueError):
    """A domain rule refused the change; `messages` are for the user (already translated)."""

    def __init__(self, messages):
        messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def conflict_message() -> str:
    return _("Someone else saved this record after you opened the form. Your changes were NOT saved; "
             "compare them with the saved version below and enter them again if still needed.")


def _current_user_id():
    try:
        return current_user.id if current_user and current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - outside a request (CLI, tests): no user, no one-time token
        return None


def save(action, *, obj=None, form=None, version=_NOT_GIVEN, touch=False, created=None, success=None,
         flash_errors=False):
    """The one way a view writes to the database: run `action` (a service call that adds and flushes), commit it,
    or roll it back and say why. Every form view (create, edit, delete, multi-step) saves through here.

    - `obj` with `form` (its hidden `version` field) or with `version` (a posted value): first compare the version
      the page was loaded with against the row's; a stale page is refused (409) and nothing is written. A concurrent
      save that loaded the same version at the same moment is caught by SQLAlchemy's version_id_col
      (StaleDataError) and answered the same way. `touch`: the change is to `obj` as a whole (a step of a procedure
      that only adds rows under it), so its version moves on even when none of its own columns changed.
    - `created(result)` → the address of the record a create form made: the form's one-time token is recorded with
      it, and the same token posted again raises `forms.AlreadySaved` (the app redirects to that address).
    - `success`: a message flashed after the commit; `flash_errors`: flash refusals too (for views that redirect).

    Returns (result, errors, status): status 200 on success, 400 for a refused rule, 409 for a stale edit (the
    form then carries the current version, so a deliberate second save replaces it)."""
    user_id = _current_user_id() if created is not None else None
    token = once.posted_token() if user_id else None
    if token:
        token = once.check_unused(token, user_id)  # raises AlreadySaved for a form saved before
    try:
        checked = obj is not None and (form is not None or version is not _NOT_GIVEN)
        if checked:
            check_version(obj, form.version.data if form is not None else version)
        before = obj.version if obj is not None else None
        result = action()
        if obj is not None and (checked or touch):
            # one new version per save, also when only rows under obj changed (a visit's areas, a goal's
            # progress) and obj's own row got no UPDATE; still `WHERE version = before` (version_id_col)
            ensure_new_version(obj, before)
        if token:
            once.mark_used(token, user_id, created(result))
        db.session.commit()
    except (StaleEditError, StaleDataError):
        db.session.rollback()
        if obj is not None:
            db.session.refresh(obj)
            if form is not None and hasattr(form, "version"):
                form.version.data = obj.version
                form.version.raw_data = [str(obj.version)]
        return _refused([conflict_message()], 409, flash_errors)
    except RuleError as exc:
        db.session.rollback()
        return _refused(exc.messages, 400, flash_errors)
    except IntegrityError:
        db.session.rollback()
        if token:  # the same form posted twice at once: the other post saved it first
            once.check_unused(token, user_id)
        raise
    if success:
        flash(success, "success")
    return result, [], 200


def _refused(messages, status, flash_errors):
    if flash_errors:
        for message in messages:
            flash(message, "error")
    return None, list(messages), status
