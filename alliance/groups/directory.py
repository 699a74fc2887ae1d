"""How the other features learn who is in which working group (``core.audience``): the one
place the "current member of the group" rule is written, in Python and in SQL."""

from sqlalchemy import ColumnElement, Select, exists, select

from alliance.core.audience import GroupRef
from alliance.extensions import db
from alliance.groups.models import Membership, WorkingGroup


class Directory:
    """The groups feature's answer to ``core.audience.GroupDirectory``."""

    def current_group_ids(self, member_id: int) -> set[int]:
        """The groups ``member_id`` is a member of now: asked, invited or removed is not in."""
        return set(
            db.session.scalars(
                select(Membership.group_id).where(
                    Membership.member_id == member_id, Membership.state == "member"
                )
            )
        )

    def current_group_ids_query(self, member_id: int) -> Select:
        """The same, as a subquery."""
        return select(Membership.group_id).where(
            Membership.member_id == member_id, Membership.state == "member"
        )

    def is_current_member(self, group_id, member_id) -> ColumnElement[bool]:
        """SQL: ``member_id`` is a current member of ``group_id`` (columns or values)."""
        return exists().where(
            Membership.group_id == group_id,
            Membership.member_id == member_id,
            Membership.state == "member",
        )

    def refs(self, group_ids: set[int]) -> dict[int, GroupRef]:
        """Name and state of these groups."""
        rows = db.session.execute(
            select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.state).where(
                WorkingGroup.id.in_(group_ids)
            )
        )
        return {row.id: GroupRef(row.id, row.name, row.state) for row in rows}

    def lead_ids(self, group_id: int) -> set[int]:
        """The members who lead ``group_id`` now."""
        return set(
            db.session.scalars(
                select(Membership.member_id).where(
                    Membership.group_id == group_id,
                    Membership.state == "member",
                    Membership.role == "lead",
                )
            )
        )
