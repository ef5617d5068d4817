"""Form fields whose library messages are missing from WTForms' Polish catalog, and the one coercion of a chosen
record's id."""
from flask_babel import lazy_gettext as _l
from wtforms import TimeField as _TimeField

from casework.core.urls import MAX_DB_INT


def optional_id(value) -> int | None:
    """A record's id as a form sends it (a select's value): a whole number within the database's integer range, or
    None — so a forged "99999999999" is "not chosen" (a Polish message), never a database error."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_DB_INT else None


class TimeField(_TimeField):
    """HH:MM; a wrong value gets the app's own (translated) message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Enter the time as HH:MM, e.g. 09:30."))) from exc
