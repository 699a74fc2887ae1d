"""What happened, and questions a feature asks the features above it: blinker signals.

Two kinds live here (as in Indico's ``indico/core/signals``):

* **Something happened.** The sender does not know who listens. Receivers run in the sender's
  transaction: they only ``flush()``, and what they write is committed (or rolled back) with
  the change that caused it. The sender is the first argument of ``send``; the rest are
  keyword arguments, named in each docstring.
* **A question.** A lower floor needs an answer only a higher floor has (similar items while
  typing a title, the members matching a text). ``answers(signal, sender, **kwargs)`` sends it
  and returns what the receivers returned, leaving out ``None``.

Every receiver is a module-level function in ``<feature>/receivers.py``, connected when the
feature's ``init_app`` imports that module (blinker holds receivers weakly: a lambda would be
dropped). ``tests/test_architecture.py`` checks that each signal whose effect is required has
a receiver in the app.

The small types the answers take are defined here too, so that a feature can answer without
importing the feature that asks.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from blinker import Namespace, Signal

_signals = Namespace()


def answers(signal: Signal, sender=None, **kwargs) -> list:
    """Ask a question-signal: every receiver's answer that is not None, in connection order."""
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]


# --- the knowledge base --------------------------------------------------------------------------

content_changed = _signals.signal(
    "content-changed",
    doc="""Something search shows has changed (or is gone). Sender: the kind of document
    (``"item"``, ``"member"``, ``"group"``, ``"event"``); ``ref_id``: its id. Required: search indexes it
    again once the transaction commits.""",
)

member_renamed = _signals.signal(
    "member-renamed",
    doc="""A member changed their name. Sender: the ``Member``. Required: search indexes their
    posts again under the new name.""",
)

reply_added = _signals.signal(
    "reply-added",
    doc="""A member replied on an item. Sender: the ``Reply`` (flushed, with an id);
    ``item``: the ``Item``. Notify tells the asker, those mentioned and the followers.""",
)

reply_helped = _signals.signal(
    "reply-helped",
    doc="""The asker marked a reply "dit hielp mij". Sender: the ``Reply``; ``item``: its item.
    Notify tells the reply's author.""",
)

item_evaluated = _signals.signal(
    "item-evaluated",
    doc="""A dilemma got its outcome and lesson for the first time (the loop is closed).
    Sender: the ``Item``. Notify tells everyone who replied.""",
)

# --- working groups ------------------------------------------------------------------------------

member_invited = _signals.signal(
    "member-invited",
    doc="""A lead invited a member to a working group. Sender: the group; ``membership``: the
    invited member's row; ``by``: the lead (a ``Member``).""",
)

join_requested = _signals.signal(
    "join-requested",
    doc="""A member joined, asked to join or went on the waiting list of a group. Sender: the
    group; ``membership``: their row (its ``state`` says which); ``lead_ids``: who leads it.""",
)

join_answered = _signals.signal(
    "join-answered",
    doc="""A lead let someone in or declined their request. Sender: the group;
    ``membership``: the row (with the lead's ``message``); ``approved``: bool; ``by_id``: the
    lead's id, or None.""",
)

task_assigned = _signals.signal(
    "task-assigned",
    doc="""A task of a group got an owner. Sender: the group; ``task``: the ``Task``;
    ``by_id``: who gave it (None: unknown).""",
)

group_message_posted = _signals.signal(
    "group-message-posted",
    doc="""A member wrote a message in a working group's conversation, or replied to one.
    Sender: the group; ``message``: the ``GroupMessage`` (flushed; ``parent_id`` set for a
    reply); ``parent_author_id``: who wrote the message replied to (None: not a reply).
    Notify tells the author of the message replied to and the group members mentioned.""",
)

proposal_opened = _signals.signal(
    "proposal-opened",
    doc="""A member put a proposal to their working group. Sender: the group; ``proposal``: the
    ``Proposal``; ``member_ids``: the group's current members. Notify asks them to respond.""",
)

proposal_decided = _signals.signal(
    "proposal-decided",
    doc="""The outcome of a proposal is recorded. Sender: the group; ``proposal``: the
    ``Proposal``; ``member_ids``: the group's current members. Notify tells them.""",
)

membership_ended = _signals.signal(
    "membership-ended",
    doc="""A member is no longer in a working group (left, removed, or their account went).
    Sender: the group's id; ``member``: the ``Member``. Required: the agenda takes them off
    the group's events (a place goes back, the waiting list moves up).""",
)

# --- the agenda ----------------------------------------------------------------------------------

signup_changed = _signals.signal(
    "signup-changed",
    doc="""A member's place at an event changed. Sender: the ``Event``; ``member``: the
    ``Member``; ``state``: ``"signed_up"``, ``"waiting"`` or ``"moved_up"``. Notify tells
    them.""",
)

event_reviewed = _signals.signal(
    "event-reviewed",
    doc="""A coordinator approved a proposed event or sent it back. Sender: the ``Event``;
    ``approved``: bool; ``message``: what to change (when sent back). Notify tells the
    organiser.""",
)

# --- messages between members --------------------------------------------------------------------

message_sent = _signals.signal(
    "message-sent",
    doc="""A member sent a message in a conversation. Sender: the ``Message`` (flushed, with an
    id); ``recipient_ids``: the members to tell (not the author, not who blocked them or does
    not take messages from them); ``url``: the conversation's path. Required: notify tells
    each recipient by their choice for the kind "message".""",
)

member_blocked = _signals.signal(
    "member-blocked",
    doc="""A member blocked another (who is not told). Sender: the blocker (a ``Member``);
    ``blocked_id``. Required: notify takes the blocked member's message notifications out of
    the blocker's bell and list (they no longer see their messages).""",
)

