"""The forms of the pages that combine features: the welcome's themes, putting it away."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from alliance.members.forms import CheckboxList


class FollowThemesForm(FlaskForm):
    """The first hour's second step: the themes to follow."""

    themes = CheckboxList(_l("Themes to follow"), coerce=int, choices=[])


class PlainForm(FlaskForm):
    """A button that changes something (put the welcome away, show it again): CSRF only."""
