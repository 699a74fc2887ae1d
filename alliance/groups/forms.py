"""Forms of working groups."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from alliance.groups.models import DEFAULT_SIZE_CAP, JOIN_POLICIES, MAX_SIZE_CAP, TASK_STATES
from alliance.members.forms import CheckboxList, one_of

LONG_TEXT = [Length(max=20_000)]


class GroupForm(FlaskForm):
    """Start or edit a working group."""

    name = StringField(
        _l("Name of the working group"),
        validators=[DataRequired(message=_l("Give the working group a name.")), Length(max=120)],
    )
    opgave = TextAreaField(
        _l("The question you take on"),
        description=_l("What do you want to find out or solve together?"),
        validators=[DataRequired(message=_l("Write down the question the group takes on."))]
        + LONG_TEXT,
    )
    deliverable = StringField(
        _l("What will you deliver?"),
        description=_l("For example an advice, a template, code or a guideline."),
        validators=[DataRequired(message=_l("Say what the group will deliver.")), Length(max=300)],
    )
    description = TextAreaField(
        _l("Description for members"),
        description=_l("All members can read this. The work itself stays within the group."),
        validators=LONG_TEXT,
    )
    themes = CheckboxList(_l("Themes"), coerce=int, choices=[])
    ends_on = DateField(
        _l("End date"),
        description=_l("At most a year from the start. The lead can extend it once."),
        validators=[DataRequired(message=_l("Choose an end date: working groups are time-boxed."))],
    )
    size_cap = IntegerField(
        _l("Maximum number of members"),
        description=_l("Small works best. At most %(max)d.", max=MAX_SIZE_CAP),
        default=DEFAULT_SIZE_CAP,
        validators=[
            DataRequired(message=_l("Choose a maximum between 2 and 15 members.")),
            NumberRange(min=2, max=MAX_SIZE_CAP, message=_l("Choose a maximum between 2 and 15.")),
        ],
    )
    join_policy = SelectField(
        _l("How can members join?"),
        choices=list(JOIN_POLICIES.items()),
        default="request",
        validate_choice=False,
        validators=[one_of(JOIN_POLICIES, _l("Choose how members can join."))],
    )


class ActionForm(FlaskForm):
    """A button that changes something (leave, wrap up, publish): only the CSRF token."""


class JoinForm(FlaskForm):
    """Join or ask to join, saying what you bring."""

    contribution = TextAreaField(
        _l("What do you bring?"),
        description=_l("Your knowledge, experience or time, in a few sentences."),
        validators=[Length(max=2000)],
    )


class AnswerForm(FlaskForm):
    """The lead's answer to a request."""

    message = TextAreaField(_l("Message to the member"), validators=[Length(max=2000)])


class InviteForm(FlaskForm):
    """The lead invites a member by name (suggestions while typing), or from the suggestions
    (id). Members never see each other's e-mail addresses, so there is no invitation by address
    here."""

    member_id = HiddenField()
    name = StringField(
        _l("Name of the member"),
        validators=[Length(max=120)],
        description=_l("Type (part of) the name, then choose the member."),
    )


class RoleForm(FlaskForm):
    """Make a member lead, or a lead a member again."""

    role = HiddenField()


class TaskForm(FlaskForm):
    """A new actiepunt."""

    title = StringField(
        _l("Task"),
        validators=[DataRequired(message=_l("Say what needs to be done.")), Length(max=200)],
    )
    owner_id = SelectField(_l("Who does it?"), choices=[], validate_choice=False)
    due_on = DateField(_l("Ready by"), validators=[Optional()])


class TaskUpdateForm(FlaskForm):
    """Move an actiepunt or give it to someone else."""

    state = SelectField(
        _l("Status"),
        choices=list(TASK_STATES.items()),
        validate_choice=False,
        validators=[one_of(TASK_STATES, _l("Choose to do, in progress or done."))],
    )
    owner_id = SelectField(_l("Who does it?"), choices=[], validate_choice=False)


