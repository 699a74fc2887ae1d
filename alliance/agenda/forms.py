"""Forms of the agenda."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from alliance.agenda.models import KINDS, MAX_CAPACITY, VISIBILITIES
from alliance.members.forms import CheckboxList, one_of

#: The browser's datetime-local value first (also what the form writes back).
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class EventForm(FlaskForm):
    """Propose or change an event. Times are Amsterdam time."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the event a title.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Kind of event"),
        choices=list(KINDS.items()),
        default="meedenksessie",
        validate_choice=False,
        validators=[one_of(KINDS, _l("Choose what kind of event it is."))],
    )
    description = TextAreaField(
        _l("What is it about?"),
        description=_l("The question, the programme, and who you would like to meet."),
        validators=[Length(max=20_000)],
    )
    themes = CheckboxList(_l("Themes"), coerce=int, choices=[])
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=LOCAL_FORMATS,
        description=_l("Date and time, Dutch time. For example 2027-03-14 14:00."),
        validators=[DataRequired(message=_l("Give the date and time it starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=LOCAL_FORMATS,
        validators=[DataRequired(message=_l("Give the date and time it ends."))],
    )
    online = BooleanField(_l("Online"))
    online_url = StringField(
        _l("Link to the online meeting"),
        description=_l("The link is only shown to participants."),
        validators=[Length(max=1000)],
    )
    location = StringField(
        _l("Place"),
        description=_l("Address or building and room. Leave empty for an online event."),
        validators=[Length(max=300)],
    )
    capacity = IntegerField(
        _l("Number of places"),
        description=_l("Leave empty for no limit. When it is full, members join a waiting list."),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message=_l(
                    "Choose between 1 and %(max)d places, or leave it empty.", max=MAX_CAPACITY
                ),
            ),
        ],
    )
    visibility = SelectField(
        _l("Who can see it?"),
        choices=list(VISIBILITIES.items()),
        default="members",
        validate_choice=False,
        validators=[one_of(VISIBILITIES, _l("Choose who can see the event."))],
    )
    group_id = SelectField(
        _l("Working group"),
        description=_l("Only for an event of one working group: it needs no approval."),
        choices=[],
        validate_choice=False,
    )


class ActionForm(FlaskForm):
    """A button that changes something (sign up, cancel, approve): only the CSRF token."""


class ReviewForm(FlaskForm):
    """A coordinator sends a proposal back with a message."""

    message = TextAreaField(_l("What should the organiser change?"), validators=[Length(max=5000)])


class ReportForm(FlaskForm):
    """The organiser's report and what came out of the event."""

    report = TextAreaField(
        _l("Event report"),
        description=_l("What was discussed, what was decided, and what happens next."),
        validators=[
            DataRequired(message=_l("Write what happened and what came out of it.")),
            Length(max=50_000),
        ],
    )
    links = TextAreaField(
        _l("What came out of it"),
        description=_l(
            "Paste the addresses of dilemmas, experiences or working groups, one a line."
        ),
        validators=[Length(max=5000)],
    )
