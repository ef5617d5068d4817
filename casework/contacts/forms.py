from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from casework.core.fields import optional_id as optional_int
from casework.core.forms import OnceForm

CONTACT_FORM_LABELS = {"phone": _l("phone call"), "letter": _l("letter"), "email": _l("e-mail"),
                       "meeting": _l("meeting"), "other": _l("other")}


#: how long a contact or a meeting took, for the work-time sheet (optional; the bounds: core.worktime)
DURATION = IntegerField(_l("Duration in minutes (for the work-time sheet)"), validators=[Optional()],
                        render_kw={"inputmode": "numeric", "min": 1, "max": 720})




class InstitutionForm(OnceForm):
    version = HiddenField()
    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter the institution's name.")), Length(max=200)])
    type_id = SelectField(_l("Type"), coerce=optional_int, validate_choice=False)
    street = StringField(_l("Street and number"), validators=[Optional(), Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=6)])
    city = StringField(_l("Town"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"type": "tel"})
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class ContactForm(OnceForm):
    version = HiddenField()
    contact_date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the contact."))])
    institution_id = SelectField(_l("Institution"), coerce=optional_int, validate_choice=False)
    family_id = SelectField(_l("About the family (optional)"), coerce=optional_int, validate_choice=False)
    form = SelectField(_l("Form"), choices=list(CONTACT_FORM_LABELS.items()))
    subject = TextAreaField(_l("Subject"), validators=[Optional(), Length(max=5000)])
    duration_minutes = DURATION


class MeetingForm(OnceForm):
    version = HiddenField()
    meeting_date = DateField(_l("Date of the meeting"), validators=[InputRequired(_l("Enter the date of the meeting."))])
    participants = TextAreaField(_l("Participants"), validators=[InputRequired(_l("List the participants."))])
    decisions = TextAreaField(_l("Decisions"), validators=[Optional()])
    duration_minutes = DURATION
    new_family = BooleanField(_l("The meeting concerns a family starting support"))
