"""The kinds of notification a member can get. Adding one is one ``register`` line (and a
receiver in ``receivers`` that calls ``services.notify`` when its signal comes).

``text`` is shown in the app and in e-mail; it may use ``%(actor)s`` (who did it), ``%(title)s``
(the post, or the group's name) and any key of the ``params`` given to ``notify``.
``with_message`` is the text used instead when the ``params`` carry a ``message`` (a lead's
answer, for example) that is not always there.
``audience`` says who may still receive it when it is shown or mailed:

* ``"item"``: whoever has the item in their lists (``knowledge.access.is_listed``: also not
  once moderation hid it);
* ``"group"``: current members of the group only (private group content);
* ``"anyone"``: the recipient, always (e.g. an invitation: the group's public part);
* ``"group_if_any"``: the recipient, but when it is about a group (an event of a working
  group), only while they are a member of it.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: How a notification reaches a member by e-mail.
DELIVERIES = {
    "direct": _l("Direct, one e-mail each time"),
    "daily": _l("In a daily digest"),
    "weekly": _l("In a weekly digest"),
    "none": _l("No e-mail (only in the app)"),
}


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification: its name in the settings, the default delivery, its text."""

    kind: str
    label: object  # a lazy string
    default: str
    text: object  # a lazy string with %(actor)s, %(title)s, params
    audience: str = "item"
    with_message: object = None  # the text when the params carry a message


KINDS: dict[str, NotificationKind] = {}


def register(
    kind: str, label, default: str, text, audience: str = "item", with_message=None
) -> NotificationKind:
    """Add a kind of notification (the defaults: "direct" for things addressed to the member,
    "daily" or "weekly" for the rest)."""
    assert default in DELIVERIES and audience in ("item", "group", "anyone", "group_if_any"), kind
    KINDS[kind] = NotificationKind(kind, label, default, text, audience, with_message)
    return KINDS[kind]


# --- Kennisbank ---------------------------------------------------------------------------------
register("reply", _l("A reply to my post"), "direct", _l("%(actor)s replied to “%(title)s”"))
register(
    "followed_reply",
    _l("A reply in a post I follow"),
    "daily",
    _l("%(actor)s replied in “%(title)s”, which you follow"),
)
register(
    "mention", _l("Someone mentions me"), "direct", _l("%(actor)s mentioned you in “%(title)s”")
)
register(
    "helped",
    _l("My reply helped someone"),
    "direct",
    _l("Your reply in “%(title)s” helped %(actor)s"),
)
register(
    "help_asked",
    _l("Someone asks me to think along"),
    "direct",
    _l("%(actor)s asks you to think along about “%(title)s”"),
)
register(
    "close_loop",
    _l("Reminder to close the loop of my dilemma"),
    "direct",
    _l("“%(title)s” has had answers for %(days)s days. What did you decide?"),
)
register(
    "write_lesson",
    _l("Reminder to write the outcome and lesson"),
    "direct",
    _l(
        "You decided on “%(title)s” %(days)s days ago. How did it work out, and what is the lesson?"
    ),
)
register(
    "evaluated",
    _l("A dilemma I replied to is evaluated"),
    "daily",
    _l("“%(title)s” is evaluated: this is what came of it"),
)
# --- Berichten ---------------------------------------------------------------------------------
register(
    "message",
    _l("A message from a member"),
    "direct",
    _l("%(actor)s sent you a message"),
    audience="anyone",  # only the recipient is told, and not what it says
)
# --- Werkgroepen --------------------------------------------------------------------------------
register(
    "group_invitation",
    _l("An invitation to a working group"),
    "direct",
    _l("%(actor)s invites you to the working group “%(title)s”"),
    audience="anyone",
)
register(
    "join_request",
    _l("Someone asks to join my working group (leads)"),
    "direct",
    _l("%(actor)s asks to join “%(title)s”"),
    audience="group",
)
register(
    "join_approved",
    _l("I am admitted to a working group"),
    "direct",
    _l("You are now a member of “%(title)s”"),
    audience="group",
    with_message=_l("You are now a member of “%(title)s”. %(actor)s wrote: %(message)s"),
)
register(
    "join_declined",
    _l("My request to join a working group is declined"),
    "direct",
    _l("%(actor)s declined your request to join “%(title)s”: %(message)s"),
    audience="anyone",  # not a member: only the group's name, which every member sees
)
register(
    "task_assigned",
    _l("A task is given to me"),
    "direct",
    _l("%(actor)s gave you a task in “%(title)s”: %(task)s"),
    audience="group",
)
register(
    "task_due",
    _l("My task is due soon"),
    "direct",
    _l("Your task in “%(title)s” is due on %(due)s: %(task)s"),
    audience="group",
)
register(
    "group_ending",
    _l("My working group's end date is near"),
    "daily",
    _l("The working group “%(title)s” ends on %(ends)s"),
    audience="group",
)
register(
    "group_overdue",
    _l("My working group is past its end date (leads)"),
    "direct",
    _l(
        "The end date of “%(title)s” has passed (%(ends)s). Wrap up the group and share the result."
    ),
    audience="group",
)
register(
    "group_mention",
    _l("Someone mentions me in my working group's conversation"),
    "direct",
    _l("%(actor)s mentioned you in the conversation of “%(title)s”"),
    audience="group",
)
register(
    "group_message_reply",
    _l("A reply to my message in my working group"),
    "direct",
    _l("%(actor)s replied to your message in “%(title)s”"),
    audience="group",
)
register(
    "group_proposal",
    _l("A new proposal in my working group"),
    "direct",
    _l("%(actor)s made a proposal in “%(title)s”: %(proposal)s"),
    audience="group",
)
register(
    "proposal_closing",
    _l("A proposal I have not responded to closes soon"),
    "direct",
    _l(
        "The proposal “%(proposal)s” in “%(title)s” closes on %(closes)s. You have not responded yet."
    ),
    audience="group",
)
register(
    "proposal_decided",
    _l("A proposal in my working group is decided"),
    "daily",
    _l("Decided in “%(title)s”: %(proposal)s. Outcome: %(outcome)s"),
    audience="group",
)
# --- Agenda -------------------------------------------------------------------------------------
register(
    "event_signed_up",
    _l("I signed up for an event"),
    "direct",
    _l("You are signed up for “%(event)s”"),
    audience="group_if_any",
)
register(
    "event_waiting",
    _l("I am on the waiting list of an event"),
    "direct",
    _l("“%(event)s” is full: you are on the waiting list"),
    audience="group_if_any",
)
register(
    "event_moved_up",
    _l("I move up from the waiting list"),
    "direct",
    _l("A place opened up: you are now signed up for “%(event)s”"),
    audience="group_if_any",
)
register(
    "event_approved",
    _l("My proposed event is approved"),
    "direct",
    _l("“%(event)s” is approved and in the agenda"),
    audience="anyone",
)
register(
    "event_returned",
    _l("My proposed event is sent back"),
    "direct",
    _l("“%(event)s” was sent back: %(message)s"),
    audience="anyone",
)
# --- Moderation ---------------------------------------------------------------------------------
register(
    "group_content_opened",
    _l("A coordinator opened reported content of my working group (leads)"),
    "direct",
    _l("%(actor)s (coordinator) opened reported content of “%(title)s” to handle it: %(message)s"),
    audience="group",
)
register(
    "report_outcome",
    _l("What became of my report"),
    "direct",
    _l("Your report has been handled: %(outcome)s"),
    audience="anyone",
)