# --- trust and accounts --------------------------------------------------------------------------

report_settled = _signals.signal(
    "report-settled",
    doc="""A coordinator acted on a report. Sender: the ``Report``; ``action``: ``"hide"``,
    ``"edit"``, ``"restore"`` or ``"dismiss"``; ``outcome``: what became of it, in words;
    ``kind_label``: what was reported, in words. Notify tells the reporter.""",
)

group_content_opened = _signals.signal(
    "group-content-opened",
    doc="""A coordinator opened reported content of a private working group to handle the
    report (after saying why; it is in the audit log). Sender: the ``Report``; ``group_id``;
    ``by``: the coordinator; ``reason``. Required: notify tells the group's leads.""",
)

member_suspended = _signals.signal(
    "member-suspended",
    doc="""A coordinator suspended a member. Sender: the ``Member``. Required: accounts ends
    every session of theirs at once.""",
)

role_changed = _signals.signal(
    "role-changed",
    doc="""An administrator changed a member's role. Sender: the ``Member``; ``by``: the
    administrator; ``previous``: the old role. Required: moderation writes it to the audit
    log.""",
)

account_erasing = _signals.signal(
    "account-erasing",
    doc="""A member deletes their account; the member row goes right after, in the same
    transaction. Sender: the ``Member``. Required: every feature removes or anonymises what it
    keeps about them.""",
)

# --- questions -----------------------------------------------------------------------------------

similar_items = _signals.signal(
    "similar-items",
    doc="""Question: the items about the same thing as a text (a title being typed). Sender:
    the text; ``viewer``; ``limit``; ``exclude``: an item id to leave out. Answer: a list of
    ``Item`` the viewer may read, best first (search).""",
)

members_matching = _signals.signal(
    "members-matching",
    doc="""Question: the ids of the members whose profile matches a text, best first. Sender:
    the text; ``viewer``. Answer: a list of ids, or None when the search index is unavailable
    (search).""",
)

login_refusal = _signals.signal(
    "login-refusal",
    doc="""Question: may this member log in now? Sender: the ``Member``. Answer: the reason
    they may not, as a translated sentence (moderation: a suspension); no answer: they may.""",
)

personal_data = _signals.signal(
    "personal-data",
    doc="""Question: what does a feature keep about this member, for the AVG export? Sender:
    the ``Member``. Answer: a list of ``Collected`` (each with its name in the export).""",
)

reminders_due = _signals.signal(
    "reminders-due",
    doc="""Question: which reminders are due today? Sender: the date (``date``). Answer: a list
    of ``Reminder``; notify makes each one once (its ``key``).""",
)

reportable_kinds = _signals.signal(
    "reportable-kinds",
    doc="""Question: which kinds of content can members report? Sender: None. Answer: a list
    of ``ReportableKind`` (the agenda's events; moderation itself adds posts, replies and
    profiles).""",
)

search_sources = _signals.signal(
    "search-sources",
    doc="""Question: which kinds of document does a feature give search? Sender: None.
    Answer: a list of ``SearchSource`` (working groups, events).""",
)

template_hook = _signals.signal(
    "template-hook",
    doc="""Question: what does a feature add to a page at a named place? Sender: the name
    (``"item-links"``: under an item's closing-the-loop block); keyword arguments: what the
    page passes. Answer: safe HTML (``Markup``). Templates ask with ``template_hook(name,
    **context)``.""",
)


# --- the types of the answers --------------------------------------------------------------------


@dataclass
class Collected:
    """What one feature keeps about a member: JSON-able ``data`` under ``name`` in the
    export, and readable Markdown ``files`` (path → text) of the member's own contributions."""

    name: str
    data: object
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class Reminder:
    """A reminder notify makes once (``key``): a notification of ``kind`` for ``recipient_id``
    about an item or a group, linking to ``url``."""

    kind: str
    recipient_id: int
    url: str
    key: str
    item_id: int | None = None
    group_id: int | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportableKind:
    """A kind of content members can report, and what moderation needs to act on it."""

    name: str
    label: object  # a lazy string: "A post", "An event"
    load: Callable[[int], object | None]
    can_see: Callable[[object, object], bool]
    set_hidden: Callable[[object, bool], None]
    is_hidden: Callable[[object], bool]
    url: Callable[[object], str]
    summary: Callable[[object], str]
    author_id: Callable[[object], int | None]
    edit_text: Callable[[object], str] | None = None
    apply_edit: Callable[[object, str], None] | None = None
    # The working group whose private content this is (None: not a group's), so that its
    # reports reach who may see them.
    group_id: Callable[[object], int | None] = lambda content: None


@dataclass
class SearchHit:
    """How a document of a ``SearchSource`` shows in the results; search highlights the
    title and picks the snippet from ``texts``."""

    kind_label: str
    url: str
    title: str
    texts: list[str]
    meta: list[str]


@dataclass(frozen=True)
class SearchSource:
    """A kind of document a feature gives search.

    ``documents(ids)``: id → the documents of that thing, each a dict of the fields of
    ``search.schema.Document`` (none: it is gone or must not be found). ``ids()``: every id,
    in batches, for a rebuild; ``count()``: how many. ``hits(ids, viewer)``: id → how it
    shows, for the ids the viewer may see now (checked again on every row shown)."""

    kind: str
    label: object  # a lazy string: "Working group"
    documents: Callable[[list[int]], dict[int, list[dict]]]
    ids: Callable[[], Iterator[list[int]]]
    count: Callable[[], int]
    hits: Callable[[list[int], object], dict[int, SearchHit]]
    statuses: dict[str, object] = field(default_factory=dict)  # status value → its label
