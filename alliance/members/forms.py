"""Profile and directory forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from alliance.core.errors import RuleError
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES
from alliance.members.services import parse_tags

VISIBILITY_CHOICES = [
    ("photo", _l("Photo")),
    ("organisation", _l("Organisation")),
    ("organisation_type", _l("Organisation type")),
    ("perspective", _l("Perspective")),
    ("themes", _l("Themes")),
    ("offers", _l("I offer")),
    ("seeks", _l("I look for")),
    ("bio", _l("About me")),
]


class CheckboxList(SelectMultipleField):
    """A group of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown values are ignored rather than refused: the form shows the valid ones."""
        valid = {str(value) for value, *_ in self.iter_choices()}
        self.data = [value for value in (self.data or []) if str(value) in valid]


def valid_tags(form, field):
    """The tag rules of the service, checked with the other fields so all errors show at once."""
    try:
        parse_tags(field.data or "", field.name)
    except RuleError as error:
        raise ValidationError(str(error)) from error


def one_of(allowed: dict, message):
    """The value is empty (not given) or one of ``allowed``; missing or odd input is not a 500."""

    def check(form, field):
        if field.data and field.data not in allowed:
            raise ValidationError(str(message))

    return check


class ProfileForm(FlaskForm):
    """A member's profile."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    organisation_type = SelectField(
        _l("Organisation type"),
        choices=[("", _l("(not given)"))] + list(ORGANISATION_TYPES.items()),
        validate_choice=False,
        validators=[one_of(ORGANISATION_TYPES, _l("Choose an organisation type from the list."))],
    )
    perspective = SelectField(
        _l("Perspective"),
        description=_l("From which side do you look at open government?"),
        choices=[("", _l("(not given)"))] + list(PERSPECTIVES.items()),
        validate_choice=False,
        validators=[one_of(PERSPECTIVES, _l("Choose a perspective from the list."))],
    )
    themes = CheckboxList(_l("Themes"), coerce=int, choices=[])
    offers = TextAreaField(
        _l("I offer"),
        description=_l(
            "What can you help others with? Separate with commas, "
            "for example: Woo requests, open source procurement"
        ),
        validators=[Length(max=1000), valid_tags],
    )
    seeks = TextAreaField(
        _l("I look for"),
        description=_l("What would you like to learn or find? Separate with commas."),
        validators=[Length(max=1000), valid_tags],
    )
    bio = TextAreaField(
        _l("About me"), description=_l("You can use Markdown."), validators=[Length(max=4000)]
    )
    public_fields = CheckboxList(
        _l("Also show to visitors who are not logged in"),
        description=_l(
            "Members always see your whole profile. Fields you tick here are also "
            "shown, with your name, to everyone. Your e-mail address is never shown."
        ),
        choices=VISIBILITY_CHOICES,
    )


class PhotoForm(FlaskForm):
    """A new profile photo. Its type is read from its content by the service, not its name."""

    photo = FileField(
        _l("New photo"),
        description=_l(
            "A JPEG, PNG or WebP file of at most 5 MB. We remove the data in it "
            "(such as where it was taken) and cut it square."
        ),
        validators=[FileRequired(_l("Choose a photo."))],
    )
