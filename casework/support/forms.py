"""Forms of issue 18's registers. Widgets only check the shape of input; the rules live in casework.support.rules."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from casework.core.fields import optional_id as optional_int
from casework.core.forms import OnceForm
from casework.support.models import DAY_SUPPORT_FORM_LABELS, TEAM_SECTOR_LABELS




def _date(label, message=None):
    validators = [InputRequired(message)] if message else [Optional()]
    return DateField(label, validators=validators)


class SupportingFamilyForm(OnceForm):
    version = HiddenField()
    name = StringField(_l("Supporting family (names)"),
                       validators=[InputRequired(_l("Enter the supporting family's name.")), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"type": "tel"})
    start_date = _date(_l("Appointed on"), _l("Enter the date the supporting family was appointed."))
    end_date = _date(_l("Until (empty: still a supporting family)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class HelpForm(OnceForm):
    version = HiddenField()
    family_id = SelectField(_l("Family helped"), coerce=optional_int, validate_choice=False)
    start_date = _date(_l("From"), _l("Enter the start date."))
    end_date = _date(_l("To (empty: ongoing)"))
    consent_date = _date(_l("The family's consent (date)"))
    notes = TextAreaField(_l("What the help covers"), validators=[Optional(), Length(max=5000)])


class CostForm(OnceForm):
    month = DateField(_l("Month"), format="%Y-%m", validators=[InputRequired(_l("Enter the month the costs are for."))],
                      render_kw={"type": "month"})
    amount = StringField(_l("Amount reimbursed (zł)"), validators=[InputRequired(_l("Enter the amount in złoty, e.g. "
                                                                                   "350,00.")), Length(max=20)],
                         render_kw={"inputmode": "decimal"})


class FacilityForm(OnceForm):
    version = HiddenField()
    form = SelectField(_l("Form of day support"), choices=[("", _l("— choose —"))] + list(DAY_SUPPORT_FORM_LABELS.items()))
    places = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1, max=10000, message=_l(
        "The number of places must be between 1 and 10000."))])


class AttendanceForm(OnceForm):
    version = HiddenField()
    member_id = SelectField(_l("Child"), coerce=optional_int, validate_choice=False)
    institution_id = SelectField(_l("Day-support facility"), coerce=optional_int, validate_choice=False)
    start_date = _date(_l("From"), _l("Enter the start date."))
    end_date = _date(_l("To (empty: ongoing)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class TeamMemberForm(OnceForm):
    version = HiddenField()
    full_name = StringField(_l("Full name"), validators=[InputRequired(_l("Enter the member's name.")),
                                                         Length(max=200)])
    user_id = SelectField(_l("User account (optional)"), coerce=optional_int, validate_choice=False)
    sector = SelectField(_l("Represents"), choices=[("", _l("— choose —"))] + list(TEAM_SECTOR_LABELS.items()))
    institution_id = SelectField(_l("Institution from the directory"), coerce=optional_int, validate_choice=False)
    institution_name = StringField(_l("or the institution's name"), validators=[Optional(), Length(max=200)])
    appointed_on = _date(_l("Appointed to the team on"), _l("Enter the date of the appointment."))
    ended_on = _date(_l("Membership ended on"))
    is_chair = BooleanField(_l("Chair of the team"))


class ZaZyciemForm(OnceForm):
    version = HiddenField()
    request_date = _date(_l("Date of the request"), _l("Enter the date of the request."))
    category_id = SelectField(_l("Category"), coerce=optional_int, validate_choice=False)
    support_period_id = SelectField(_l("Support period (optional)"), coerce=optional_int, validate_choice=False)
    assistant_id = SelectField(_l("Coordinating assistant"), coerce=optional_int, validate_choice=False)
    coordination_start = _date(_l("Coordination from"))
    coordination_end = _date(_l("Coordination until"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class ArchiveForm(OnceForm):
    reason = StringField(_l("Reason"), validators=[InputRequired(_l("Give the reason for archiving.")),
                                                   Length(max=500)])
