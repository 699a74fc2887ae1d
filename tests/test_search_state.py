"""Search under random sequences of changes: items created, edited, moved between public,
members and two working groups (a group's post stays in its group: that move is refused), deleted; members joining and leaving; the outbox drained at
random moments. After every drain: the index equals the database, and every hit is readable
by whoever searched (and every readable match is found)."""

from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from alliance.core.errors import RuleError
from alliance.extensions import db
from tests.conftest import POSTGRESQL_SEARCH, reset_database

WORDS = ("archief", "begroting", "camerabeelden", "datalek")
PLACES = ("public", "members", "group:0", "group:1")


@dataclass
class World:
    app: object
    author: int
    insider: int  # member of group 0 only (joins and leaves group 1)
    outsider: int
    groups: list[int]


def make_world(app, make_member) -> World:
    from tests.test_access import make_working_group
    from tests.test_search import _join

    author, insider, outsider = make_member(), make_member(), make_member()
    groups = [
        make_working_group(app, author, join_policy="open", name=f"Groep {n}") for n in (0, 1)
    ]
    _join(app, groups[0], insider)
    return World(app, author.id, insider.id, outsider.id, groups)


class SearchMachine(RuleBasedStateMachine):
    world: World = None

    def __init__(self):
        super().__init__()
        self.items: dict[int, tuple[str, str]] = {}  # id -> (word, place)
        self.drained = True
        self.insider_in_group_1 = False

    def _change(self, word: str, place: str):
        from alliance.knowledge.services import ItemChange

        visibility, _, group = place.partition(":")
        return ItemChange(
            kind="dilemma",
            title=f"Vraag over {word}",
            visibility=visibility,
            group_id=self.world.groups[int(group)] if group else None,
            fields={"tension": f"Het {word} en wat we ermee doen."},
        )

    @rule(word=st.sampled_from(WORDS), place=st.sampled_from(PLACES))
    def create(self, word, place):
        from alliance.knowledge.services import post_item
        from alliance.members.models import Member

        with self.world.app.test_request_context(method="POST"):
            item = post_item(db.session.get(Member, self.world.author), self._change(word, place))
            db.session.commit()
            self.items[item.id] = (word, place)
        self.drained = False

    @precondition(lambda self: self.items)
    @rule(data=st.data(), word=st.sampled_from(WORDS), place=st.sampled_from(PLACES))
    def edit_or_move(self, data, word, place):
        from alliance.knowledge.models import Item
        from alliance.knowledge.services import edit_item
        from alliance.members.models import Member

        item_id = data.draw(st.sampled_from(sorted(self.items)))
        was = self.items[item_id][1]
        with self.world.app.test_request_context(method="POST"):
            item = db.session.get(Item, item_id)
            author = db.session.get(Member, self.world.author)
            if was.startswith("group:") and place != was:
                # A group's post stays in its group (its replies were written for the group).
                with pytest.raises(RuleError):
                    edit_item(item, author, self._change(word, place))
                db.session.rollback()
                return
            edit_item(item, author, self._change(word, place))
            db.session.commit()
        self.items[item_id] = (word, place)
        self.drained = False

    @precondition(lambda self: self.items)
    @rule(data=st.data())
    def delete(self, data):
        from alliance.knowledge.models import Item
        from alliance.knowledge.services import delete_item

        item_id = data.draw(st.sampled_from(sorted(self.items)))
        with self.world.app.test_request_context(method="POST"):
            delete_item(db.session.get(Item, item_id))
            db.session.commit()
        del self.items[item_id]
        self.drained = False

    @rule()
    def insider_joins_or_leaves_group_1(self):
        from tests.test_search import _join, _leave

        if self.insider_in_group_1:
            _leave(self.world.app, self.world.groups[1], _Ref(self.world.insider))
        else:
            _join(self.world.app, self.world.groups[1], _Ref(self.world.insider))
        self.insider_in_group_1 = not self.insider_in_group_1

    @rule()
    def drain(self):
        from alliance.search.index import drain_outbox

        with self.world.app.app_context():
            drain_outbox(wait=30)
            db.session.remove()
        self.drained = True

    @invariant()
    def index_equals_database(self):
        if not self.drained:
            return
        from alliance.knowledge.models import Item

        if POSTGRESQL_SEARCH:
            self._table_equals_database()
            return
        from alliance.search.engine import current_view, ids_of

        with self.world.app.app_context():
            view = current_view()
            indexed = {
                fields["ref"]: docnum
                for docnum, fields in view.reader.iter_docs()
                if fields["kind"] in ("dilemma", "ervaring")
            }
            assert set(indexed) == set(db.session.scalars(select(Item.id))) == set(self.items)
            for item_id, (_word, place) in self.items.items():
                docnum = indexed[item_id]
                token = place if place in ("public", "members") else None
                if token is None:
                    token = f"group:{self.world.groups[int(place.split(':')[1])]}"
                assert docnum in ids_of(view.term("access", token))
            db.session.remove()

    def _table_equals_database(self):
        """PostgreSQL: one search document per item, with the access of its place."""
        from alliance.knowledge.models import Item
        from alliance.search.models import SearchDocument

        with self.world.app.app_context():
            rows = db.session.execute(
                select(SearchDocument.ref, SearchDocument.access).where(
                    SearchDocument.kind.in_(("dilemma", "ervaring"))
                )
            ).all()
            access = {ref: tokens for ref, tokens in rows}
            assert len(rows) == len(access)
            assert set(access) == set(db.session.scalars(select(Item.id))) == set(self.items)
            for item_id, (_word, place) in self.items.items():
                token = place if place in ("public", "members") else None
                if token is None:
                    token = f"group:{self.world.groups[int(place.split(':')[1])]}"
                assert access[item_id] == [token]
            db.session.remove()

    @invariant()
    def every_hit_is_readable_and_every_readable_match_found(self):
        if not self.drained:
            return
        from alliance.knowledge.access import can_view
        from alliance.knowledge.models import Item
        from alliance.members.models import Member
        from alliance.search.services import SearchQuery, search

        app = self.world.app
        for viewer_id in (None, self.world.author, self.world.insider, self.world.outsider):
            with app.test_request_context():
                viewer = db.session.get(Member, viewer_id) if viewer_id else AnonymousUserMixin()
                for word in WORDS:
                    result = search(SearchQuery(text=word), viewer, 50)
                    found = {hit.url.rsplit("/", 1)[1] for hit in result.hits}
                    readable = {
                        str(item_id)
                        for item_id, (item_word, _) in self.items.items()
                        if item_word == word and can_view(db.session.get(Item, item_id), viewer)
                    }
                    assert found == readable, (viewer_id, word)
                    assert result.total == len(readable)
                db.session.remove()


class _Ref:
    def __init__(self, member_id):
        self.id = member_id


def test_search_keeps_index_and_permissions_true(app, make_member):
    """Hypothesis drives the machine; each example starts from an empty database."""

    class Machine(SearchMachine):
        def __init__(self):
            reset_database(app)
            SearchMachine.world = make_world(app, make_member)
            super().__init__()

    runner = Machine.TestCase()
    runner.settings = settings(
        max_examples=12,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    runner.runTest()
