from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from casework.assessments.models import RECOMMENDATION_LABELS
from casework.core.forms import OnceForm



class AssessmentForm(OnceForm):
    version = HiddenField()
    assessment_date = DateField(_l("Date of the assessment"),
                                validators=[InputRequired(_l("Enter the date of the assessment."))])
    covers_from = DateField(_l("Covers from"), validators=[InputRequired(_l("Enter the period the assessment covers."))])
    covers_to = DateField(_l("Covers to"), validators=[InputRequired(_l("Enter the period the assessment covers."))])
    progress = TextAreaField(_l("Progress towards the plan's goals"), validators=[Optional()])
    changes = TextAreaField(_l("Changes in the family's situation"), validators=[Optional()])
    strengths = TextAreaField(_l("Strengths"), validators=[Optional()])
    risks = TextAreaField(_l("Risks"), validators=[Optional()])
    recommendation = SelectField(_l("Recommendation"), choices=list(RECOMMENDATION_LABELS.items()))
    handed_to_head_on = DateField(_l("Handed to the head of centre on"), validators=[Optional()])
