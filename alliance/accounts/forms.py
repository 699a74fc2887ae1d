"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from alliance.core.passwords import password_problem
from alliance.members.models import ROLES

EMAIL = [DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))]


def strong_password(form, field):
    """The password policy, checked with the other fields so that every problem shows at once
    (the service checks it again before it stores anything)."""
    personal = [getattr(form, name).data or "" for name in ("name", "email") if name in form]
    problem = password_problem(field.data or "", *personal)
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    """Join the alliance."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=EMAIL)
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A sentence of a few words works well."),
        validators=[DataRequired(), strong_password],
    )
    password_again = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords are not the same.")),
        ],
    )
    accept = BooleanField(
        _l("I accept the house rules and the privacy statement."),
        validators=[
            DataRequired(
                message=_l("You need to accept the house rules and the privacy statement to join.")
            )
        ],
    )
    invitation = HiddenField()


class LoginForm(FlaskForm):
    """Log in."""

    email = EmailField(_l("E-mail address"), validators=EMAIL)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("E-mail address"), validators=EMAIL)


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A sentence of a few words works well."),
        validators=[DataRequired(), strong_password],
    )
    password_again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords are not the same.")),
        ],
    )


class ChangePasswordForm(ResetPasswordForm):
    """Change the password while logged in."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=128)]
    )


class ChangeEmailForm(FlaskForm):
    """Change the e-mail address (re-enter the password)."""

    email = EmailField(_l("New e-mail address"), validators=EMAIL)
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


class InviteForm(FlaskForm):
    """A coordinator invites someone."""

    email = EmailField(_l("E-mail address"), validators=EMAIL)
    message = TextAreaField(_l("Personal message"), validators=[Length(max=2000)])
    language = SelectField(
        _l("Language of the invitation"), choices=[("nl", "Nederlands"), ("en", "English")]
    )


class RoleForm(FlaskForm):
    """An administrator changes a member's role."""

    role = SelectField(_l("Role"), choices=[(key, label) for key, label in ROLES.items()])


class CodeForm(FlaskForm):
    """The second step of logging in: a code from the app, or a recovery code."""

    code = StringField(
        _l("Code"),
        description=_l("The 6 digits your app shows now, or one of your recovery codes."),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )


class TwoFactorSetupForm(FlaskForm):
    """Confirm the app with its first code."""

    code = StringField(
        _l("Code from your app"),
        description=_l("The 6 digits your app shows after scanning."),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )


class PasswordCheckForm(FlaskForm):
    """Re-enter the password before a far-reaching change."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=128)],
    )
