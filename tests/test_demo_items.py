"""``flask demo-data``: the named knowledge base, and synthetic items with replies in bulk."""

import html
from collections import Counter
from datetime import datetime

from sqlalchemy import func, or_, select

from alliance.demo.item_vocabulary import NAMED_ITEMS, email
from alliance.demo.items import Author, synthetic_items
from alliance.demo.network import DEMO_PASSWORD
from alliance.demo.people import PEOPLE
from alliance.extensions import db
from alliance.groups.models import Membership
from alliance.knowledge.models import Item, ItemMark, Reply
from alliance.members.models import Member
from tests.conftest import AuthActions

WOO_EMAILS = "E-mails van de wethouder: zelf openbaar maken of wachten op een Woo-verzoek?"


def load(runner, *args: str):
    """Run ``flask demo-data`` with ``args`` and insist that it succeeded."""
    result = runner.invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result


def log_in(app, email_address: str):
    """A fresh client, logged in through the real login form."""
    client = app.test_client()
    response = AuthActions(client).login(email_address, DEMO_PASSWORD)
    assert response.status_code == 303, f"{email_address} could not log in"
    return client


def item_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Item.id).where(Item.title == title))


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.__name__: db.session.scalar(select(func.count()).select_from(table))
            for table in (Item, Reply, ItemMark)
        }


def assert_counters_match_rows(items: list[Item]) -> None:
    """Each item's denormalised counters say what its replies and marks say."""
    for item in items:
        replies = db.session.scalars(select(Reply).where(Reply.item_id == item.id)).all()
        perspectives = sorted({r.perspective for r in replies if r.perspective})
        recognitions = db.session.scalar(
            select(func.count(ItemMark.id)).where(
                ItemMark.item_id == item.id, ItemMark.kind == "recognise"
            )
        )
        assert item.reply_count == len(replies), item.title
        assert item.answered_perspectives == "|" + "".join(f"{p}|" for p in perspectives)
        assert item.recognition_count == recognitions, item.title
        moments = [item.created_at, item.decided_at, item.evaluated_at]
        moments += [r.created_at for r in replies]
        assert item.last_activity_at == max(m for m in moments if m), item.title
        for reply in replies:
            assert reply.created_at >= item.created_at, item.title
            if reply.parent_id:
                parent = db.session.get(Reply, reply.parent_id)
                assert parent.item_id == item.id and parent.parent_id is None
                assert parent.created_at <= reply.created_at


def test_default_run_adds_the_named_knowledge_base(app, runner):
    result = load(runner)

    assert f"{len(NAMED_ITEMS)} items added" in result.output
    with app.app_context():
        items = db.session.scalars(select(Item).order_by(Item.id)).all()[: len(NAMED_ITEMS)]
        # (after them: the working groups' posts and published results, see test_demo.py)
        assert [item.title for item in items] == [demo.title for demo in NAMED_ITEMS]
        named_people = {person.email for person in PEOPLE}
        assert {item.author.email for item in items} <= named_people
        assert_counters_match_rows(items)

        replies = db.session.scalars(select(Reply)).all()
        answered = [item for item in items if item.reply_count >= 3]
        assert len(answered) >= 12
        for item in answered:  # several perspectives on every discussed item
            assert len(item.perspectives) >= 2, item.title
        assert {r.perspective for r in replies} == {
            "beleid",
            "uitvoering",
            "maatschappij",
            "inwoner",
            "onderzoek",
        }
        for reply in replies:  # the replier's own perspective
            assert reply.perspective == reply.author.perspective
        assert sum(1 for r in replies if r.parent_id) >= 8  # answers to replies
        assert 3 <= sum(1 for r in replies if r.helped_author) <= 8
        assert any(item.reply_count == 0 for item in items)  # one still waits for an answer

        statuses = Counter(item.status for item in items if item.kind == "dilemma")
        assert statuses["besloten"] >= 2 and statuses["geevalueerd"] >= 2 and statuses["open"]
        for item in items:
            if item.status == "geevalueerd":
                assert item.decision and item.outcome and item.lesson
                assert item.created_at < item.decided_at < item.evaluated_at
        assert [item.kind for item in items if item.anonymous] == ["dilemma"]
        assert 2 <= sum(1 for item in items if item.visibility == "public") <= 6
        assert sum(1 for item in items if item.recognition_count) >= 10
        assert all(item.themes and item.tags for item in items)


def test_an_evaluated_dilemma_shows_its_decision_and_lesson(app, runner):
    load(runner)
    demo = next(demo for demo in NAMED_ITEMS if demo.title == WOO_EMAILS)
    client = log_in(app, "lid@alliantie.example")

    page = client.get(f"/kennisbank/{item_id(app, WOO_EMAILS)}")

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "De les" in text
    assert demo.lesson.split(". ")[0] in text
    assert demo.outcome.split(". ")[0] in text
    assert "Pieter van der Meer" in text  # a reply, with its author


def test_the_anonymous_dilemma_hides_its_author_from_a_plain_member(app, runner):
    load(runner)
    demo = next(demo for demo in NAMED_ITEMS if demo.anonymous)
    with app.app_context():
        author = db.session.scalar(select(Member).where(Member.email == email(demo.author)))
    path = f"/kennisbank/{item_id(app, demo.title)}"

    member_view = html.unescape(log_in(app, "lid@alliantie.example").get(path).text)
    coordinator_view = html.unescape(log_in(app, "coordinator@alliantie.example").get(path).text)

    assert demo.title in member_view
    assert author.name not in member_view
    assert "een lid (anoniem)" in member_view
    assert author.name in coordinator_view  # coordinators see who asked


