"""What a member did, on their profile (issue 17): their posts, replies that helped, lessons of
dilemmas they helped close and their working groups; only what the viewer may see; paged;
the SQL statements do not grow with the lists."""

from datetime import timedelta

import pytest

from alliance.extensions import db
from tests.conftest import count_statements


def activity(app, make_member, make_item):
    """An expert with something in every list, and something the others may not see."""
    from alliance.core.timeutil import utcnow
    from alliance.groups.services import GroupChange, start_group
    from alliance.knowledge import services
    from alliance.knowledge.models import Item, Reply
    from alliance.members.models import Member

    expert = make_member(name="Eva Expert", offers=["Woo"], public_fields=["offers"])
    asker = make_member(name="Ad Vrager")
    public = make_item(title="Openbaar dilemma van Eva", visibility="public", author=expert)
    make_item(kind="ervaring", title="Ervaring voor leden", author=expert)
    make_item(title="Anoniem dilemma van Eva", author=expert, anonymous=True)
    hidden = make_item(title="Verborgen dilemma van Eva", author=expert)
    theirs = make_item(title="Dilemma van Ad", author=asker)
    with app.test_request_context(method="POST"):
        eva, ad = db.session.get(Member, expert.id), db.session.get(Member, asker.id)
        group = start_group(
            eva,
            GroupChange(
                name="Werkgroep Woo-archief",
                opgave="Een archief.",
                deliverable="Een handreiking",
                ends_on=utcnow().date() + timedelta(days=30),
            ),
        )
        db.session.flush()
        group_id = group.id
        db.session.commit()
    group_item = make_item(
        title="Groepsdilemma van Eva", author=expert, visibility="group", group_id=group_id
    )
    with app.test_request_context(method="POST"):
        eva, ad = db.session.get(Member, expert.id), db.session.get(Member, asker.id)
        reply = services.add_reply(db.session.get(Item, theirs), eva, "Doe het zo.", "uitvoering")
        services.set_helped(reply, True)
        item = db.session.get(Item, theirs)
        services.record_decision(item, ad, "We doen het.")
        services.record_evaluation(item, ad, "Ging goed.", "Vraag eerst de archivaris.")
        services.add_reply(db.session.get(Item, group_item), eva, "Alleen voor de groep.", None)
        db.session.get(Item, hidden).hidden_at = utcnow()
        db.session.commit()
        assert db.session.get(Reply, reply.id).helped_author
        db.session.remove()
    return expert, asker, public, group_id


def test_a_member_sees_what_the_expert_did(app, client, auth, make_member, make_item):
    expert, asker, public, _group = activity(app, make_member, make_item)
    auth.login(make_member())
    page = client.get(f"/leden/{expert.id}").text
    assert "Wat Eva Expert deed" in page
    for text in (
        "Openbaar dilemma van Eva",
        "Ervaring voor leden",
        "Reacties die hielpen",
        "Doe het zo.",
        "Lessen van dilemma's waaraan dit lid meedacht",
        "Vraag eerst de archivaris.",
        "Werkgroep Woo-archief",
        "trekker",
    ):
        assert text in page, text
    for text in ("Anoniem dilemma van Eva", "Verborgen dilemma van Eva", "Groepsdilemma van Eva"):
        assert text not in page, text


def test_a_visitor_sees_only_public_posts_and_no_groups(app, client, make_member, make_item):
    expert, *_ = activity(app, make_member, make_item)
    page = client.get(f"/leden/{expert.id}").text
    assert "Openbaar dilemma van Eva" in page
    for text in ("Ervaring voor leden", "Anoniem dilemma", "Werkgroep Woo-archief", "Doe het zo."):
        assert text not in page, text


def test_the_expert_sees_their_own_anonymous_and_hidden_posts(
    app, client, auth, make_member, make_item
):
    expert, *_ = activity(app, make_member, make_item)
    auth.login(expert)
    page = client.get(f"/leden/{expert.id}").text
    for text in ("Anoniem dilemma van Eva", "Verborgen dilemma van Eva", "Groepsdilemma van Eva"):
        assert text in page, text


def test_the_whole_list_is_paged(app, client, auth, make_member, make_item):
    expert = make_member(name="Veel Schrijver")
    for number in range(23):
        make_item(title=f"Dilemma nummer {number:02d}", author=expert)
    auth.login(make_member())
    profile = client.get(f"/leden/{expert.id}").text
    assert profile.count("Dilemma nummer") == 5
    assert f"/leden/{expert.id}/bijdragen" in profile
    first = client.get(f"/leden/{expert.id}/bijdragen").text
    assert first.count("Dilemma nummer") == 20 and "Dilemma nummer 22" in first
    second = client.get(f"/leden/{expert.id}/bijdragen?pagina=2")
    assert second.text.count("Dilemma nummer") == 3 and "Dilemma nummer 00" in second.text
    fragment = client.get(f"/leden/{expert.id}/bijdragen?pagina=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Dilemma nummer 00" in fragment.text
    assert client.get(f"/leden/{expert.id}/bijdragen?pagina=9").status_code == 404
    assert client.get(f"/leden/{expert.id}/anders").status_code == 404


@pytest.mark.parametrize("kind", ["bijdragen", "hielp", "lessen"])
def test_the_whole_lists_hold_only_what_the_viewer_may_see(
    app, client, auth, make_member, make_item, kind
):
    expert, *_ = activity(app, make_member, make_item)
    page = client.get(f"/leden/{expert.id}/{kind}").text
    assert "Ervaring voor leden" not in page and "Doe het zo." not in page
    assert "Vraag eerst de archivaris." not in page
    auth.login(make_member())
    page = client.get(f"/leden/{expert.id}/{kind}").text
    assert "Groepsdilemma" not in page and "Alleen voor de groep." not in page
    assert "Anoniem dilemma" not in page


def test_statements_do_not_grow_with_what_they_did(app, client, auth, make_member, make_item):
    from alliance.knowledge import services
    from alliance.knowledge.models import Item
    from alliance.members.models import Member

    expert, asker, *_ = activity(app, make_member, make_item)
    viewer = make_member()
    auth.login(viewer)
    url = f"/leden/{expert.id}"
    few = count_statements(app, client, url)
    for number in range(30):
        item_id = make_item(title=f"Extra {number}", author=expert)
        other = make_item(title=f"Vraag {number}", author=asker)
        with app.test_request_context(method="POST"):
            eva = db.session.get(Member, expert.id)
            reply = services.add_reply(db.session.get(Item, other), eva, "Zo.", None)
            services.set_helped(reply, True)
            db.session.commit()
            db.session.remove()
        assert item_id
    many = count_statements(app, client, url)
    assert many == few, (few, many)
    assert many <= 15, many
