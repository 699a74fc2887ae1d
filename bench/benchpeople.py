"""The people pages of the benchmark (issue 17): the profile of a member with 200
contributions, and the message list of the bench member with 500 messages. Made once, through
the services, in the benchmark database (by ``benchdata._add_bench_items`` when it is built,
or when first looked up in an older one)."""

from sqlalchemy import func, select

#: The expert whose profile is measured: a demo member (not the bench account).
BENCH_EXPERT = "pieter.vandermeer@demo.alliantie.example"
BENCH_EXPERT_POSTS = 120  # dilemmas and experiences
BENCH_EXPERT_HELPED = 60  # replies on others' dilemmas marked "dit hielp mij"
BENCH_EXPERT_LESSONS = 20  # of those dilemmas, evaluated with a lesson
EXPERT_TITLE = "Bench-bijdrage {n} van de expert: hoe maken we besluiten vindbaar?"

#: The bench member's messages: this many conversations of this many messages each.
BENCH_CONVERSATIONS = 50
BENCH_MESSAGES_EACH = 10


def bench_expert() -> int:
    """The id of the member with 200 contributions; made once."""
    from alliance.extensions import db
    from alliance.knowledge.models import Item
    from alliance.knowledge.services import (
        ItemChange,
        add_reply,
        post_item,
        record_decision,
        record_evaluation,
        set_helped,
    )
    from alliance.members.models import Member

    expert = db.session.scalar(select(Member).where(Member.email == BENCH_EXPERT))
    if db.session.scalar(select(Item.id).where(Item.title == EXPERT_TITLE.format(n=0))):
        return expert.id
    askers = db.session.scalars(
        select(Member)
        .where(Member.id != expert.id, Member.email_confirmed_at.is_not(None))
        .order_by(Member.id)
        .limit(BENCH_EXPERT_HELPED)
    ).all()
    for number in range(BENCH_EXPERT_POSTS):
        kind = "dilemma" if number % 2 == 0 else "ervaring"
        main = "tension" if kind == "dilemma" else "what_we_did"
        post_item(
            expert,
            ItemChange(
                kind=kind,
                title=EXPERT_TITLE.format(n=number),
                visibility="public" if number % 3 == 0 else "members",
                fields={main: "Besluiten staan verspreid over drie systemen."},
            ),
        )
    for number, asker in enumerate(askers):
        item = post_item(
            asker,
            ItemChange(
                kind="dilemma",
                title=f"Vraag {number} aan de expert: wat publiceren we eerst?",
                fields={"tension": "Alles tegelijk kan niet."},
            ),
        )
        reply = add_reply(item, expert, "Begin met wat het vaakst wordt gevraagd.", "uitvoering")
        set_helped(reply, True)
        if number < BENCH_EXPERT_LESSONS:
            record_decision(item, asker, "We beginnen met de raadsbesluiten.")
            record_evaluation(item, asker, "Het werkte.", "Vraag de inwoners wat zij zoeken.")
    db.session.commit()
    return expert.id


def bench_conversation() -> int:
    """The id of one of the bench member's 50 conversations (500 messages in all); made once,
    both sides writing, through the messages services."""
    from benchdata import BENCH_EMAIL
    from flask import current_app

    from alliance.extensions import db
    from alliance.members.models import Member
    from alliance.messages.models import Message, Participant
    from alliance.messages.services import answer, start

    me = db.session.scalar(select(Member).where(Member.email == BENCH_EMAIL))
    mine = select(Participant.conversation_id).where(Participant.member_id == me.id)
    if db.session.scalar(select(func.count(Message.id)).where(Message.conversation_id.in_(mine))):
        return db.session.scalar(mine.order_by(Participant.conversation_id).limit(1))
    others = db.session.scalars(
        select(Member)
        .where(Member.id != me.id, Member.email_confirmed_at.is_not(None))
        .order_by(Member.id.desc())
        .limit(BENCH_CONVERSATIONS)
    ).all()
    limit_days = current_app.config["MESSAGES_NEW_ACCOUNT_DAYS"]
    current_app.config["MESSAGES_NEW_ACCOUNT_DAYS"] = 0  # the demo accounts are new
    try:
        for other in others:
            first = start(me, [other.id], "Hoi, mag ik je iets vragen over de Woo?")
            for number in range(1, BENCH_MESSAGES_EACH):
                writer = other if number % 2 else me
                answer(first.conversation, writer, f"Bericht {number}: dat kan, vertel.")
    finally:
        current_app.config["MESSAGES_NEW_ACCOUNT_DAYS"] = limit_days
    db.session.commit()
    return db.session.scalar(mine.order_by(Participant.conversation_id).limit(1))
