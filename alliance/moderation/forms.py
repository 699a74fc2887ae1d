"""Forms of moderation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

REASON = [DataRequired(message=_l("Say why.")), Length(max=2000)]


class ReportForm(FlaskForm):
    """A member reports content."""

    reason = TextAreaField(
        _l("What is wrong?"),
        description=_l("Which house rule does it break, or what else is the problem?"),
        validators=REASON,
    )


class ActionForm(FlaskForm):
    """A coordinator acts on a report."""

    action = RadioField(
        _l("What do you do?"),
        choices=[
            ("hide", _l("Hide it (the author sees a note)")),
            ("edit", _l("Edit it (marked as edited by the moderation)")),
            ("restore", _l("Show it again")),
            ("dismiss", _l("Dismiss the report (nothing is wrong)")),
        ],
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose what to do."))],
    )
    reason = TextAreaField(
        _l("Why"),
        description=_l("Goes into the audit log. The reporter hears the result, not this text."),
        validators=REASON,
    )
    text = TextAreaField(
        _l("Corrected text"),
        description=_l("Only when you edit."),
        validators=[Length(max=20_000)],
    )


class SuspendForm(FlaskForm):
    """A coordinator suspends a member for a number of days."""

    days = StringField(
        _l("Number of days"),
        description=_l("From 1 to 365."),
        validators=[DataRequired(message=_l("Choose between 1 and 365 days.")), Length(max=12)],
    )
    reason = TextAreaField(_l("Why"), validators=REASON)


class LiftForm(FlaskForm):
    """A coordinator ends a suspension early."""

    reason = TextAreaField(_l("Why end it early"), validators=REASON)


class OpenForm(FlaskForm):
    """A coordinator opens reported content of a working group."""

    reason = TextAreaField(
        _l("Why do you need to read it?"),
        description=_l(
            "Goes into the audit log and to the leads of the working group. Group content is "
            "private: open it only to handle this report."
        ),
        validators=REASON,
    )
