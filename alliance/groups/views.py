"""Working-group pages. Thin: load (404) → authorise (403) → validate → service → render."""

from datetime import timedelta

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from alliance.core import audience
from alliance.core.database import writes_on_get
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.core.web import SelectOptions, field_error, parse_id, render, wants_fragment
from alliance.extensions import db
from alliance.groups import bp, documents, proposals, queries, services, space, stream
from alliance.groups.forms import (
    ActionForm,
    AnswerForm,
    DocumentForm,
    ExtendForm,
    GroupForm,
    InviteForm,
    JoinForm,
    MessageForm,
    NoteForm,
    ProposalForm,
    ResultForm,
    RoleForm,
    TaskForm,
    TaskUpdateForm,
)
from alliance.groups.models import Membership, Task, WorkingGroup
from alliance.knowledge.access import can_view
from alliance.knowledge.queries import load_item
from alliance.members.models import Member
from alliance.themes.services import active_themes


def _group_or_404(group_id: int) -> WorkingGroup:
    group = queries.load_group(group_id)
    if group is None:
        abort(404)
    return group


def _as_member(group: WorkingGroup) -> Membership:
    """The viewer's membership; only members of the group pass (others get a 403)."""
    membership = services.membership_of(group, current_user)
    if not services.is_member(membership):
        abort(403)
    return membership


def _as_lead(group: WorkingGroup) -> Membership:
    membership = _as_member(group)
    if not membership.is_lead:
        abort(403)
    return membership


def _back(group: WorkingGroup, anchor: str | None = None):
    """Back to the group page after a plain form, showing the task lists as they were (and
    the task just added or changed, wherever it falls in its list)."""
    view = _tasks_view(request.form) if request.method == "POST" else {}
    if g.get("shown_task_id"):
        view["actiepunt"] = g.shown_task_id
    return redirect(url_for(".show", group_id=group.id, _anchor=anchor, **view), 303)


# --- the overview and the group page ---------------------------------------------------------


@bp.get("/")
@login_required
def index():
    """All working groups, with filters: theme, open for new members, active or archived."""
    query = queries.GroupQuery(
        theme=request.args.get("thema", ""),
        open_only=request.args.get("open") == "1",
        state="archived" if request.args.get("staat") == "gearchiveerd" else "active",
    )
    return render(
        "groups/index.html",
        "results",
        query=query,
        groups=queries.list_groups(query),
        mine=audience.group_ids_of(current_user),
        theme_options=[(theme.slug, theme.name) for theme in active_themes()],
    )


@bp.get("/<int:group_id>")
@login_required
@writes_on_get
def show(group_id: int):
    """The group page: the public part for every member, the private space for the group."""
    group = _group_or_404(group_id)
    memberships = queries.memberships_of(group)  # the viewer's row among them: one statement
    membership = next((m for m in memberships if m.member_id == current_user.id), None)
    context = {}
    if services.is_member(membership):
        since = space.record_visit(membership)
        context = _space_context(group, membership, since=since, memberships=memberships)
    return _render_group(group, membership, **context)


def _tasks_view(values) -> dict[str, str]:
    """Which task lists are shown whole ("?open=alle", "?klaar=alle"), from the query string or
    carried along in a form; anything else is the default (the first ones)."""
    return {name: "alle" for name in ("open", "klaar") if values.get(name) == "alle"}


def _owner_choices(members: list[Membership]) -> list[tuple[str, str]]:
    return [("", _("Nobody yet"))] + [(str(m.member_id), m.member.name) for m in members]


def _tasks_context(group: WorkingGroup, members: list[Membership], view: dict, counts=None) -> dict:
    shown = g.get("shown_task_id") or parse_id(request.args.get("actiepunt"))
    choices = _owner_choices(members)
    return {
        "tasks": space.tasks_of(
            group,
            all_open="open" in view,
            all_done="klaar" in view,
            include=shown,
            counts=counts,
        ),
        "tasks_view": view,
        "owner_choices": choices,
        "owner_options": SelectOptions(choices),
    }


