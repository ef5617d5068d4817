"""Form fields whose library messages are missing from WTForms' Polish catalog."""
from flask_babel import lazy_gettext as _l
from wtforms import TimeField as _TimeField


class TimeField(_TimeField):
    """HH:MM; a wrong value gets the app's own (translated) message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Enter the time as HH:MM, e.g. 09:30."))) from exc
