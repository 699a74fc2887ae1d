"""Imports every feature's models so that Alembic and the metadata see them all."""

import alliance.insight.models  # noqa: F401  (the figures' indexes)
from alliance.accounts.models import LoginSession, RecoveryCode  # noqa: F401
from alliance.agenda.models import CalendarLink, Event, Signup  # noqa: F401
from alliance.groups.models import GroupNote, Membership, Task, WorkingGroup  # noqa: F401
from alliance.groups.workmodels import (  # noqa: F401,E501
    DocumentVersion,
    GroupDocument,
    GroupMessage,
    Proposal,
    ProposalResponse,
)
from alliance.knowledge.models import Item, ItemMark, ItemRevision, ItemTag, Reply, ReplyMark  # noqa: F401,E501
from alliance.mail.models import OutgoingMail  # noqa: F401
from alliance.members.models import Member, MemberTag, member_themes  # noqa: F401
from alliance.messages.models import Block, Conversation, Message, MessageSetting, Participant  # noqa: F401,E501
from alliance.moderation.models import AuditEntry, Report, Suspension  # noqa: F401
from alliance.notify.models import HelpRequest, Notification, NotificationSetting  # noqa: F401
from alliance.search.models import SearchDocument, SearchOutbox, SearchWord  # noqa: F401
from alliance.themes.models import Theme  # noqa: F401
from alliance.worker.models import ScheduledRun  # noqa: F401
