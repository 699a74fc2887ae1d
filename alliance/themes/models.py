"""Themes of the action plan: reference data that profiles (and later items, groups and events)
carry."""

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alliance.extensions import db


class Theme(db.Model):
    """A theme such as Open Informatie; retired themes stay on old content but are not offered."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_nl: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None]

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return self.name_en if str(get_locale()) == "en" else self.name_nl

    @property
    def description(self) -> str:
        """The description in the language of the current request (Dutch when not translated)."""
        if str(get_locale()) == "en" and self.description_en:
            return self.description_en
        return self.description_nl
