"""What the members feature keeps about a member, for the AVG export (the profile), and what
goes with the account (the photo)."""

from alliance.core import signals
from alliance.core.signals import Collected
from alliance.core.timeutil import iso
from alliance.members import photos


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """The profile, with which fields everyone may see."""
    return [
        Collected(
            "profile",
            {
                "name": member.name,
                "organisation": member.organisation,
                "organisation_type": member.organisation_type,
                "perspective": member.perspective,
                "themes": [theme.slug for theme in member.themes],
                "offers": member.offers,
                "seeks": member.seeks,
                "bio": member.bio,
                "photo": bool(member.photo_key),
                "public_fields": list(member.public_fields or []),
                "hidden_by_moderation_at": iso(member.profile_hidden_at),
            },
        )
    ]


@signals.account_erasing.connect
def account_erasing(member) -> None:
    """The photo's files go once the deletion is committed."""
    photos.remove_photo(member)
