"""The home page as the loop (issue 16): the member's blocks, the visitor's counts, the first
hour (confirm → logged in → welcome), the lessons and their feed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from alliance.extensions import db
from tests.conftest import count_statements, csrf_token_from
from tests.test_notify import choose


@pytest.fixture
def act(app):
    """``act(fn)``: run ``fn()`` inside a request context and commit (a service call)."""

    def run(fn):
        with app.test_request_context(method="POST"):
            result = fn()
            db.session.commit()
            db.session.remove()
            return result

    return run


def _member(member_id):
    from alliance.members.models import Member

    return db.session.get(Member, member_id)


def _item(item_id):
    from alliance.knowledge.models import Item

    return db.session.get(Item, item_id)


def _reply(act, item_id, author, body="Wij deden dit anders.", perspective="uitvoering"):
    from alliance.knowledge.services import add_reply

    return act(lambda: add_reply(_item(item_id), _member(author.id), body, perspective).id)


def _close_loop(act, item_id, author, lesson="Betrek de juristen vanaf het begin.\nEn meer."):
    from alliance.knowledge.services import record_decision, record_evaluation

    def run():
        item = _item(item_id)
        record_decision(item, _member(author.id), "We maken ze openbaar.")
        if lesson:
            record_evaluation(item, _member(author.id), "Het ging goed.", lesson)

    act(run)


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


# --- Jouw beurt ---------------------------------------------------------------------------------


def test_my_dilemma_is_my_turn_once_a_reply_arrives(client, auth, make_member, make_item, act):
    asker, other = make_member(), make_member(perspective="beleid")
    item_id = make_item(author=asker, title="Mogen we de chats van de wethouder delen?")
    auth.login(asker)
    assert "Mogen we de chats" not in _section(client.get("/").text, "jouw-beurt")
    _reply(act, item_id, other)
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "Mogen we de chats van de wethouder delen?" in turn
    assert "Wacht op jouw besluit" in turn and "1 reactie" in turn
    _close_loop(act, item_id, asker, lesson="")
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "Mogen we de chats" in turn and "Schrijf de les op" in turn
    _close_loop(act, item_id, asker)  # evaluated: the loop is closed, nothing waits
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "Wacht op jouw besluit" not in turn and "Schrijf de les op" not in turn
    # Deciding and evaluating are acting on the dilemma: its notifications are read (issue 15,
    # point 7), so the reply no longer waits either.
    assert "nieuwe reactie aan jou" not in turn


def test_unread_replies_to_me_until_read(app, client, auth, make_member, make_item, act):
    from alliance.notify.models import Notification

    asker = make_member()
    item_id = make_item(kind="ervaring", author=asker, title="Onze ervaring met het Woo-register")
    _reply(act, item_id, make_member())
    _reply(act, item_id, make_member())
    auth.login(asker)
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "Onze ervaring met het Woo-register" in turn and "2 nieuwe reacties aan jou" in turn
    with app.app_context():
        ids = db.session.scalars(select(Notification.id)).all()
    for notification_id in ids:
        client.post(f"/meldingen/{notification_id}/gelezen")
    assert "Onze ervaring" not in _section(client.get("/").text, "jouw-beurt")


def _group(act, lead, name="Werkgroep Woo-register", others=()):
    from alliance.core.timeutil import utcnow
    from alliance.groups import services
    from alliance.groups.models import WorkingGroup

    def run():
        group = services.start_group(
            _member(lead.id),
            services.GroupChange(
                name=name,
                opgave="Een gedeeld register",
                deliverable="Een datamodel",
                ends_on=utcnow().date() + timedelta(days=90),
                join_policy="open",
            ),
        )
        for other in others:
            services.join(group, _member(other.id), "")
        return group.id

    group_id = act(run)
    return group_id, lambda: db.session.get(WorkingGroup, group_id)


def test_my_tasks_due_and_my_groups(client, auth, make_member, act):
    from alliance.core.timeutil import utcnow
    from alliance.groups import space

    lead, member = make_member(), make_member()
    group_id, group = _group(act, lead, others=[member])
    act(
        lambda: space.add_task(
            group(), _member(lead.id), "Velden afstemmen", member.id, utcnow().date()
        )
    )
    auth.login(member)
    page = client.get("/").text
    turn = _section(page, "jouw-beurt")
    assert "Velden afstemmen" in turn and "Werkgroep Woo-register" in turn
    groups = _section(page, "werkgroepen")
    assert "Werkgroep Woo-register" in groups and "Volgende actiepunt: Velden afstemmen" in groups


def test_my_groups_count_new_messages_of_others(client, auth, make_member, act):
    from alliance.groups import stream

    lead, member = make_member(), make_member()
    group_id, group = _group(act, lead, others=[member])
    auth.login(member)
    client.get(f"/werkgroepen/{group_id}")  # a visit: what comes after it is new
    act(lambda: stream.post_message(group(), _member(lead.id), "Wie leest het concept?"))
    act(lambda: stream.post_message(group(), _member(member.id), "Mijn eigen bericht"))
    assert "1 nieuw bericht" in _section(client.get("/").text, "werkgroepen")


def test_an_open_proposal_is_my_turn_until_i_respond(client, auth, make_member, act):
    from alliance.core.timeutil import utcnow
    from alliance.groups import proposals

    lead, member = make_member(), make_member()
    group_id, group = _group(act, lead, others=[member])
    proposal_id = act(
        lambda: (
            proposals.propose(
                group(),
                _member(lead.id),
                "We kiezen het datamodel van Utrecht",
                "",
                utcnow().date() + timedelta(days=3),
            ).id
        )
    )
    auth.login(member)
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "We kiezen het datamodel van Utrecht" in turn
    assert f"/werkgroepen/{group_id}#voorstel-{proposal_id}" in turn
    auth.login(lead)  # the proposer is not asked to respond to their own proposal
    assert "We kiezen het datamodel" not in client.get("/").text

    def respond():
        from alliance.extensions import db
        from alliance.groups.workmodels import Proposal

        proposals.respond(
            group(), db.session.get(Proposal, proposal_id), _member(member.id), "agree", ""
        )

    act(respond)
    auth.login(member)
    assert "We kiezen het datamodel" not in client.get("/").text


def test_knowledge_asked_where_my_perspective_is_missing(client, auth, make_member, make_item):
    me = make_member(perspective="onderzoek", themes=["open-informatie"])
    make_item(title="Woo-verzoek in mijn thema", themes=["open-informatie"])
    make_item(title="Iets in een ander thema", themes=["open-technologie"])
    auth.login(me)
    asked = _section(client.get("/").text, "gevraagd")
    assert "Woo-verzoek in mijn thema" in asked and "onderzoek" in asked
    assert "Iets in een ander thema" not in asked


# --- closed loops and the visitor ------------------------------------------------------------


def test_visitor_sees_public_lessons_and_the_member_only_count(
    client, auth, make_member, make_item, act
):
    from alliance.pages.home import forget_visitor_counts

    author = make_member()
    public = make_item(author=author, visibility="public", title="Openbare les over de Woo")
    members = make_item(author=author, visibility="members", title="Les alleen voor leden")
    make_item(author=author, visibility="members", title="Nog een ledenpost")
    _close_loop(act, public, author)
    _close_loop(act, members, author)
    forget_visitor_counts()
    page = client.get("/").text
    closed = _section(page, "besloten")
    assert "Openbare les over de Woo" in closed and "Betrek de juristen vanaf het begin." in closed
    assert "En meer" not in closed  # the first line only
    assert "Les alleen voor leden" not in page
    assert "en 2 meer alleen voor leden" in _section(page, "voor-leden")
    auth.login(make_member())
    assert "Les alleen voor leden" in _section(client.get("/").text, "besloten")


def test_group_lessons_stay_in_the_group(client, auth, make_member, make_item, act):
    lead, outsider = make_member(), make_member()
    group_id, _group_of = _group(act, lead)
    item_id = make_item(author=lead, visibility="group", group_id=group_id, title="Groepsles")
    _close_loop(act, item_id, lead)
    auth.login(outsider)
    assert "Groepsles" not in client.get("/").text
    assert "Groepsles" not in client.get("/lessen").text
    auth.logout()
    auth.login(lead)
    assert "Groepsles" in _section(client.get("/").text, "besloten")
    assert "Groepsles" in client.get("/lessen").text


def test_member_home_is_bounded(app, client, auth, make_member, make_item, act):
    """Five rows a block, and the same statements for a member with little and with a lot."""
    me = make_member(perspective="beleid", themes=["open-informatie"], offers=["woo"])
    auth.login(me)
    few = count_statements(app, client, "/")
    other = make_member(perspective="uitvoering")
    for number in range(8):
        mine = make_item(author=me, title=f"Mijn dilemma {number}", themes=["open-informatie"])
        _reply(act, mine, other)
        theirs = make_item(author=other, title=f"Hun dilemma {number}", themes=["open-informatie"])
        _close_loop(act, theirs, other)
        make_item(author=other, title=f"Open vraag {number}", themes=["open-informatie"])
    page = client.get("/").text
    assert _section(page, "jouw-beurt").count('class="home-row ') == 5
    assert _section(page, "gevraagd").count('class="home-row ') == 5
    assert _section(page, "besloten").count('class="home-row ') == 5
    many = count_statements(app, client, "/")
    assert many <= 15 and many <= few + 2, (few, many)


# --- the first hour ---------------------------------------------------------------------------


def _register_and_confirm(client, mailbox, csrf=None):
    client.get("/registreren")
    response = client.post(
        "/registreren",
        data={
            "name": "Nieuw Lid",
            "email": "nieuw@example.org",
            "password": "een lang genoeg wachtwoord",
            "password_again": "een lang genoeg wachtwoord",
            "accept": "y",
        },
    )
    assert response.status_code == 303, response.text
    link = mailbox.link("nieuw@example.org", "/registreren/bevestigen/")
    path = "/" + link.split("/", 3)[3]
    assert "Nieuw Lid" not in client.get("/").text  # opening the link changes nothing
    return path


def test_confirming_logs_in_once_and_leads_to_the_welcome(app, client, mailbox):
    path = _register_and_confirm(client, mailbox)
    confirmed = client.post(path)
    assert confirmed.status_code == 303 and confirmed.location.endswith("/welkom")
    welcome = client.get("/welkom").text
    assert "Je e-mailadres is bevestigd. Welkom!" in welcome
    assert "Welkom bij de alliantie, Nieuw Lid" in welcome and "0 van 3 stappen gedaan" in welcome
    client.post("/uitloggen")
    again = client.post(path)  # the link is no login link for later
    assert again.status_code == 303 and again.location.endswith("/inloggen")
    assert "Uitloggen" not in client.get("/").text


def test_first_login_leads_to_the_welcome_once(client, auth, make_member):
    member = make_member(welcomed=False)
    assert auth.login(member).location.endswith("/welkom")
    auth.logout()
    assert auth.login(member).location.endswith("/profiel")


def test_three_steps_and_their_state(app, client, auth, make_member, make_item):
    from alliance.themes.models import Theme

    member = make_member()
    auth.login(member)
    page = client.get("/welkom").text
    assert "0 van 3 stappen gedaan" in page
    make_item(title="Een open vraag voor jou")
    assert "Een open vraag voor jou" in client.get("/welkom").text  # picked for them
    assert "Je eerste stappen" in client.get("/").text
    client.post(
        "/profiel/bewerken",
        data={
            "name": member.name,
            "organisation": "Gemeente Utrecht",
            "perspective": "uitvoering",
            "offers": "Woo-verzoeken",
            "volgende": "/welkom",
        },
    )
    assert "1 van 3 stappen gedaan" in client.get("/welkom").text
    with app.app_context():
        theme_id = db.session.scalar(select(Theme.id).where(Theme.slug == "open-informatie"))
    followed = client.post("/welkom/themas", data={"themes": [str(theme_id)]})
    assert followed.status_code == 303
    assert "2 van 3 stappen gedaan" in client.get("/welkom").text
    make_item(author=member, title="Mijn eerste dilemma")
    assert "3 van 3 stappen gedaan" in client.get("/welkom").text
    assert "Je eerste stappen" not in client.get("/").text


def test_the_steps_can_be_put_away_and_back(client, auth, make_member):
    member = make_member()
    auth.login(member)
    assert "Je eerste stappen" in client.get("/").text
    client.post("/welkom/verbergen")
    assert "Je eerste stappen" not in client.get("/").text
    assert "0 van 3 stappen gedaan" in client.get("/welkom").text  # progress kept
    client.post("/welkom/tonen")
    assert "Je eerste stappen" in client.get("/").text


def test_welcome_forms_need_csrf(app, client, auth, make_member):
    member = make_member()
    auth.login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    client.post("/welkom/verbergen")
    assert "Je eerste stappen" in client.get("/").text
    token = csrf_token_from(client.get("/").text)
    client.post("/welkom/verbergen", data={"csrf_token": token})
    assert "Je eerste stappen" not in client.get("/").text


# --- /lessen ----------------------------------------------------------------------------------


def test_lessons_filter_and_feed(client, auth, make_member, make_item, act):
    author = make_member()
    woo = make_item(author=author, visibility="public", title="Les Woo", themes=["open-informatie"])
    tech = make_item(
        author=author, visibility="public", title="Les open source", themes=["open-technologie"]
    )
    members = make_item(author=author, title="Les voor leden", themes=["open-informatie"])
    _reply(act, woo, make_member(), perspective="onderzoek")
    for item_id in (woo, tech, members):
        _close_loop(act, item_id, author)
    make_item(author=author, visibility="public", title="Nog open")
    page = client.get("/lessen").text
    assert "Les Woo" in page and "Les open source" in page
    assert "Les voor leden" not in page and "Nog open" not in page
    themed = client.get("/lessen?thema=open-informatie").text
    assert "Les Woo" in themed and "Les open source" not in themed
    heard = client.get("/lessen?perspectief=onderzoek").text
    assert "Les Woo" in heard and "Les open source" not in heard
    feed = client.get("/lessen/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    assert "Les Woo" in feed.text and "Betrek de juristen" in feed.text
    auth.login(make_member())
    assert "Les voor leden" in client.get("/lessen").text
    assert "Les voor leden" not in client.get("/lessen/feed.atom").text


# --- the weekly digest: "Afgerond deze week" ------------------------------------------------


def test_weekly_digest_says_which_loops_closed(
    app, client, auth, runner, make_member, make_item, act, mailbox
):
    from alliance.notify.models import Notification

    follower = make_member()
    auth.login(follower)
    choose(client, followed_reply="weekly")
    asker = make_member()
    followed = make_item(author=asker, title="Een dilemma dat ik volg")
    client.post(f"/kennisbank/{followed}/volg", data={"aan": "1"})
    _reply(act, followed, make_member())
    closed = make_item(author=asker, title="Deze week afgerond")
    _close_loop(act, closed, asker, lesson="Leg het besluit uit in gewone taal.\nDetails.")
    lead = make_member()
    group_id, _unused = _group(act, lead)
    hidden = make_item(author=lead, visibility="group", group_id=group_id, title="Groepsgeheim")
    _close_loop(act, hidden, lead)
    with app.app_context():
        assert (
            db.session.scalar(
                select(Notification.delivery).where(Notification.recipient_id == follower.id)
            )
            == "weekly"
        )
    result = runner.invoke(args=["notify", "digest", "--frequency", "weekly"])
    assert "1 weekly" in result.output, result.output
    [digest] = mailbox.to(follower.email)
    text = mailbox.text(digest)
    assert "Afgerond deze week" in text and "Deze week afgerond" in text
    assert "Leg het besluit uit in gewone taal." in text and "Details." not in text
    assert "Groepsgeheim" not in text


def test_the_theme_page_shows_its_lessons_first(client, make_member, make_item, act):
    author = make_member()
    lesson = make_item(
        author=author, visibility="public", title="Geleerd over Woo", themes=["open-informatie"]
    )
    _close_loop(act, lesson, author, lesson="Maak één persoon eigenaar.")
    make_item(author=author, visibility="public", title="Nog open", themes=["open-informatie"])
    page = client.get("/themas/open-informatie").text
    assert "Wat we leerden" in page and "Maak één persoon eigenaar." in page
    assert page.index("Wat we leerden") < page.index("Dilemma's en ervaringen")


# --- roles and marks --------------------------------------------------------------------------


def test_coordinators_see_what_waits_and_members_do_not(app, client, auth, make_member):
    from alliance.moderation.models import Report

    member = make_member()
    with app.app_context():
        db.session.add(Report(kind="item", ref_id=1, reporter_id=member.id, reason="Spam"))
        db.session.commit()
    auth.login(member)
    page = client.get("/").text
    assert "Coördinatie" not in page and client.get("/coordinatie").status_code == 403
    auth.logout()
    auth.login(make_member(role="coordinator"))
    page = client.get("/kennisbank/").text
    assert 'href="/coordinatie"' in page and "Coördinatie" in page
    assert re.search(r"Te doen <span class=\"bell__count\">1</span>", page)
    coordination = client.get("/coordinatie").text
    assert "1 melding wacht" in coordination


def test_a_lead_sees_join_requests_under_your_turn(client, auth, make_member, act):
    from alliance.groups import services

    lead, asker = make_member(), make_member()
    group_id, group = _group(act, lead)

    def request_to_join():
        found = group()
        found.join_policy = "request"
        services.join(found, _member(asker.id), "Ik breng ervaring mee.")

    act(request_to_join)
    auth.login(lead)
    turn = _section(client.get("/").text, "jouw-beurt")
    assert "Werkgroep Woo-register" in turn and "1 lid vraagt om mee te doen" in turn


def test_the_marks_are_explained_where_they_are_offered(client, auth, make_member, make_item, act):
    asker, replier = make_member(), make_member()
    item_id = make_item(author=asker)
    _reply(act, item_id, replier)
    auth.login(replier)
    page = client.get(f"/kennisbank/{item_id}").text
    assert "“Ik herken dit”:" in page and "“Nuttig”:" in page
    assert "“Dit hielp mij”:" not in page  # only for the asker
    assert 'aria-describedby="mark-useful"' in page
    auth.logout()
    auth.login(asker)
    page = client.get(f"/kennisbank/{item_id}").text
    assert "“Dit hielp mij”: alleen jij, de vrager" in page
    assert 'aria-describedby="mark-helped"' in page


def test_a_visitor_is_told_why_a_page_is_for_members(client):
    from_groups = client.get("/werkgroepen/", follow_redirects=True).text
    assert "Werkgroepen zijn voor leden." in from_groups and "Zo word je lid" in from_groups
    from_directory = client.get("/leden", follow_redirects=True).text
    assert "Het ledenoverzicht is voor leden." in from_directory
    assert "voor leden" not in client.get("/inloggen").text.split("<main")[1].split("</main>")[0]


def test_only_the_page_itself_is_current_in_the_menu(client):
    def current(path):
        return re.findall(r'href="([^"]+)" aria-current="page"', client.get(path).text)

    assert current("/") == ["/"]  # not "Thema's" as well (same blueprint)
    assert current("/themas/open-informatie") == ["/themas/"]
    assert current("/lessen") == []
    assert current("/kennisbank/") == ["/kennisbank/"]


def test_the_theme_page_stays_within_the_statements(app, client, auth, make_member, make_item, act):
    author = make_member()
    for number in range(6):
        lesson = make_item(author=author, title=f"Les {number}", themes=["open-informatie"])
        _close_loop(act, lesson, author)
    auth.login(make_member())
    assert count_statements(app, client, "/themas/open-informatie") <= 13


def test_the_header_leaves_the_pages_own_variables_alone(app, make_member):
    """The header's counts once shadowed a page's own ``waiting`` (the agenda's waiting list)."""
    from flask import render_template_string

    with app.test_request_context("/"):
        html = render_template_string(
            '{% extends "base.html" %}{% block content %}'
            "{% for name in waiting %}<i>{{ name }}</i>{% endfor %}{% endblock %}",
            waiting=["Bram", "Carla"],
        )
    assert "<i>Bram</i><i>Carla</i>" in html


def test_two_presses_of_the_confirmation_button_at_once_log_in_once(app, make_member):
    """The button confirms with a conditional update: of two presses at the same moment (two
    browsers, one link), one logs in and the other is sent to the login form."""
    import threading

    from alliance.core import tokens
    from alliance.extensions import limiter
    from alliance.members.models import Member

    member = make_member(confirmed=False, welcomed=False)
    with app.app_context():
        found = db.session.get(Member, member.id)
        token = tokens.make_token(
            "confirm", {"id": found.id, "fp": tokens.fingerprint(found.password_hash)}
        )
        db.session.remove()
    clients = [app.test_client() for _ in range(2)]
    barrier, lock, locations = threading.Barrier(2), threading.Lock(), []

    def press(client):
        barrier.wait()
        response = client.post(f"/registreren/bevestigen/{token}")
        with lock:
            locations.append(response.location)

    limiter.enabled = False
    try:
        threads = [threading.Thread(target=press, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        limiter.enabled = True
    assert sorted(location.rsplit("/", 1)[-1] for location in locations) == ["inloggen", "welkom"]
