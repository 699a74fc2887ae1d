"""What the members feature keeps about a member, for the AVG export: the profile."""

from alliance.core import signals
from alliance.core.signals import Collected
from alliance.core.timeutil import iso


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
                "public_fields": list(member.public_fields or []),
                "hidden_by_moderation_at": iso(member.profile_hidden_at),
            },
        )
    ]