def test_running_twice_adds_nothing(app, runner):
    load(runner)
    first = counts(app)

    again = load(runner)

    assert counts(app) == first
    assert f"0 items added, {len(NAMED_ITEMS)} skipped" in again.output


def test_items_option_adds_exactly_that_many_with_consistent_counters(app, runner):
    load(runner)
    before = counts(app)

    result = load(runner, "--members", "60", "--items", "200", "--seed", "2")

    assert counts(app)["Item"] == before["Item"] + 200
    assert "Synthetic items: 200 added" in result.output
    with app.app_context():
        items = db.session.scalars(select(Item).order_by(Item.id).offset(before["Item"])).all()
        assert len(items) == 200
        assert_counters_match_rows(items)
        assert {item.visibility for item in items} == {"public", "members", "group"}
        assert {item.kind for item in items} == {"dilemma", "ervaring"}
        assert {item.status for item in items if item.kind == "dilemma"} == {
            "open",
            "besloten",
            "geevalueerd",
        }
        assert any(item.reply_count == 0 for item in items)
        assert sum(item.reply_count for item in items) > 200
        assert all(1 <= item.group_id <= 20 for item in items if item.visibility == "group")
        assert all(item.themes for item in items)
        authors = {item.author_id for item in items}
        assert len(authors) > 20  # written by many members, not one

        viewer = db.session.scalar(select(Member).where(Member.email == "lid@alliantie.example"))
        groups = db.session.scalars(
            select(Membership.group_id).where(
                Membership.member_id == viewer.id, Membership.state == "member"
            )
        ).all()
        visible = or_(
            Item.visibility.in_(("public", "members")),
            (Item.visibility == "group") & Item.group_id.in_(groups),
        )
        total = db.session.scalar(select(func.count(Item.id)).where(visible))
        newest = db.session.scalars(
            select(Item.title)
            .where(visible)
            .order_by(Item.last_activity_at.desc(), Item.id.desc())
            .limit(app.config["ITEMS_PAGE_SIZE"])
        ).all()

    page = log_in(app, "lid@alliantie.example").get("/kennisbank/")

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"{total} bijdragen" in text
    for title in newest:
        assert title in text


def test_members_post_and_reply_as_usual_after_the_bulk_insert(app, runner):
    # The generator hands out ids itself; the database must hand out the next ones after them.
    load(runner, "--members", "50", "--items", "30")
    client = log_in(app, "lid@alliantie.example")

    posted = client.post(
        "/kennisbank/nieuw?soort=dilemma",
        data={
            "kind": "dilemma",
            "title": "Nieuwe vraag na de demodata",
            "tension": "Openheid tegen privacy.",
            "visibility": "members",
        },
    )
    assert posted.status_code == 303, posted.text
    path = posted.headers["Location"]
    answered = client.post(f"{path}/reacties", data={"body": "Eerste reactie.", "perspective": ""})

    assert answered.status_code == 303
    assert "Eerste reactie." in client.get(path).text


def test_items_option_needs_enough_members(app, runner):
    load(runner)
    before = counts(app)

    result = runner.invoke(args=["demo-data", "--items", "10"])

    assert result.exit_code != 0
    assert "at least 50 members" in result.output
    assert counts(app) == before


def fake_members(count: int) -> list[Author]:
    perspectives = ("beleid", "uitvoering", "uitvoering", "maatschappij", "inwoner", "onderzoek")
    return [
        Author(n, perspectives[n % len(perspectives)], f"Gemeente {n}", "gemeente")
        for n in range(1, count + 1)
    ]


def test_same_seed_gives_the_same_items_and_another_seed_others():
    now = datetime(2026, 1, 1)
    members = fake_members(80)

    first = list(synthetic_items(40, seed=7, members=members, now=now))
    again = list(synthetic_items(40, seed=7, members=members, now=now))
    other = list(synthetic_items(40, seed=8, members=members, now=now))

    assert first == again
    assert [i.row["title"] for i in first] != [i.row["title"] for i in other]


def test_synthetic_items_spread_like_a_real_knowledge_base():
    now = datetime(2026, 1, 1)
    items = list(synthetic_items(3000, seed=1, members=fake_members(500), now=now))

    visibility = Counter(item.row["visibility"] for item in items)
    assert 0.62 < visibility["members"] / 3000 < 0.78
    assert 0.14 < visibility["public"] / 3000 < 0.26
    assert 0.06 < visibility["group"] / 3000 < 0.14
    assert 0.52 < sum(item.row["kind"] == "dilemma" for item in items) / 3000 < 0.68
    replies = Counter(len(item.replies) for item in items)
    assert sum(replies[n] for n in range(7)) / 3000 > 0.85  # most have 0–6 replies
    assert 0.08 < replies[0] / 3000 < 0.3  # some wait for an answer
    ages = sorted((now - item.row["created_at"]).days for item in items)
    assert ages[0] < 30 and ages[-1] > 2 * 365
    titles = Counter(item.row["title"] for item in items).most_common()
    assert len(titles) > 1000  # many different titles
    subjects = Counter(item.row["title"].split(":")[0] for item in items).most_common()
    assert subjects[0][1] > 5 * subjects[-1][1]  # a long tail
    for item in items:
        assert item.row["author_id"] not in {r.author_id for r in item.replies}
        for reply in item.replies:
            assert reply.created_at <= now
