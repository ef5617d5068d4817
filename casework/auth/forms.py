from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from casework.core.forms import OnceForm
from casework.auth.roles import ROLE_LABELS


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(_l("Enter your login.")), Length(max=64)],
                        render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(_l("Repeat the new password.")),
                                        EqualTo("new_password", _l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})


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
