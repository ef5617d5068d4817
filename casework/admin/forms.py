"""The user-administration forms (accounts are auth's model; managing them is admin's)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from casework.auth.roles import ROLE_LABELS
from casework.core.forms import OnceForm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices():
    return [(code, label) for code, label in ROLE_LABELS.items()]


class UserForm(OnceForm):
    login = StringField(_l("Login"), validators=[DataRequired(_l("Enter the login.")), Length(max=64)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices)
    password = PasswordField(_l("Initial password"), render_kw={"autocomplete": "new-password"})


class EditUserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))],
                             render_kw={"autocomplete": "new-password"})
    confirm_reset = BooleanField(_l("The user must change it at next login"), default=True)
