"""``flask demo-data``: the named demo network and the synthetic members for benchmarks."""

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from alliance.demo.generate import synthetic_people
from alliance.demo.network import DEMO_PASSWORD, FIXED_ACCOUNTS
from alliance.extensions import db
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES, Member, MemberTag
from alliance.members.services import member_search_key
from tests.conftest import AuthActions

SYNTHETIC = "%@demo.alliantie.example"


def load(runner, *args: str):
    """Run ``flask demo-data`` with ``args`` and insist that it succeeded."""
    result = runner.invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result


def member_count(app, email_like: str = "%") -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Member.id)).where(Member.email.like(email_like)))


def log_in(app, email: str, password: str = DEMO_PASSWORD):
    """A fresh client, logged in through the real login form."""
    client = app.test_client()
    response = AuthActions(client).login(email, password)
    assert response.status_code == 303, f"{email} could not log in"
    return client


def test_default_run_creates_the_fixed_accounts_that_can_log_in(app, runner):
    result = load(runner)

    assert DEMO_PASSWORD in result.output
    assert list(FIXED_ACCOUNTS) == [
        "beheerder@alliantie.example",
        "coordinator@alliantie.example",
        "lid@alliantie.example",
    ]
    with app.app_context():
        roles = dict(
            db.session.execute(
                select(Member.email, Member.role).where(Member.email.in_(FIXED_ACCOUNTS))
            ).all()
        )
    assert roles == {
        "beheerder@alliantie.example": "admin",
        "coordinator@alliantie.example": "coordinator",
        "lid@alliantie.example": "member",
    }
    for email in FIXED_ACCOUNTS:
        log_in(app, email)


def test_the_member_account_is_a_woo_specialist_at_a_gemeente(app, runner):
    load(runner)

    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.email == "lid@alliantie.example"))
        assert member.organisation_type == "gemeente"
        assert any("woo" in tag.lower() for tag in member.offers)


def test_default_run_covers_every_organisation_type_and_perspective(app, runner):
    load(runner)

    with app.app_context():
        types = set(db.session.scalars(select(Member.organisation_type)))
        perspectives = set(db.session.scalars(select(Member.perspective)))
        members = db.session.scalars(select(Member)).all()
        assert 35 <= len(members) <= 50
        for member in members:
            assert member.email_confirmed_at is not None
            assert 1 <= len(member.themes) <= 3, member.email
            assert 2 <= len(member.offers) <= 5, member.email
            assert 2 <= len(member.seeks) <= 5, member.email
            assert member.bio
            assert member.search_key == member_search_key(member)
    assert types == set(ORGANISATION_TYPES)
    assert perspectives == set(PERSPECTIVES)


def test_running_twice_does_not_duplicate(app, runner):
    load(runner)
    first = member_count(app)
    with app.app_context():
        tags = db.session.scalar(select(func.count(MemberTag.id)))

    again = load(runner)

    assert member_count(app) == first
    with app.app_context():
        assert db.session.scalar(select(func.count(MemberTag.id))) == tags
    assert "0 members added" in again.output


def test_members_option_adds_exactly_that_many_confirmed_members_with_offers(app, runner):
    load(runner)
    before = member_count(app)

    load(runner, "--members", "50", "--seed", "3")

    assert member_count(app) == before + 50
    with app.app_context():
        synthetic = db.session.scalars(
            select(Member).where(Member.email.like("lid-%" + SYNTHETIC))
        ).all()
        assert len(synthetic) == 50
        for member in synthetic:
            assert member.email_confirmed_at is not None
            assert len(member.offers) >= 2, member.email
            assert member.themes, member.email
            assert member.search_key == member_search_key(member)
            assert member.organisation_type in ORGANISATION_TYPES
            assert member.perspective in PERSPECTIVES
    # They share the demo password, like every demo account.
    log_in(app, synthetic[0].email)


def test_members_option_run_again_adds_more_instead_of_failing(app, runner):
    load(runner, "--members", "5")
    second = load(runner, "--members", "5")

    assert member_count(app, "lid-%" + SYNTHETIC) == 10
    assert "numbers 6 to 10" in second.output


def test_directory_finds_demo_members_who_offer_woo_work(app, runner):
    load(runner)
    client = log_in(app, "lid@alliantie.example")

    page = client.get("/leden?q=woo")

    assert page.status_code == 200
    assert "Sanne de Vries" in page.text  # offers "Woo-verzoeken afhandelen"
    assert "Noor Haddou" in page.text  # DUO, Woo-contactpersoon
    assert "Rachid Bouzid" not in page.text  # algoritmeregister, nothing about the Woo


