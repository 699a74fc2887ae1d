"""What the mail outbox keeps about a member goes with their account."""

from sqlalchemy import delete

from alliance.core import signals
from alliance.extensions import db
from alliance.mail.models import OutgoingMail
from alliance.mail.upkeep import forget_sent_mail_naming


@signals.account_erasing.connect
def erase(member) -> None:
    """Messages to the member's address, sent or waiting, go from the outbox; so do the copies
    of sent mail to others that name the member (see ``forget_sent_mail_naming``)."""
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.recipient == member.email))
    forget_sent_mail_naming(member.name)
