"""Pages for a developer, in debug mode only (``DEV_PAGES``): the mail sent since the app
started, readable with whole links, and the demo people by role and perspective."""

import re
from collections import defaultdict
from datetime import datetime

from flask import Blueprint, Flask, current_app
from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.core.web import render
from alliance.demo.people import PEOPLE
from alliance.extensions import db
from alliance.mail.models import OutgoingMail
from alliance.members.models import PERSPECTIVES, ROLES, Member

bp = Blueprint("dev", __name__, url_prefix="/ontwikkeling")

LINK = re.compile(r"https?://\S+")


def enabled(app: Flask) -> bool:
    """Whether the development pages are served: ``DEV_PAGES``, or else debug mode."""
    setting = app.config.get("DEV_PAGES")
    return bool(app.debug if setting is None else setting)


def register(app: Flask) -> None:
    """Serve the development pages, noting when this process started."""
    app.extensions["dev_pages_started"] = utcnow()
    app.register_blueprint(bp)


def _started() -> datetime:
    return current_app.extensions["dev_pages_started"]


@bp.get("/post")
def mailbox():
    """The messages written since this process started, newest first, links clickable."""
    messages = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.created_at >= _started())
        .order_by(OutgoingMail.id.desc())
        .limit(100)
    ).all()
    shown = [(message, LINK.findall(message.text_body)) for message in messages]
    return render("demo/mailbox.html", messages=shown, started=_started())


@bp.get("/demo-leden")
def demo_people():
    """The demo people that are in this database, by role and then by perspective."""
    emails = [person.email for person in PEOPLE]
    present = set(db.session.scalars(select(Member.email).where(Member.email.in_(emails))))
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for person in PEOPLE:
        if person.email in present:
            groups[(person.role, person.perspective)].append(person)
    role_order = list(ROLES)
    perspective_order = list(PERSPECTIVES)
    ordered = sorted(
        groups.items(),
        key=lambda entry: (role_order.index(entry[0][0]), perspective_order.index(entry[0][1])),
    )
    return render(
        "demo/people.html",
        groups=[(ROLES[role], PERSPECTIVES[view], people) for (role, view), people in ordered],
    )
