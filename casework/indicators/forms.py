from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ClosePeriodForm(FlaskForm):
    date_from = HiddenField()
    date_to = HiddenField()
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class ReopenPeriodForm(FlaskForm):
    reason = TextAreaField(_l("Reason for re-opening"),
                           validators=[DataRequired(_l("Give the reason for re-opening the period.")),
                                       Length(max=2000)])


class RefreshForm(FlaskForm):
    """Compute the period's values now (a button)."""
