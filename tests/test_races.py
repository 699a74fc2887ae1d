"""Check-then-act under real concurrency: threads, each with its own client (and so its own
database connection), released at the same moment. On PostgreSQL two requests really run at
once; on SQLite writers take turns, and the same tests must hold there too."""

import threading

import pytest
from sqlalchemy import func, select

from alliance.extensions import db, limiter
from alliance.knowledge.models import Item, ItemMark, Reply, ReplyMark
from alliance.members.models import PERSPECTIVES
from tests.conftest import AuthActions
from tests.test_access import make_working_group


def _clients(app, members) -> list:
    clients = []
    for member in members:
        client = app.test_client()
        AuthActions(client).login(member)
        clients.append(client)
    return clients


def _all_at_once(clients, request) -> list[int]:
    """Fire ``request(client, number)`` from every client at the same moment; the statuses."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(client, number):
        barrier.wait()
        status = request(client, number).status_code
        with lock:
            statuses.append(status)

    threads = [
        threading.Thread(target=run, args=(client, number)) for number, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


@pytest.fixture
def no_rate_limits():
    limiter.enabled = False
    yield
    limiter.enabled = True


def test_thirty_replies_at_once_are_all_counted(app, make_member, make_item, no_rate_limits):
    """30 simultaneous replies left reply_count at 8 on PostgreSQL when it was counted in
    Python; now the item is locked and the counts come from the rows."""
    perspectives = list(PERSPECTIVES)
    item_id = make_item()
    repliers = [make_member() for _ in range(30)]
    clients = _clients(app, repliers)
    statuses = _all_at_once(
        clients,
        lambda client, n: client.post(
            f"/kennisbank/{item_id}/reacties",
            data={"body": f"Reactie {n}", "perspective": perspectives[n % len(perspectives)]},
        ),
    )
    assert statuses == [303] * 30
    with app.app_context():
        item = db.session.get(Item, item_id)
        rows = db.session.scalar(select(func.count(Reply.id)).where(Reply.item_id == item_id))
        assert rows == 30
        assert item.reply_count == 30
        assert item.perspectives == set(perspectives)
        followers = db.session.scalar(
            select(func.count(ItemMark.id)).where(
                ItemMark.item_id == item_id, ItemMark.kind == "follow"
            )
        )
        assert followers == 31  # the author and every replier, once each


def test_marks_at_once_are_all_counted_and_a_double_click_counts_once(
    app, make_member, make_item, no_rate_limits
):
    item_id = make_item()
    markers = [make_member() for _ in range(10)]
    clients = _clients(app, markers)
    statuses = _all_at_once(
        clients, lambda client, n: client.post(f"/kennisbank/{item_id}/herken", data={"aan": "1"})
    )
    assert statuses == [303] * 10
    # One member clicking twice at the same moment (two tabs): one mark, no error.
    twice = _clients(app, [markers[0]]) * 2
    assert _all_at_once(
        twice, lambda client, n: client.post(f"/kennisbank/{item_id}/herken", data={"aan": "1"})
    ) == [303, 303]
    with app.app_context():
        assert db.session.get(Item, item_id).recognition_count == 10
    # "Nuttig" on a reply.
    author = make_member()
    reply_client = _clients(app, [author])[0]
    reply_client.post(f"/kennisbank/{item_id}/reacties", data={"body": "Zo doen wij het."})
    with app.app_context():
        reply_id = db.session.scalar(select(Reply.id).where(Reply.item_id == item_id))
    statuses = _all_at_once(
        clients,
        lambda client, n: client.post(f"/kennisbank/reacties/{reply_id}/nuttig", data={"aan": "1"}),
    )
    assert statuses == [303] * 10
    with app.app_context():
        marks = db.session.scalar(
            select(func.count(ReplyMark.id)).where(ReplyMark.reply_id == reply_id)
        )
        assert marks == 10
        assert db.session.get(Reply, reply_id).useful_count == 10


def _members_of(app, group_id: int) -> dict[str, int]:
    from alliance.groups.models import Membership, WorkingGroup

    with app.app_context():
        rows = db.session.execute(
            select(Membership.state, func.count())
            .where(Membership.group_id == group_id)
            .group_by(Membership.state)
        ).all()
        counts = dict(rows)
        counts["member_count"] = db.session.get(WorkingGroup, group_id).member_count
        return counts


def test_ten_joins_at_once_keep_to_the_cap(app, make_member, no_rate_limits):
    """10 simultaneous joins to an open group with a cap of 3 left 8 members on PostgreSQL;
    now the group row is locked while the place is decided."""
    lead = make_member()
    group_id = make_working_group(app, lead, join_policy="open", size_cap=3)
    joiners = [make_member() for _ in range(10)]
    statuses = _all_at_once(
        _clients(app, joiners),
        lambda client, n: client.post(f"/werkgroepen/{group_id}/aanmelden"),
    )
    assert statuses == [303] * 10
    counts = _members_of(app, group_id)
    assert counts["member"] == 3 and counts["member_count"] == 3
    assert counts["waiting"] == 8  # 10 joiners: 2 places, 8 on the waiting list


def test_two_leads_letting_in_two_people_for_the_last_place_admit_one(
    app, make_member, no_rate_limits
):
    from alliance.groups.models import Membership

    lead, second_lead = make_member(), make_member()
    group_id = make_working_group(app, lead, join_policy="request", size_cap=3)
    lead_client, second_client = _clients(app, [lead, second_lead])
    second_client.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Ik help."})
    with app.app_context():
        row = db.session.scalar(select(Membership).where(Membership.member_id == second_lead.id))
        row_id = row.id
    lead_client.post(f"/werkgroepen/{group_id}/leden/{row_id}/toelaten")
    lead_client.post(f"/werkgroepen/{group_id}/leden/{row_id}/rol", data={"role": "lead"})
    askers = [make_member(), make_member()]
    for client in _clients(app, askers):
        client.post(f"/werkgroepen/{group_id}/aanmelden", data={"contribution": "Ik ook."})
    with app.app_context():
        requests = [
            db.session.scalar(select(Membership.id).where(Membership.member_id == asker.id))
            for asker in askers
        ]
    statuses = _all_at_once(
        [lead_client, second_client],
        lambda client, n: client.post(f"/werkgroepen/{group_id}/leden/{requests[n]}/toelaten"),
    )
    assert sorted(statuses) == [200, 303]  # the second is told the group is full
    counts = _members_of(app, group_id)
    assert counts["member"] == 3 and counts["member_count"] == 3


def test_leaving_and_withdrawing_at_once_never_deadlocks(app, make_member, no_rate_limits):
    """A member leaving a full open group frees a place for the first on its waiting list,
    while that one withdraws at the same moment: both lock the group first (one order of
    locks), so neither deadlocks (a 503 on PostgreSQL before) and the count stays true."""
    lead = make_member()
    group_id = make_working_group(app, lead, join_policy="open", size_cap=3)
    members = [make_member() for _ in range(2)]
    waiting = [make_member() for _ in range(6)]
    everyone = members + waiting
    for client in _clients(app, everyone):  # in order: the last six wait
        assert client.post(f"/werkgroepen/{group_id}/aanmelden").status_code == 303
    statuses = _all_at_once(
        _clients(app, everyone),
        lambda client, n: client.post(f"/werkgroepen/{group_id}/verlaten"),
    )
    assert statuses == [303] * len(everyone)
    counts = _members_of(app, group_id)
    assert counts["member_count"] == counts["member"] <= 3
    assert counts.get("waiting", 0) + counts["member"] >= 1  # the lead stays


def test_two_leads_stepping_down_at_once_leave_one_lead(app, make_member, no_rate_limits):
    from alliance.groups.models import Membership

    first, second = make_member(), make_member()
    group_id = make_working_group(app, first, join_policy="open")
    first_client, second_client = _clients(app, [first, second])
    second_client.post(f"/werkgroepen/{group_id}/aanmelden")
    with app.app_context():
        rows = {
            m.member_id: m.id
            for m in db.session.scalars(select(Membership).where(Membership.group_id == group_id))
        }
    first_client.post(f"/werkgroepen/{group_id}/leden/{rows[second.id]}/rol", data={"role": "lead"})
    # Each lead makes the other an ordinary member, at the same moment.
    targets = [rows[second.id], rows[first.id]]
    _all_at_once(
        [first_client, second_client],
        lambda client, n: client.post(
            f"/werkgroepen/{group_id}/leden/{targets[n]}/rol", data={"role": "member"}
        ),
    )
    with app.app_context():
        leads = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group_id, Membership.role == "lead"
            )
        )
        assert leads == 1


def test_group_work_at_once_replies_responses_and_versions(
    app, make_member, make_group, no_rate_limits
):
    """Ten replies to one message at once are all counted; the same member's response sent
    five times at once is one row; five new versions of a document at once get five numbers."""
    import io

    from alliance.groups.workmodels import DocumentVersion, GroupMessage, ProposalResponse
    from tests.test_group_proposals import proposal_id, tomorrow

    lead = make_member(name="Lea Trekker")
    others = [make_member() for _ in range(10)]
    group_id = make_group(lead=lead, members=others)
    (lead_client,) = _clients(app, [lead])
    base = f"/werkgroepen/{group_id}"
    lead_client.post(f"{base}/berichten", data={"body": "Wie doet mee?"})
    lead_client.post(f"{base}/voorstellen", data={"title": "Samen", "closes_on": tomorrow()})
    share = {"file": (io.BytesIO(b"%PDF-1.7\n0"), "a.pdf"), "title": "Stuk"}
    lead_client.post(f"{base}/documenten", data=share)
    with app.app_context():
        message = db.session.scalar(select(GroupMessage.id))
        document = db.session.scalar(select(DocumentVersion.document_id))
    pid = proposal_id(app, "Samen")
    clients = _clients(app, others)
    statuses = _all_at_once(
        clients,
        lambda c, n: c.post(f"{base}/berichten", data={"body": f"Ik {n}", "parent_id": message}),
    )
    assert statuses == [303] * 10
    same = _clients(app, [others[0]] * 5)
    statuses = _all_at_once(
        same, lambda c, n: c.post(f"{base}/voorstellen/{pid}/reactie", data={"position": "agree"})
    )
    assert statuses == [303] * 5
    statuses = _all_at_once(
        clients[:5],
        lambda c, n: c.post(
            f"{base}/documenten/{document}/versies",
            data={"file": (io.BytesIO(b"%PDF-1.7\n" + bytes([48 + n])), f"v{n}.pdf")},
        ),
    )
    assert statuses == [303] * 5
    with app.app_context():
        top = db.session.get(GroupMessage, message)
        replies = db.session.scalar(
            select(func.count(GroupMessage.id)).where(GroupMessage.parent_id == message)
        )
        assert top.reply_count == replies == 10
        assert (
            db.session.scalar(
                select(func.count(ProposalResponse.id)).where(ProposalResponse.proposal_id == pid)
            )
            == 1
        )
        numbers = db.session.scalars(
            select(DocumentVersion.number).where(DocumentVersion.document_id == document)
        ).all()
        assert sorted(numbers) == [1, 2, 3, 4, 5, 6]


def test_a_new_account_sending_at_once_keeps_to_its_hourly_limit(app, make_member, no_rate_limits):
    """Issue 17: eight messages of one new account at once, with room for three: three are
    sent (the sender's row is locked before the count), the others refused in words."""
    from alliance.messages.models import Message

    app.config["MESSAGES_NEW_PER_HOUR"] = 3
    newcomer = make_member()
    recipients = [make_member() for _ in range(8)]
    clients = _clients(app, [newcomer] * 8)
    statuses = _all_at_once(
        clients,
        lambda client, n: client.post(
            f"/berichten/nieuw?aan={recipients[n].id}", data={"body": f"Bericht {n}"}
        ),
    )
    assert sorted(statuses) == [200] * 5 + [303] * 3
    with app.app_context():
        sent = db.session.scalar(
            select(func.count(Message.id)).where(Message.author_id == newcomer.id)
        )
        db.session.remove()
    assert sent == 3
