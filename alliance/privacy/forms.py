"""Forms of the privacy pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length


class DeleteAccountForm(FlaskForm):
    """Delete my account: the password again, and a tick that says I understand."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=128)],
    )
    confirm = BooleanField(
        _l("I understand that my account and personal data are deleted for good."),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )
