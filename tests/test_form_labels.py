"""No form ever shows a field's internal name ("Member Id"): every field a person sees has a
label of its own, and an error about a hidden field is shown next to a field they can see."""

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.core import UnboundField

import alliance
from alliance.core.errors import RuleError
from alliance.core.web import field_error


def _form_classes() -> list[type]:
    for info in pkgutil.walk_packages(alliance.__path__, "alliance."):
        if info.name.endswith(".forms"):
            importlib.import_module(info.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("alliance."):
                found.append(sub)
            todo.append(sub)
    return found


FORMS = _form_classes()


def _fields(form_class: type):
    for cls in reversed(form_class.__mro__):
        for name, value in vars(cls).items():
            if isinstance(value, UnboundField):
                yield name, value


def test_there_are_forms_to_check():
    assert len(FORMS) > 20


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_visible_field_has_a_label_of_its_own(form_class):
    unnamed = [
        name
        for name, unbound in _fields(form_class)
        if not issubclass(unbound.field_class, HiddenField)
        and not (unbound.args and unbound.args[0])
        and not unbound.kwargs.get("label")
    ]
    assert not unnamed, f"{form_class.__name__}: fields without a label: {unnamed}"


def test_an_error_about_a_hidden_field_is_shown_at_a_visible_one(app):
    from alliance.groups.forms import InviteForm

    with app.test_request_context(method="POST"):
        form = InviteForm(meta={"csrf": False})
        field_error(form, RuleError("member_id", "Kies een lid om uit te nodigen."))
        assert not form.member_id.errors
        assert form.name.errors == ["Kies een lid om uit te nodigen."]
