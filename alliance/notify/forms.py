"""Forms of notifications and matching."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange

from alliance.notify.models import MAX_MONTHLY_CAP
from alliance.notify.registry import DELIVERIES, KINDS


class ActionForm(FlaskForm):
    """A button that changes something (mark read): only the CSRF token."""


class AskForm(FlaskForm):
    """ "Vraag om mee te denken": one suggested member."""

    member_id = HiddenField()


def settings_form(formdata=None, **data):
    """The settings form: e-mail per kind of notification, matching opt-out and cap. Made per call,
    as the kinds come from the registry."""

    class SettingsForm(FlaskForm):
        matching_opt_out = BooleanField(_l("Do not ask me to think along"))
        monthly_cap = IntegerField(
            _l("At most this many requests a month"),
            description=_l("Between 0 and %(max)d.", max=MAX_MONTHLY_CAP),
            validators=[
                InputRequired(message=_l("Fill in a number.")),
                NumberRange(
                    min=0,
                    max=MAX_MONTHLY_CAP,
                    message=_l("Choose a number from 0 to %(max)d.", max=MAX_MONTHLY_CAP),
                ),
            ],
        )

    for kind, event in KINDS.items():
        setattr(
            SettingsForm,
            f"delivery_{kind}",
            SelectField(
                event.label,
                choices=list(DELIVERIES.items()),
                validate_choice=True,
                default=event.default,
            ),
        )
    form = SettingsForm(formdata=formdata, **data) if formdata is not None else SettingsForm(**data)
    return form


def delivery_fields(form) -> list:
    """The per-kind fields of a settings form, in registry order."""
    return [getattr(form, f"delivery_{kind}") for kind in KINDS]


class AskFromProfileForm(FlaskForm):
    """ "Vraag om mee te denken" from a profile: which of my open dilemmas."""

    item_id = RadioField(
        _l("About which of your open dilemmas?"), choices=[], validate_choice=False
    )