def _space_context(
    group: WorkingGroup, membership: Membership, since=None, memberships=None
) -> dict:
    """What the private space shows (members of the group only); ``since`` is the visit
    before this one."""
    if memberships is None:
        memberships = queries.memberships_of(group)
    members = [m for m in memberships if m.state == "member"]
    view = _tasks_view(request.form if request.method == "POST" else request.args)
    activity = space.activity_since(group, since, membership.member_id)
    return {
        "memberships": memberships,
        "members": members,
        "stream_page": stream.stream_of(group),
        "stream_since": utcnow().isoformat(),
        "poll_seconds": stream.POLL_SECONDS,
        "writable": group.state != "archived",
        "documents": documents.documents_of(group),
        "proposals": proposals.proposals_of(group),
        "now": utcnow(),
        "proposal_day": lambda p: proposals.local_day(p.closes_at - timedelta(seconds=1)),
        "document_count_shown": documents.SHOWN,
        "human_size": documents.human_size,
        "notes": space.notes_of(group),
        "activity": activity,
    } | _tasks_context(group, members, view, (activity.open_tasks, activity.done_tasks))


def _lead_names(group: WorkingGroup) -> list[str]:
    return list(
        db.session.scalars(
            select(Member.name)
            .join(Membership, Membership.member_id == Member.id)
            .where(
                Membership.group_id == group.id,
                Membership.state == "member",
                Membership.role == "lead",
            )
            .order_by(Member.name)
        )
    )


def _render_group(group, membership, block=None, status=200, **context):
    forms = {
        "join_form": JoinForm(formdata=None),
        "task_form": TaskForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "extend_form": ExtendForm(formdata=None),
        "answer_form": AnswerForm(formdata=None),
        "message_form": MessageForm(formdata=None),
        "document_form": DocumentForm(formdata=None),
        "proposal_form": ProposalForm(formdata=None),
        "response_form": None,
        "outcome_form": None,
    }
    forms.update({k: v for k, v in context.items() if k.endswith("_form")})
    context.update(forms)
    if "owner_choices" in context:
        context["task_form"].owner_id.choices = context["owner_choices"]
    if "members" in context:  # loaded already for the space
        lead_names = sorted(m.member.name for m in context["members"] if m.role == "lead")
    else:
        lead_names = _lead_names(group)
    dilemma = load_item(group.dilemma_id) if group.dilemma_id else None
    return render(
        "groups/show.html",
        block,
        status=status,
        group=group,
        membership=membership,
        is_member=services.is_member(membership),
        is_lead=services.is_lead(membership),
        lead_names=lead_names,
        dilemma=dilemma if dilemma is not None and can_view(dilemma, current_user) else None,
        today=utcnow().date(),
        **context,
    )


def _rerender_space(group, membership, block=None, status=200, **forms):
    context = _space_context(group, membership, since=membership.last_visit_at)
    context.update(forms)
    return _render_group(group, membership, block=block, status=status, **context)


# --- starting and editing ----------------------------------------------------------------------


