"""The member's own data: the export ZIP and the deletion of an account."""

import io
import json
import zipfile

from flask_babel import gettext as _
from sqlalchemy import func, select

from alliance.core import signals
from alliance.core.errors import RuleError
from alliance.core.passwords import verify_password
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

README = """Mijn gegevens bij de Alliantie Open Overheid
============================================

gegevens.json   alles wat het platform over je bewaart, per onderdeel
bijdragen/      je dilemma's, ervaringen en reacties als leesbare Markdown

Gemaakt op {when} (UTC).
"""


def export(member: Member) -> dict:
    """Everything about ``member``, as every feature answers ``signals.personal_data``:
    {name: data} and the Markdown files."""
    data, files = {}, {}
    collected = [
        found for answer in signals.answers(signals.personal_data, member) for found in answer
    ]
    for found in sorted(collected, key=lambda found: found.name):
        data[found.name] = found.data
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
    """Delete the account after the password: every feature removes or anonymises what it
    keeps (``signals.account_erasing``), then the member row goes, all in this one
    transaction. Contributions stay under "voormalig lid"."""
    if not verify_password(member.password_hash, password or ""):
        raise RuleError("password", _("This is not your current password."))
    if member.role == "admin":
        admins = db.session.scalar(select(func.count(Member.id)).where(Member.role == "admin"))
        if admins <= 1:
            raise RuleError(
                "password",
                _("You are the last administrator. Make someone else administrator first."),
            )
    signals.account_erasing.send(member)
    db.session.flush()
    signals.content_changed.send("member", ref_id=member.id)
    db.session.delete(member)
    db.session.flush()
