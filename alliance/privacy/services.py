"""The member's own data: the export ZIP and the deletion of an account."""

import io
import json
import zipfile

from flask_babel import gettext as _
from sqlalchemy import func, select

from alliance.accounts.passwords import verify_password
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.privacy import collectors  # noqa: F401  (registers the collectors and erasers)
from alliance.privacy.registry import COLLECTORS, ERASERS

README = """Mijn gegevens bij de Alliantie Open Overheid
============================================

gegevens.json   alles wat het platform over je bewaart, per onderdeel
bijdragen/      je dilemma's, ervaringen en reacties als leesbare Markdown

Gemaakt op {when} (UTC).
"""


class PrivacyError(ValueError):
    """A request the rules refuse; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def export(member: Member) -> dict:
    """Everything about ``member``: {collector name: data} and the Markdown files."""
    data, files = {}, {}
    for name, collect in COLLECTORS.items():
        found = collect(member)
        data[name] = found.data
        files.update(found.files)
    return {"data": data, "files": files}


def export_zip(member: Member) -> bytes:
    """The export as a ZIP: ``gegevens.json``, ``bijdragen/*.md`` and a README."""
    found = export(member)
    when = utcnow().isoformat(timespec="seconds")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEESMIJ.txt", README.format(when=when))
        archive.writestr(
            "gegevens.json",
            json.dumps({"exported_at": when, **found["data"]}, ensure_ascii=False, indent=2),
        )
        for path, text in sorted(found["files"].items()):
            archive.writestr(path, text)
    return buffer.getvalue()


def delete_account(member: Member, password: str) -> None:
    """Delete the account after the password: every eraser runs, then the member row goes,
    all in this one transaction. Contributions stay under "voormalig lid"."""
    if not verify_password(member.password_hash, password or ""):
        raise PrivacyError("password", _("This is not your current password."))
    if member.role == "admin":
        admins = db.session.scalar(select(func.count(Member.id)).where(Member.role == "admin"))
        if admins <= 1:
            raise PrivacyError(
                "password",
                _("You are the last administrator. Make someone else administrator first."),
            )
    for erase in ERASERS.values():
        erase(member)
    db.session.flush()
    from alliance.search.outbox import mark_changed

    mark_changed("member", member.id)
    db.session.delete(member)
    db.session.flush()