class NoteForm(FlaskForm):
    """A link or a note in the group space."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the link or note a title.")), Length(max=200)],
    )
    url = StringField(_l("Web address"), validators=[Length(max=1000)])
    body = TextAreaField(_l("Note"), validators=[Length(max=5000)])


class ExtendForm(FlaskForm):
    """Extend the group once, with a reason."""

    ends_on = DateField(
        _l("New end date"),
        validators=[DataRequired(message=_l("Choose a date after the current end date."))],
    )
    reason = TextAreaField(
        _l("Why does the group need more time?"),
        validators=[
            DataRequired(message=_l("Say why the group needs more time.")),
            Length(max=2000),
        ],
    )


class ResultForm(FlaskForm):
    """The *opbrengst*, published as an experience in the Kennisbank."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the result a title.")), Length(max=200)],
    )
    made = TextAreaField(
        _l("What did the group make?"),
        validators=[DataRequired(message=_l("Write what the group made."))] + LONG_TEXT,
    )
    learned = TextAreaField(
        _l("What did the group learn?"),
        validators=[DataRequired(message=_l("Write what the group learned."))] + LONG_TEXT,
    )
    worked = TextAreaField(_l("What worked"), validators=LONG_TEXT)
    failed = TextAreaField(_l("What did not work"), validators=LONG_TEXT)
    links = TextAreaField(
        _l("Links"),
        validators=[Length(max=4000)],
        description=_l("Web addresses of documents or examples, one per line."),
    )
    visibility = SelectField(
        _l("Who can read this?"),
        choices=[
            ("members", _l("Members of the alliance")),
            ("public", _l("Everyone (also without logging in)")),
        ],
        default="members",
        validate_choice=False,
        validators=[one_of({"members": 1, "public": 1}, _l("Choose who can read this."))],
    )
    documents = CheckboxList(
        _l("Documents to publish with the result"),
        description=_l(
            "They become as visible as the result. The other documents stay in the group."
        ),
        coerce=int,
        choices=[],
    )
    proposals = CheckboxList(
        _l("Decisions to publish with the result"),
        description=_l("The proposal and its outcome; not who responded how."),
        coerce=int,
        choices=[],
    )


# --- the group's own work ----------------------------------------------------------------------


class MessageForm(FlaskForm):
    """A message in the group's conversation, or a reply to one (``parent_id``)."""

    body = TextAreaField(
        _l("Your message"),
        description=_l("Markdown works. Mention a group member with @Name."),
        validators=[DataRequired(message=_l("Write a message.")), Length(max=5000)],
        id="message-body",
    )
    parent_id = HiddenField()


class DocumentForm(FlaskForm):
    """A document for the group: a file, a title and a note (or a new version of one). The
    file is read by the view from ``request.files`` and checked by the service (its type by
    content, its size while it is stored); its error is ``file_error``."""

    file_error: str | None = None

    title = StringField(_l("Title"), validators=[Length(max=200)], id="document-title")
    note = TextAreaField(_l("Note"), validators=[Length(max=5000)], id="document-note")


class ProposalForm(FlaskForm):
    """A proposal the group decides on, with a closing time."""

    title = StringField(
        _l("Proposal"),
        description=_l("In one sentence: what do you propose?"),
        validators=[DataRequired(message=_l("Say what you propose.")), Length(max=200)],
        id="proposal-title",
    )
    body = TextAreaField(_l("Explanation"), validators=[Length(max=20_000)], id="proposal-body")
    closes_on = DateField(
        _l("Closes on"),
        description=_l("Members can respond until the end of this day."),
        validators=[DataRequired(message=_l("Choose the day the proposal closes."))],
        id="proposal-closes-on",
    )


class ResponseForm(FlaskForm):
    """A member's response to a proposal; a block needs a reason."""

    position = SelectField(_l("Your response"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed when you block. Also welcome otherwise."),
        validators=[Length(max=5000)],
    )


class OutcomeForm(FlaskForm):
    """The outcome of a closed proposal, in one sentence."""

    outcome = StringField(
        _l("Outcome"),
        description=_l("In one sentence: what did the group decide?"),
        validators=[
            DataRequired(message=_l("Write the outcome in one sentence.")),
            Length(max=300),
        ],
    )
