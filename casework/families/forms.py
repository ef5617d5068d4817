from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from casework.core.forms import OnceForm
from casework.families.models import BASES, BASIS_LABELS, RELATION_LABELS

AREA_CHOICES = [("urban", _l("urban")), ("rural", _l("rural"))]
STATUS_LABELS = {"active": _l("active (family)"), "monitoring": _l("monitoring"), "closed": _l("closed"),
                 "waiting": _l("waiting to start"), "none": _l("no support period"), "archived": _l("archived")}


def optional_int(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class VersionedForm(OnceForm):
    version = HiddenField()


class FamilyForm(VersionedForm):
    case_number = StringField(_l("Case number"), validators=[InputRequired(_l("Enter the case number.")),
                                                             Length(max=40)])
    name = StringField(_l("Family name"), validators=[InputRequired(_l("Enter the family's name.")),
                                                      Length(max=200)],
                       description=_l("Usually the parents' surname, as the centre refers to the family."))
    street = StringField(_l("Street and number"), validators=[Optional(), Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=6)])
    city = StringField(_l("Town"), validators=[Optional(), Length(max=100)])
    area = SelectField(_l("Area"), choices=AREA_CHOICES, default="urban")
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)],
                        render_kw={"type": "tel", "autocomplete": "off"})
    social_worker_id = SelectField(_l("Responsible social worker"), coerce=optional_int, validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class MemberForm(VersionedForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(_l("Enter the first name.")),
                                                           Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(_l("Enter the last name.")),
                                                         Length(max=100)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           render_kw={"placeholder": "RRRR-MM-DD"})
    pesel = StringField(_l("PESEL"), validators=[Optional(), Length(min=11, max=11, message=_l(
        "The PESEL has 11 digits."))], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    relation = SelectField(_l("Relation"), choices=list(RELATION_LABELS.items()))
    in_household = BooleanField(_l("Lives in the household"), default=True)


class SupportPeriodForm(VersionedForm):
    basis = SelectField(_l("Basis"), choices=[(b, BASIS_LABELS[b]) for b in BASES])
    referral_date = DateField(_l("Date of the referral"), validators=[Optional()])
    referred_by_id = SelectField(_l("Referred by (social worker)"), coerce=optional_int, validate_choice=False)
    court_name = StringField(_l("Court"), validators=[Optional(), Length(max=200)])
    court_case_signature = StringField(_l("Case signature"), validators=[Optional(), Length(max=100)])
    court_order_date = DateField(_l("Date of the court order"), validators=[Optional()])
    consent_date = DateField(_l("Date of the family's consent"), validators=[Optional()])
    start_date = DateField(_l("Start of support"), validators=[InputRequired(_l("Enter the start date."))])
    za_zyciem_request_date = DateField(_l("\u201eZa \u017cyciem\u201d: date of the request"), validators=[Optional()])
    za_zyciem_category_id = SelectField(_l("\u201eZa \u017cyciem\u201d: category"), coerce=optional_int,
                                        validate_choice=False)
    assistant_id = SelectField(_l("Assign an assistant"), coerce=optional_int, validate_choice=False)


class AssignForm(OnceForm):
    assistant_id = SelectField(_l("Assistant"), coerce=optional_int, validate_choice=False)
    start_date = DateField(_l("From"), validators=[InputRequired(_l("Enter the date the assignment starts."))])


class EndPeriodForm(FlaskForm):
    end_date = DateField(_l("End of support"), validators=[InputRequired(_l("Enter the end date."))])
    end_reason_id = SelectField(_l("Reason for ending"), coerce=optional_int, validate_choice=False)
    end_reason_text = TextAreaField(_l("Description of the reason"), validators=[Optional(), Length(max=2000)])
    monitoring_until = DateField(_l("Monitoring until (optional)"), validators=[Optional()])


class ArchiveForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(_l("Give the reason for archiving.")),
                                                     Length(max=2000)])