def test_same_seed_gives_the_same_people_and_another_seed_others():
    now = datetime(2026, 1, 1)

    first = list(synthetic_people(30, seed=7, now=now))
    again = list(synthetic_people(30, seed=7, now=now))
    other = list(synthetic_people(30, seed=8, now=now))

    assert first == again
    assert [p.name for p in first] != [p.name for p in other]
    assert len({p.email for p in first}) == 30


def test_synthetic_tags_and_organisations_have_a_long_tail():
    people = list(synthetic_people(3000, seed=1, now=datetime(2026, 1, 1)))

    offers = Counter(tag for person in people for tag in person.offers).most_common()
    organisations = Counter(person.organisation for person in people).most_common()

    # A few tags are very common, many are rare.
    assert offers[0][1] > 5 * offers[30][1]
    assert offers[0][1] > 20 * offers[-1][1]
    assert len(offers) > 60
    assert organisations[0][1] > 10 * organisations[-1][1]
    for person in people:
        assert 1 <= len(person.themes) <= 3
        assert 2 <= len(person.offers) <= 5 and 2 <= len(person.seeks) <= 5
        assert not set(person.offers) & set(person.seeks)


def test_demo_data_refuses_a_database_with_real_members(runner, make_member):
    make_member(email="echt@gemeente.example.nl")
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0 and "real members" in result.output
    assert runner.invoke(args=["demo-data", "--force"]).exit_code == 0


def test_demo_working_groups_in_every_state_with_private_spaces(app, runner):
    from alliance.groups.models import Task, WorkingGroup

    load(runner)
    result = load(runner)  # a second run adds no groups twice
    assert "Working groups: 0 added." in result.output
    with app.app_context():
        groups = {g.name: g for g in db.session.scalars(select(WorkingGroup))}
        assert {g.state for g in groups.values()} == {"active", "wrapping_up", "archived"}
        assert any(g.is_overdue for g in groups.values())
        assert any(g.is_full for g in groups.values())
        assert db.session.scalar(select(func.count(Task.id))) >= 5
        woo = groups["Woo-verzoeken sneller afhandelen"]
        archived = next(g for g in groups.values() if g.state == "archived")
        assert archived.result_item_id is not None
    member = log_in(app, "lid@alliantie.example")  # a member of the Woo group
    space = member.get(f"/werkgroepen/{woo.id}").text
    assert "Vijf gemeenten interviewen" in space and "Welke termijn halen jullie" in space
    outsider = log_in(app, "coordinator@alliantie.example")
    page = outsider.get(f"/werkgroepen/{woo.id}").text
    assert "Woo-verzoeken sneller afhandelen" in page
    assert "Vijf gemeenten interviewen" not in page and "Welke termijn" not in page
    overview = outsider.get("/werkgroepen/").text
    assert "4 van 8" in overview and "3 van 3" in overview


def test_only_into_demo_leaves_a_database_with_real_members_alone(app, runner, make_member):
    make_member(email="echt@gemeente.example.nl")
    result = runner.invoke(args=["demo-data", "--only-into-demo", "--no-search-index"])
    assert result.exit_code == 0, result.output
    assert "real members" in result.output
    assert member_count(app) == 1


def test_only_into_demo_loads_into_a_database_with_demo_data_only(app, runner):
    load(runner, "--only-into-demo", "--no-search-index")
    first = member_count(app)
    assert first > 3
    load(runner, "--only-into-demo", "--no-search-index")
    assert member_count(app) == first


def test_demo_events_fall_on_working_days_and_notifications_when_their_reply_was_made(app, runner):
    from datetime import date

    from alliance.agenda.models import Event
    from alliance.agenda.services import utc_to_local
    from alliance.core.timeutil import utcnow
    from alliance.demo.agenda import dutch_holidays, working_day
    from alliance.knowledge.models import Reply
    from alliance.notify.models import Notification

    assert working_day(date(2026, 12, 26)) == date(2027, 1, 4)  # a Saturday in the break
    assert working_day(date(2027, 5, 5)) == date(2027, 5, 7)  # Liberation Day, Ascension
    before = utcnow()
    load(runner, "--no-search-index")
    with app.app_context():
        days = [utc_to_local(e.starts_at).date() for e in db.session.scalars(select(Event))]
        assert days
        for day in days:
            assert day.weekday() < 5 and day not in dutch_holidays(day.year), day
        rows = db.session.execute(
            select(Notification.kind, Notification.created_at, Reply.created_at).join(
                Reply, Reply.id == Notification.reply_id
            )
        ).all()
        assert rows
        for kind, told_at, replied_at in rows:
            if kind != "helped":
                assert told_at == replied_at, (kind, told_at, replied_at)
            assert told_at >= replied_at
        late = [(k, t, r) for k, t, r in rows if t >= before]
        assert not late, late