def _change_from(form: GroupForm) -> services.GroupChange:
    return services.GroupChange(
        name=form.name.data or "",
        opgave=form.opgave.data or "",
        deliverable=form.deliverable.data or "",
        description=form.description.data or "",
        join_policy=form.join_policy.data or "",
        size_cap=form.size_cap.data,
        ends_on=form.ends_on.data,
        theme_ids=form.themes.data or [],
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Any member starts a group; from a dilemma ("Pak dit samen op") it is filled in and linked.
    A dilemma only its working group may read is linked (the link shows only to those who may
    read it) but not copied: a group's name and opgave are for every member to read."""
    dilemma = None
    source = parse_id(request.values.get("dilemma"))
    if source is not None:
        dilemma = load_item(source)
        if dilemma is None or not can_view(dilemma, current_user) or not dilemma.is_dilemma:
            dilemma = None
    form = GroupForm()
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    if request.method == "GET" and dilemma is not None and dilemma.visibility != "group":
        form.name.data = dilemma.title[:120]
        form.opgave.data = dilemma.tension
        form.themes.data = [t.id for t in dilemma.themes]
    if form.validate_on_submit():
        try:
            group = services.start_group(current_user, _change_from(form), dilemma)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Your working group has started. Invite members who fit the question."), "ok")
            return _back(group)
    return render("groups/edit.html", form=form, group=None, dilemma=dilemma)


@bp.route("/<int:group_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    """The lead changes the group (the end date within the time box)."""
    group = _group_or_404(group_id)
    _as_lead(group)
    form = GroupForm(obj=group if request.method == "GET" else None)
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    if request.method == "GET":
        form.themes.data = [t.id for t in group.themes]
    if form.validate_on_submit():
        try:
            services.edit_group(group, _change_from(form))
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("The working group is saved."), "ok")
            return _back(group)
    return render("groups/edit.html", form=form, group=group, dilemma=None)


# --- membership --------------------------------------------------------------------------------


@bp.post("/<int:group_id>/aanmelden")
@login_required
def join(group_id: int):
    """Join (open), ask to join (on request) or accept an invitation."""
    group = _group_or_404(group_id)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            membership = services.join(group, current_user, form.contribution.data or "")
        except RuleError as error:
            field_error(form, error)
        else:
            messages = {
                "member": _("Welcome to the working group."),
                "requested": _("Your request has been sent. The lead will answer it."),
                "waiting": _("The group is full. You are on the waiting list."),
            }
            flash(messages[membership.state], "ok")
            return _back(group)
    membership = services.membership_of(group, current_user)
    if services.is_member(membership):
        return _rerender_space(group, membership, join_form=form)
    return _render_group(group, membership, join_form=form)


@bp.post("/<int:group_id>/uitnodiging-afslaan")
@login_required
def decline_invitation(group_id: int):
    """The invited member says no."""
    group = _group_or_404(group_id)
    if ActionForm().validate_on_submit():
        try:
            services.decline_invitation(group, current_user)
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("You declined the invitation."), "ok")
    return _back(group)


@bp.post("/<int:group_id>/verlaten")
@login_required
def leave(group_id: int):
    """Leave the group, or withdraw a request."""
    group = _group_or_404(group_id)
    if ActionForm().validate_on_submit():
        try:
            services.leave(group, current_user)
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("You are no longer in this working group."), "ok")
    return _back(group)


def _membership_or_404(group: WorkingGroup, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        abort(404)
    return membership


@bp.post("/<int:group_id>/leden/<int:membership_id>/toelaten", defaults={"answer": "toelaten"})
@bp.post("/<int:group_id>/leden/<int:membership_id>/afwijzen", defaults={"answer": "afwijzen"})
@login_required
def answer(group_id: int, membership_id: int, answer: str):
    """The lead lets a member in, or declines with a message."""
    group = _group_or_404(group_id)
    lead = _as_lead(group)
    target = _membership_or_404(group, membership_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            if answer == "toelaten":
                services.approve(group, target, form.message.data or "")
                flash(_("%(name)s is now a member.", name=target.member.name), "ok")
            else:
                services.decline(group, target, form.message.data or "")
                flash(_("The request has been declined."), "ok")
        except RuleError as error:
            field_error(form, error)
            return _rerender_space(group, lead, answer_form=form, answered=target.id)
    return _back(group, "leden")


@bp.post("/<int:group_id>/leden/<int:membership_id>/verwijderen")
@login_required
def remove(group_id: int, membership_id: int):
    """The lead takes a member out of the group."""
    group = _group_or_404(group_id)
    _as_lead(group)
    target = _membership_or_404(group, membership_id)
    if ActionForm().validate_on_submit():
        try:
            services.remove(group, target)
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s is no longer in the group.", name=target.member.name), "ok")
    return _back(group, "leden")


@bp.post("/<int:group_id>/leden/<int:membership_id>/rol")
@login_required
def role(group_id: int, membership_id: int):
    """The lead makes someone lead too, hands over, or steps down (one lead at least)."""
    group = _group_or_404(group_id)
    lead = _as_lead(group)
    target = _membership_or_404(group, membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            if form.role.data == "overdragen":
                services.hand_over(group, lead, target)
            else:
                services.set_role(group, target, form.role.data or "")
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("The roles are saved."), "ok")
    return _back(group, "leden")


@bp.route("/<int:group_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(group_id: int):
    """The lead invites members by name (suggestions while typing; without JavaScript the
    members that fit the name typed are listed to choose from), helped by suggestions whose
    *Ik bied* fits the opgave."""
    group = _group_or_404(group_id)
    lead = _as_lead(group)
    form = InviteForm()
    matches = None
    if form.validate_on_submit():
        member_id = parse_id(form.member_id.data)
        typed = (form.name.data or "").strip()
        if member_id is None and typed:
            matches = queries.members_named(group, typed)
            if len(matches) == 1:
                member_id = matches[0].id
        if member_id is None:
            if not typed:
                form.name.errors = [_("Type the name of the member you want to invite.")]
            elif not matches:
                form.name.errors = [_("No member found with this name who can be invited.")]
            else:
                form.name.errors = [_("More than one member fits this name. Choose one below.")]
        else:
            try:
                invited = services.invite(group, lead.member, member_id)
            except RuleError as error:
                field_error(form, error, fallback="name")
            else:
                flash(_("%(name)s has been invited.", name=invited.member.name), "ok")
                return redirect(url_for(".invite", group_id=group.id), 303)
    pending = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.group_id == group.id, Membership.state == "invited"
        )
    )
    return render(
        "groups/invite.html",
        group=group,
        form=form,
        matches=matches if matches and len(matches) > 1 else None,
        suggestions=queries.invite_suggestions(group),
        pending=pending,
    )


@bp.get("/<int:group_id>/uitnodigen/namen")
@login_required
def invite_names(group_id: int):
    """The members whose name fits what the lead is typing, each with an invite button (an
    htmx fragment; without JavaScript the invite form itself lists them)."""
    group = _group_or_404(group_id)
    _as_lead(group)
    typed = (request.args.get("name") or "").strip()[:120]
    matches = queries.members_named(group, typed) if len(typed) >= 2 else []
    return render(
        "groups/_invite_matches.html", group=group, matches=matches, typed=typed, searched=True
    )


# --- the private space -------------------------------------------------------------------------


def _space_response(group, membership, block, anchor, **forms):
    """After a change in the space: htmx gets the updated block, a plain form a redirect;
    with errors, the page (or block) is shown again with what was typed."""
    has_errors = any(form.errors for form in forms.values())
    if not has_errors and not wants_fragment():
        return _back(group, anchor)
    return _rerender_space(group, membership, block=block, **forms)


@bp.get("/<int:group_id>/actiepunten")
@login_required
def tasks(group_id: int):
    """The task lists, all of them on request ("?open=alle", "?klaar=alle"): the section for
    htmx, the group page at the tasks without it."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    view = _tasks_view(request.args)
    if not wants_fragment():
        return redirect(url_for(".show", group_id=group.id, _anchor="actiepunten", **view), 303)
    members = [m for m in queries.memberships_of(group) if m.state == "member"]
    return _render_group(
        group, membership, block="tasks", members=members, **_tasks_context(group, members, view)
    )


@bp.post("/<int:group_id>/actiepunten")
@login_required
def add_task(group_id: int):
    """A member adds an actiepunt (inline with htmx, or as a plain form)."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    form = TaskForm()
    form.owner_id.choices = []  # checked by the service: members of the group only
    if form.validate_on_submit():
        owner = form.owner_id.data or ""
        try:
            task = space.add_task(
                group,
                membership.member,
                form.title.data or "",
                _owner_choice(owner),
                form.due_on.data,
            )
        except RuleError as error:
            field_error(form, error)
        else:
            form = TaskForm(formdata=None)
            g.shown_task_id = task.id  # shown, wherever its due date puts it
            return _space_response(
                group, membership, "tasks", f"actiepunt-{task.id}", task_form=form
            )
    return _space_response(group, membership, "tasks", "actiepunten", task_form=form)


def _owner_choice(owner: str) -> int | None:
    """The chosen owner of an actiepunt: an id, None for "nobody", 0 for nonsense (refused later)."""
    if not owner:
        return None
    return parse_id(owner) or 0


@bp.post("/<int:group_id>/actiepunten/<int:task_id>")
@login_required
def update_task(group_id: int, task_id: int):
    """Move an actiepunt or give it to another member."""
    group = _group_or_404(group_id)
    _as_member(group)  # members only
    task = db.session.get(Task, task_id)
    if task is None or task.group_id != group.id:
        abort(404)
    form = TaskUpdateForm()
    owner = request.form.get("owner_id")
    g.shown_task_id = task.id  # back at this task (without JavaScript), wherever it falls
    if form.validate_on_submit():
        try:
            space.update_task(
                task,
                group,
                state=form.state.data or None,
                owner_id=-1 if owner is None else _owner_choice(owner),
            )
        except RuleError as error:
            if not wants_fragment():
                flash(str(error), "error")
                return _back(group, f"actiepunt-{task.id}")
            return _task_row(group, task, task_error=(task.id, str(error)))
    else:
        message = next(iter(form.state.errors or form.owner_id.errors), None) or _(
            "The task could not be saved. Please try again."
        )
        if not wants_fragment():
            flash(str(message), "error")
            return _back(group, f"actiepunt-{task.id}")
        return _task_row(group, task, task_error=(task.id, str(message)))
    if not wants_fragment():
        return _back(group, f"actiepunt-{task.id}")
    return _task_row(group, task, saved=True)


def _task_row(group: WorkingGroup, task: Task, saved: bool = False, task_error=None):
    """One actiepunt after an htmx change: its row, with "saved" or the error."""
    members = [m for m in queries.memberships_of(group) if m.state == "member"]
    return render(
        "groups/_task_alone.html",
        group=group,
        task=task,
        saved=saved,
        task_error=task_error,
        today=utcnow().date(),
        owner_options=SelectOptions(_owner_choices(members)),
        tasks_view=_tasks_view(request.form),
    )


@bp.post("/<int:group_id>/links")
@login_required
def add_note(group_id: int):
    """A member adds a link or a note."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            space.add_note(
                group,
                membership.member,
                form.title.data or "",
                form.url.data or "",
                form.body.data or "",
            )
        except RuleError as error:
            field_error(form, error)
        else:
            form = NoteForm(formdata=None)
    return _space_response(group, membership, "notes", "links", note_form=form)


# --- the lifecycle -----------------------------------------------------------------------------


@bp.post("/<int:group_id>/verlengen")
@login_required
def extend(group_id: int):
    """The lead extends the group once, with a reason."""
    group = _group_or_404(group_id)
    lead = _as_lead(group)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend_group(group, form.ends_on.data, form.reason.data or "")
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("The working group has been extended."), "ok")
            return _back(group)
    return _rerender_space(group, lead, extend_form=form)


