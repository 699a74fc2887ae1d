"""The members the load test logs in as, made through the app's own services.

    python bench/load/accounts.py COUNT OUT.json      (configured by the environment, as run.py
                                                       sets it: DATABASE_URL, SECRET_KEY, …)

Each account is registered as an invited person registers (``accounts.services.register`` with
an invitation of a demo coordinator, which confirms the address at once, so no e-mail is
needed), with one known password. Writes ``{"password": …, "emails": […]}`` to OUT.json."""

import json
import os
import sys
from pathlib import Path

from sqlalchemy import select

from alliance import create_app
from alliance.accounts.services import register
from alliance.core import tokens
from alliance.extensions import db
from alliance.members.models import Member

#: Long enough, not a common password, not a name: the app's own password rules accept it.
PASSWORD = "drukte op de kennisbank, twee minuten lang"
DOMAIN = "load.example"


def make_accounts(count: int) -> list[str]:
    """Register ``count`` confirmed members (``lastlid<N>@load.example``); their addresses."""
    app = create_app()
    with app.test_request_context("/registreren", method="POST"):
        inviter = db.session.scalar(
            select(Member).where(Member.role == "coordinator").order_by(Member.id).limit(1)
        )
        if inviter is None:
            raise SystemExit("no coordinator to invite the load-test members (demo data?)")
        emails = []
        for number in range(1, count + 1):
            email = f"lastlid{number}@{DOMAIN}"
            token = tokens.make_token("invite", {"email": email, "by": inviter.id})
            member = register(f"Lastlid {number}", email, PASSWORD, "nl", token)
            if member is None or member.email_confirmed_at is None:
                raise SystemExit(f"{email} was not registered and confirmed")
            emails.append(email)
        db.session.commit()
    return emails


def main() -> None:
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    wanted = os.environ.get("SEARCH_BACKEND", "whoosh")
    used = create_app().config.get("SEARCH_BACKEND", "whoosh")
    if used != wanted:  # an app without the setting would silently run Whoosh
        raise SystemExit(f"SEARCH_BACKEND={wanted}, but this app uses {used!r}")
    emails = make_accounts(count)
    out.write_text(json.dumps({"password": PASSWORD, "emails": emails}, indent=1))
    print(f"{len(emails)} load-test members registered and confirmed")


if __name__ == "__main__":
    main()
