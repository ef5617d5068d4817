"""Forms of the staff register. They parse what was typed; the rules (FTE, overlap, cost months) are checked by
casework.staff.rules through the services, the same functions the import calls."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, MonthField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from casework.core.fields import optional_id as optional_int
from casework.core.forms import OnceForm
from casework.staff.models import COST_SOURCE_LABELS, QUALIFICATION_LABELS




class QualificationForm(OnceForm):
    version = HiddenField()
    qualification_basis = SelectField(_l("Qualification basis (art. 12 UWR)"), validate_choice=False,
                                      choices=[("", _l("— not recorded —"))] + list(QUALIFICATION_LABELS.items()))
    qualification_note = TextAreaField(_l("Documents (diploma, training, years of work with families)"),
                                       validators=[Optional(), Length(max=5000)])
    conditions_checked_on = DateField(_l("Other conditions of art. 12 UWR checked on (authority, maintenance, "
                                         "criminal record)"), validators=[Optional()])


class SpellForm(OnceForm):
    version = HiddenField()
    form_id = SelectField(_l("Form of employment"), coerce=optional_int, validate_choice=False)
    fte = StringField(_l("Full-time equivalent (more than 0, at most 1)"),
                      validators=[InputRequired(_l("Enter the full-time equivalent as a number, e.g. 1 or 0,5."))],
                      render_kw={"inputmode": "decimal"})
    employer = StringField(_l("Employer, where the task is contracted out (art. 190 UWR)"),
                           validators=[Optional(), Length(max=200)])
    date_from = DateField(_l("From"), validators=[InputRequired(_l("Enter the first day of employment."))])
    date_to = DateField(_l("To (empty: still employed)"), validators=[Optional()])


class TrainingForm(OnceForm):
    version = HiddenField()
    training_date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the training."))])
    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter the title of the training.")),
                                                 Length(max=300)])
    organiser = StringField(_l("Organiser"), validators=[Optional(), Length(max=200)])
    hours = StringField(_l("Hours"), validators=[InputRequired(_l("Enter the hours of the training (more than 0)."))],
                        render_kw={"inputmode": "decimal"})
    cost = StringField(_l("Cost paid by the centre (PLN, empty: free of charge)"), validators=[Optional()],
                       render_kw={"inputmode": "decimal"})


class CostForm(OnceForm):
    version = HiddenField()
    date_from = MonthField(_l("Month"), validators=[InputRequired(_l("Enter the month the cost is for."))])
    date_to = MonthField(_l("Last month, for a cost of several months (empty: one month)"),
                         validators=[Optional()])
    source = SelectField(_l("Source of funding"), choices=list(COST_SOURCE_LABELS.items()))
    amount = StringField(_l("Amount (PLN)"), validators=[InputRequired(_l("Enter the amount in PLN (more than 0)."))],
                         render_kw={"inputmode": "decimal"})
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class ArchiveForm(OnceForm):
    reason = StringField(_l("Why is the entry removed?"), validators=[Optional(), Length(max=300)])
