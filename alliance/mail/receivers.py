"""What the mail outbox keeps about a member goes with their account."""

from sqlalchemy import delete

from alliance.core import signals
from alliance.extensions import db
from alliance.mail.models import OutgoingMail


@signals.account_erasing.connect
def erase(member) -> None:
    """Messages to the member's address, sent or waiting, go from the outbox."""
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.recipient == member.email))
