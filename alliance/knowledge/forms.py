"""Forms of the knowledge base."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from alliance.knowledge.models import VISIBILITIES
from alliance.members.forms import CheckboxList, one_of, valid_tags
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES

LONG_TEXT = [Length(max=20_000)]


class ItemForm(FlaskForm):
    """A dilemma or an experience: the fields of both; the template shows those of the kind."""

    kind = HiddenField()
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give it a title.")), Length(max=200)],
        description=_l("One sentence: what is it about?"),
    )
    # Dilemma
    situation = TextAreaField(
        _l("The situation"),
        validators=LONG_TEXT,
        description=_l("The context: where, who, what is going on?"),
    )
    organisation_type = SelectField(
        _l("Type of organisation"),
        choices=[("", _l("(not given)"))] + list(ORGANISATION_TYPES.items()),
        validate_choice=False,
        validators=[one_of(ORGANISATION_TYPES, _l("Choose an organisation type from the list."))],
    )
    tension = TextAreaField(
        _l("The dilemma"),
        validators=LONG_TEXT,
        description=_l("What pulls in two directions? For example openness against privacy."),
    )
    options = TextAreaField(_l("Options you considered"), validators=LONG_TEXT)
    constraints = TextAreaField(
        _l("Constraints"), validators=LONG_TEXT, description=_l("Law, budget, time, politics.")
    )
    # Experience
    what_we_did = TextAreaField(_l("What we did"), validators=LONG_TEXT)
    what_worked = TextAreaField(_l("What worked"), validators=LONG_TEXT)
    what_failed = TextAreaField(_l("What did not work"), validators=LONG_TEXT)
    lesson = TextAreaField(_l("The lesson"), validators=LONG_TEXT)
    links = TextAreaField(
        _l("Links"),
        validators=[Length(max=4000)],
        description=_l("Web addresses of documents or examples, one per line."),
    )
    # Both
    themes = CheckboxList(_l("Themes"), coerce=int, choices=[])
    tags = StringField(
        _l("Tags"),
        validators=[Length(max=1000), valid_tags],
        description=_l("Separate with commas, for example: Woo, archiving"),
    )
    visibility = SelectField(
        _l("Who can read this?"),
        choices=list(VISIBILITIES.items())[:2],
        default="members",
        validate_choice=False,
        validators=[one_of(VISIBILITIES, _l("Choose who can read this."))],
    )
    group_id = SelectField(
        _l("Which working group?"),
        description=_l(
            "Only when “Who can read this?” is “One working group”: then only the members of "
            "this group can read the post and its replies. Otherwise this choice is ignored."
        ),
        choices=[],
        validate_choice=False,
    )
    anonymous = BooleanField(
        _l("Hide my name from other members"),
        description=_l("Members see “a member (anonymous)”. Coordinators can see that it is you."),
    )

    def validate(self, extra_validators=None) -> bool:
        """Besides each field: the heart of the kind (the dilemma, or what we did) is required,
        checked together with the rest so that every problem shows at once."""
        valid = super().validate(extra_validators)
        main = self.tension if self.kind.data == "dilemma" else self.what_we_did
        if not (main.data or "").strip():
            main.errors = [*main.errors, str(_l("This is the heart of your post: fill it in."))]
            valid = False
        return valid


class ReplyForm(FlaskForm):
    """A reply, from a perspective."""

    body = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("You can use Markdown. Quote with > at the start of a line."),
    )
    perspective = SelectField(
        _l("From which perspective do you answer?"),
        choices=list(PERSPECTIVES.items()),
        validate_choice=False,
        validators=[one_of(PERSPECTIVES, _l("Choose a perspective from the list."))],
    )
    parent_id = HiddenField()


class DecisionForm(FlaskForm):
    """Close the loop: the decision."""

    decision = TextAreaField(
        _l("What did you decide, and why?"), validators=[DataRequired(), Length(max=20_000)]
    )


class EvaluationForm(FlaskForm):
    """Close the loop: outcome and lesson."""

    outcome = TextAreaField(_l("What happened?"), validators=[DataRequired(), Length(max=20_000)])
    lesson = TextAreaField(
        _l("What is the lesson for others?"), validators=[DataRequired(), Length(max=20_000)]
    )
