"""Forms of messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from alliance.messages.models import ALLOW
from alliance.messages.services import MAX_BODY


class MessageForm(FlaskForm):
    """A new message, or an answer in a conversation."""

    body = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write your message.")), Length(max=MAX_BODY)],
    )


class SettingsForm(FlaskForm):
    """Who may start writing to me."""

    allow = RadioField(_l("Who may send me a message?"), choices=list(ALLOW.items()), default="all")
