"""Forms for themes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class ThemeForm(FlaskForm):
    """Add or rename a theme, in Dutch and English."""

    name_nl = StringField(_l("Name (Dutch)"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=80)])
    description_nl = TextAreaField(_l("Description (Dutch)"), validators=[Length(max=4000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=4000)])