@bp.post("/<int:group_id>/afronden")
@login_required
def wrap_up(group_id: int):
    """The lead starts the wrap-up and writes the result."""
    group = _group_or_404(group_id)
    _as_lead(group)
    if ActionForm().validate_on_submit():
        try:
            space.start_wrap_up(group)
        except RuleError as error:
            flash(str(error), "error")
            return _back(group)
    return redirect(url_for(".result", group_id=group.id), 303)


@bp.route("/<int:group_id>/opbrengst", methods=["GET", "POST"])
@login_required
def result(group_id: int):
    """The lead writes the opbrengst, and publishes it to the Kennisbank."""
    group = _group_or_404(group_id)
    lead = _as_lead(group)
    if group.state != "wrapping_up":
        return _back(group)
    form = ResultForm(data=group.result if request.method == "GET" else None)
    form.documents.choices = [
        (d.id, f"{d.title} ({d.filename})") for d in documents.documents_of(group, limit=None)
    ]
    form.proposals.choices = [
        (p.id, f"{p.title}: {p.outcome}") for p in proposals.decided_of(group)
    ]
    if request.method == "GET" and not form.title.data:
        form.title.data = _("Result: %(name)s", name=group.name)
    if form.validate_on_submit():
        data = {name: form[name].data or "" for name in space.RESULT_FIELDS}
        try:
            space.save_result(group, data)
            space.choose_for_result(group, form.documents.data, form.proposals.data)
            if request.form.get("action") == "publish":
                item = space.publish_result(group, lead.member)
                flash(_("The result is published in the knowledge base. Thank you!"), "ok")
                return redirect(url_for("knowledge.show", item_id=item.id), 303)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("The result is saved. Publish it when it is ready."), "ok")
            return redirect(url_for(".result", group_id=group.id), 303)
    return render("groups/result.html", group=group, form=form)
