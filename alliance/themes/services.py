"""The rules for themes."""

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from alliance.core.errors import RuleError
from alliance.core.text import fold
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.themes.models import Theme

#: Addresses under /themas/ that are pages of their own, not themes.
RESERVED_SLUGS = {"beheer"}


def active_themes() -> list[Theme]:
    """The themes offered on forms and filters, in their set order."""
    return list(
        db.session.scalars(
            select(Theme).where(Theme.retired_at.is_(None)).order_by(Theme.position, Theme.id)
        )
    )


def all_themes() -> list[Theme]:
    """Every theme, retired ones included (for coordinators)."""
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def slugify(name: str) -> str:
    """``Open Informatie`` → ``open-informatie``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80] or "thema"


def add_theme(
    name_nl: str, name_en: str, description_nl: str = "", description_en: str = ""
) -> Theme:
    """Add a theme at the end of the list; its name must be new."""
    slug = slugify(name_nl)
    if slug in RESERVED_SLUGS or db.session.scalar(select(Theme.id).where(Theme.slug == slug)):
        raise RuleError("name_nl", _("A theme with this name already exists."))
    position = (db.session.scalar(select(func.max(Theme.position))) or 0) + 1
    theme = Theme(
        slug=slug,
        name_nl=name_nl.strip(),
        name_en=name_en.strip(),
        description_nl=description_nl,
        description_en=description_en,
        position=position,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def edit_theme(
    theme: Theme, name_nl: str, name_en: str, description_nl: str, description_en: str
) -> Theme:
    """Rename a theme or change its description. The address (slug) stays, so links keep working."""
    theme.name_nl = name_nl.strip()
    theme.name_en = name_en.strip()
    theme.description_nl = description_nl
    theme.description_en = description_en
    db.session.flush()
    return theme


def set_retired(theme: Theme, retired: bool) -> Theme:
    """Retire a theme (no longer offered on forms) or bring it back."""
    theme.retired_at = utcnow() if retired else None
    db.session.flush()
    return theme
