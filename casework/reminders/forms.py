from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField
from wtforms.validators import DataRequired


class SnoozeForm(FlaskForm):
    until = DateField(_l("Remind me again on"),
                      validators=[DataRequired(_l("Enter the date on which to remind you again."))])


class DoneForm(FlaskForm):
    pass


class PreferencesForm(FlaskForm):
    email_digest = BooleanField(_l("Send me a daily e-mail summary of my reminders"))
