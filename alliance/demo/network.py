"""The named demo network: about forty people, three of them fixed accounts to log in with."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.demo.people import FIXED, PEOPLE, DemoPerson
from alliance.extensions import db
from alliance.members.models import Member
from alliance.members.services import ProfileChange, update_profile
from alliance.themes.models import Theme

#: The password of every demo account, named in the README. Demo data only, never production.
DEMO_PASSWORD = "alliantie-demo-2026"

#: The two-step login key of the demo coordinators and administrators (their powers need it),
#: printed by ``flask demo`` like the password. Demo data only, never production.
DEMO_TOTP_SECRET = "ALLIANTIEDEMOTWEESTAPSLOGINDEMOA"

#: The fixed accounts: e-mail address → role.
FIXED_ACCOUNTS = {person.email: person.role for person in FIXED}


@dataclass
class NetworkResult:
    """What loading the named network did."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def missing_people(people: tuple[DemoPerson, ...] = PEOPLE) -> list[DemoPerson]:
    """The people of the network whose e-mail address is not in use yet."""
    emails = [person.email for person in people]
    existing = set(db.session.scalars(select(Member.email).where(Member.email.in_(emails))))
    return [person for person in people if person.email not in existing]


def load_network(
    password_hash: Callable[[], str], people: tuple[DemoPerson, ...] = PEOPLE
) -> NetworkResult:
    """Add the people who are not there yet, as confirmed members, through the profile rules.

    ``password_hash`` is asked for the shared hash only when someone is added (hashing is slow on
    purpose). Flushes only; the caller commits."""
    result = NetworkResult()
    to_add = missing_people(people)
    result.skipped = [p.email for p in people if p not in to_add]
    if not to_add:
        return result
    shared_hash = password_hash()
    theme_ids = dict(db.session.execute(select(Theme.slug, Theme.id)).tuples().all())
    now = utcnow()
    for person in to_add:
        member = Member(
            email=person.email,
            name=person.name,
            password_hash=shared_hash,
            role=person.role,
            email_confirmed_at=now,
            public_fields=[],
        )
        if person.role != "member":
            member.totp_secret, member.totp_enabled_at = DEMO_TOTP_SECRET, now
        db.session.add(member)
        db.session.flush()
        update_profile(
            member,
            ProfileChange(
                name=person.name,
                organisation=person.organisation,
                organisation_type=person.organisation_type,
                perspective=person.perspective,
                theme_ids=[theme_ids[slug] for slug in person.themes if slug in theme_ids],
                offers=", ".join(person.offers),
                seeks=", ".join(person.seeks),
                bio=person.bio,
                public_fields=list(person.public_fields),
            ),
        )
        result.added.append(person.email)
    return result
