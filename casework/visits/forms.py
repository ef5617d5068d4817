from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from casework.core.fields import optional_id
from casework.core.forms import OnceForm
from casework.core.fields import TimeField

PLACE_LABELS = {"home": _l("family's home"), "centre": _l("the centre"), "institution": _l("an institution"),
                "other": _l("other place")}
FORM_LABELS = {"home_visit": _l("home visit"), "centre_meeting": _l("meeting at the centre"),
               "accompanying": _l("accompanying to an office"), "phone_call": _l("phone call"),
               "other": _l("other")}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_choice(value):
    return value or None


class VisitForm(OnceForm):
    version = HiddenField()
    # no family is preselected (a hurried assistant would log a visit to the wrong family): the view puts an empty
    # "— choose a family —" first, or chooses the family the form was opened from
    family_id = SelectField(_l("Family"), coerce=optional_id,
                            validate_choice=False, validators=[InputRequired(_l("Choose the family."))])
    visit_date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the visit."))])
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[
        InputRequired(_l("Enter how long the visit took.")),
        NumberRange(1, 720, _l("The duration must be between 1 minute and 12 hours."))],
        render_kw={"inputmode": "numeric", "min": 1, "max": 720})
    place = SelectField(_l("Place"), choices=[("", "—")] + list(PLACE_LABELS.items()), coerce=optional_choice,
                        default="home")
    form = SelectField(_l("Form"), choices=[("", "—")] + list(FORM_LABELS.items()), coerce=optional_choice,
                       default="home_visit")
    areas = MultiCheckboxField(_l("Areas of work"), coerce=int, validate_choice=False)
    activities = TextAreaField(_l("What was done"), validators=[Optional()])
    agreed_next = TextAreaField(_l("Agreed for next time"), validators=[Optional()])
