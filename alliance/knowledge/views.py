"""Knowledge-base pages. Thin: load (404) → authorise (403) → validate → service → render."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from alliance.core import audience
from alliance.core.errors import RuleError
from alliance.core.web import field_error, parse_id, render, wants_fragment
from alliance.extensions import db
from alliance.knowledge import access, bp, queries, services
from alliance.knowledge.forms import DecisionForm, EvaluationForm, ItemForm, ReplyForm
from alliance.knowledge.models import (
    DILEMMA_FIELDS,
    EXPERIENCE_FIELDS,
    FIELD_LABELS,
    KINDS,
    STATUSES,
    VISIBILITIES,
    Item,
    Reply,
)
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES
from alliance.themes.services import active_themes


def _visible_item_or_404(item_id: int) -> Item:
    item = queries.load_item(item_id)
    if item is None or not access.can_view(item, current_user):
        abort(404)  # a private item is not there for those who may not see it
    return item


def _managed_item(item_id: int) -> Item:
    item = _visible_item_or_404(item_id)
    if not access.can_manage(item, current_user):
        abort(403)
    return item


@bp.get("/")
def index():
    """The list: filters, sorting and "Meer laden"; shows which dilemmas still wait."""
    args = request.args
    query = queries.ListQuery(
        kind=args.get("soort", ""),
        theme=args.get("thema", ""),
        status=args.get("status", ""),
        missing=args.get("ontbreekt", ""),
        unanswered=args.get("onbeantwoord") == "1",
        group=parse_id(args.get("werkgroep")),
        sort=args.get("sorteer", "activity"),
        page=max(1, min(args.get("pagina", 1, type=int) or 1, 10_000)),
    )
    items, more = queries.list_items(query, current_user, current_app.config["ITEMS_PAGE_SIZE"])
    block = "more" if wants_fragment() and request.args.get("meer") else "results"
    total = queries.count_items(query, current_user) if block == "results" else None
    return render(
        "knowledge/index.html",
        block,
        query=query,
        items=items,
        more=more,
        total=total,
        count_label=_count_label(total),
        theme_options=[(theme.slug, theme.name) for theme in active_themes()],
        kinds=KINDS,
        statuses=STATUSES,
        perspectives=PERSPECTIVES,
        group=_own_group(query.group),
    )


def _own_group(group_id: int | None) -> audience.GroupRef | None:
    """The working group whose discussion the list shows, when the viewer is in it."""
    if not group_id or group_id not in audience.group_ids_of(current_user):
        return None
    return audience.group_ref(group_id)


def _count_label(total: int | None) -> str:
    """ "12 posts", or "More than 1000 posts" when counting stopped."""
    if total is None:
        return ""
    if total > queries.COUNT_CAP:
        return _("More than %(num)d posts", num=queries.COUNT_CAP)
    return ngettext("%(num)d post", "%(num)d posts", total)


def _item_form_choices(form: ItemForm) -> None:
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    groups = audience.writable_groups(current_user)
    form.group_id.choices = [(str(group.id), group.name) for group in groups]
    if groups:  # "One working group" only for members of a group
        form.visibility.choices = list(VISIBILITIES.items())


def _change_from(form: ItemForm, kind: str) -> services.ItemChange:
    names = DILEMMA_FIELDS if kind == "dilemma" else EXPERIENCE_FIELDS
    return services.ItemChange(
        kind=kind,
        title=form.title.data or "",
        visibility=form.visibility.data or "members",
        group_id=parse_id(form.group_id.data),
        anonymous=bool(form.anonymous.data),
        organisation_type=form.organisation_type.data or None,
        fields={name: getattr(form, name).data or "" for name in names},
        theme_ids=form.themes.data or [],
        tags=form.tags.data or "",
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Post a dilemma or share an experience; similar items show while the title is typed."""
    kind = request.values.get("soort") or request.form.get("kind") or "dilemma"
    if kind not in KINDS:
        kind = "dilemma"
    form = ItemForm()
    _item_form_choices(form)
    form.kind.data = kind
    if request.method == "GET" and parse_id(request.args.get("werkgroep")) is not None:
        form.visibility.data = "group"  # from the group space: a post for that group
        form.group_id.data = request.args["werkgroep"]
    similar = []
    if request.method == "POST" and request.form.get("action") == "similar":
        similar = queries.similar_items(form.title.data or "", current_user)
    elif form.validate_on_submit():
        try:
            item = services.post_item(current_user, _change_from(form, kind))
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            flash(_("Your post is online. Others can now reply."), "ok")
            return redirect(url_for(".show", item_id=item.id), 303)
    return render("knowledge/edit.html", form=form, kind=kind, item=None, similar=similar)


@bp.get("/vergelijkbaar")
@login_required
def similar():
    """Items like the title being typed (htmx fragment)."""
    items = queries.similar_items(request.args.get("title", "")[:200], current_user)
    return render("knowledge/_similar.html", similar=items)


@bp.get("/<int:item_id>")
def show(item_id: int):
    """An item: the summary first (where does it stand?), the fields, the meter, the replies."""
    item = _visible_item_or_404(item_id)
    reply_form = ReplyForm()
    if current_user.is_authenticated:
        reply_form.perspective.data = reply_form.perspective.data or current_user.perspective
        answered = request.args.get("antwoord", type=int)
        if answered:
            source = db.session.get(Reply, answered)
            if source is not None and source.item_id == item.id:
                reply_form.parent_id.data = str(source.parent_id or source.id)
        quoted = request.args.get("citeer", type=int)
        if quoted:
            source = db.session.get(Reply, quoted)
            if source is not None and source.item_id == item.id:
                reply_form.body.data = "\n".join("> " + line for line in source.body.splitlines())
                reply_form.body.data += "\n\n"
                reply_form.parent_id.data = str(source.parent_id or source.id)
    return _render_item(item, reply_form)


#: A number no reply has, replaced by "{}" to make a URL pattern.
_PLACEHOLDER = 987654321


def _url_pattern(endpoint: str, **values) -> str:
    """``url_for`` once, with ``{}`` where the reply id goes: a page with 50 replies then
    builds 250 links with ``str.format`` instead of 250 calls of ``url_for``."""
    url = url_for(endpoint, **values)
    return url.replace("{", "{{").replace("}", "}}").replace(str(_PLACEHOLDER), "{}")


def _reply_urls(item: Item) -> dict[str, str]:
    return {
        "useful": _url_pattern(".useful", reply_id=_PLACEHOLDER),
        "helped": _url_pattern(".helped", reply_id=_PLACEHOLDER),
        "edit": _url_pattern(".edit_reply", reply_id=_PLACEHOLDER),
        "report": _url_pattern("moderation.report", kind="reply", ref_id=_PLACEHOLDER),
        "answer": _url_pattern(".show", item_id=item.id, antwoord=_PLACEHOLDER, _anchor="reageren"),
        "quote": _url_pattern(".show", item_id=item.id, citeer=_PLACEHOLDER, _anchor="reageren"),
    }


def _render_item(item, reply_form, **forms):
    """The item page (or its replies block for htmx), with the replies and this member's marks
    loaded here, once, whichever view renders it."""
    threads = queries.replies_of(item, current_user)
    reply_ids = [r.id for reply, answers in threads for r in (reply, *answers)]
    manage = access.can_manage(item, current_user)
    return render(
        "knowledge/show.html",
        "replies",
        item=item,
        threads=threads,
        reply_form=reply_form,
        marks=queries.marks_of(current_user, item),
        useful=queries.useful_marks_of(current_user, reply_ids),
        meter=queries.perspective_meter(item) if item.is_dilemma else None,
        manage=manage,
        show_author=access.shows_author(item, current_user),
        decision_form=forms.get("decision_form") or DecisionForm(obj=item),
        evaluation_form=forms.get("evaluation_form") or EvaluationForm(obj=item),
        perspective_labels=PERSPECTIVES,
        reply_urls=_reply_urls(item),
        organisation_types=ORGANISATION_TYPES,
    )


@bp.route("/<int:item_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """The author (or a coordinator) edits an item; the old text stays in the history."""
    item = _managed_item(item_id)
    form = ItemForm(obj=item if request.method == "GET" else None)
    _item_form_choices(form)
    form.kind.data = item.kind
    if request.method == "GET":
        form.themes.data = [t.id for t in item.themes]
        form.tags.data = ", ".join(t.label for t in item.tags)
        form.organisation_type.data = item.organisation_type or ""
        form.group_id.data = str(item.group_id or "")
    if form.validate_on_submit():
        try:
            services.edit_item(item, current_user, _change_from(form, item.kind))
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            flash(_("Your changes are saved. The old version is in the history."), "ok")
            return redirect(url_for(".show", item_id=item.id), 303)
    return render("knowledge/edit.html", form=form, kind=item.kind, item=item, similar=[])


@bp.get("/<int:item_id>/geschiedenis")
def history(item_id: int):
    """The earlier versions of an item."""
    item = _visible_item_or_404(item_id)
    return render(
        "knowledge/history.html",
        item=item,
        revisions=queries.revisions_of(item),
        field_labels=FIELD_LABELS,
        show_author=access.shows_author(item, current_user),
    )


@bp.post("/<int:item_id>/reacties")
@login_required
def reply(item_id: int):
    """Reply to an item (or to a reply). htmx gets the updated replies; others a redirect."""
    item = _visible_item_or_404(item_id)
    form = ReplyForm()
    parent = None
    if form.parent_id.data:
        parent = db.session.get(Reply, parse_id(form.parent_id.data) or 0)
        if parent is None or parent.item_id != item.id:
            abort(404)
    if form.validate_on_submit():
        try:
            new_reply = services.add_reply(
                item, current_user, form.body.data, form.perspective.data, parent
            )
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            if not wants_fragment():
                flash(_("Thank you for your reply."), "ok")
                return redirect(
                    url_for(".show", item_id=item.id, _anchor=f"reactie-{new_reply.id}"), 303
                )
            form = ReplyForm(formdata=None)
            form.perspective.data = current_user.perspective
    return _render_item(item, form)


@bp.route("/reacties/<int:reply_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_reply(reply_id: int):
    """The author of a reply changes it."""
    reply_ = db.session.get(Reply, reply_id) or abort(404)
    item = _visible_item_or_404(reply_.item_id)
    if reply_.author_id != current_user.id:
        abort(403)
    form = ReplyForm(obj=reply_ if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_reply(reply_, form.body.data)
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            flash(_("Your reply is saved."), "ok")
            return redirect(url_for(".show", item_id=item.id, _anchor=f"reactie-{reply_.id}"), 303)
    return render("knowledge/edit_reply.html", form=form, item=item, reply=reply_)


@bp.post("/<int:item_id>/besluit")
@login_required
def decide(item_id: int):
    """Close the loop: the decision and why."""
    item = _managed_item(item_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.record_decision(item, current_user, form.decision.data)
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            flash(_("The decision is recorded. Later, tell others how it worked out."), "ok")
            return redirect(url_for(".show", item_id=item.id), 303)
    return _render_item(item, ReplyForm(formdata=None), decision_form=form)


@bp.post("/<int:item_id>/evaluatie")
@login_required
def evaluate(item_id: int):
    """Close the loop: what happened and the lesson."""
    item = _managed_item(item_id)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            services.record_evaluation(item, current_user, form.outcome.data, form.lesson.data)
        except RuleError as error:
            field_error(form, error, fallback="title")
        else:
            flash(_("Thank you for closing the loop. Others can learn from this."), "ok")
            return redirect(url_for(".show", item_id=item.id), 303)
    return _render_item(item, ReplyForm(formdata=None), evaluation_form=form)


def _toggle_target(item: Item):
    return redirect(url_for(".show", item_id=item.id), 303)


@bp.post("/<int:item_id>/herken")
@login_required
def recognise(item_id: int):
    """ "Ik herken dit" (or take it back)."""
    item = _visible_item_or_404(item_id)
    services.set_recognised(item, current_user, request.form.get("aan") == "1")
    return _toggle_target(item)


@bp.post("/<int:item_id>/volg")
@login_required
def follow(item_id: int):
    """Follow an item (or stop)."""
    item = _visible_item_or_404(item_id)
    services.set_following(item, current_user, request.form.get("aan") == "1")
    return _toggle_target(item)


@bp.post("/reacties/<int:reply_id>/hielp")
@login_required
def helped(reply_id: int):
    """The author of the item marks a reply "dit hielp mij"."""
    reply_ = db.session.get(Reply, reply_id) or abort(404)
    item = _visible_item_or_404(reply_.item_id)
    if item.author_id != current_user.id:
        abort(403)
    services.set_helped(reply_, request.form.get("aan") == "1")
    return redirect(url_for(".show", item_id=item.id, _anchor=f"reactie-{reply_.id}"), 303)


@bp.post("/reacties/<int:reply_id>/nuttig")
@login_required
def useful(reply_id: int):
    """Any member marks a reply "nuttig"."""
    reply_ = db.session.get(Reply, reply_id) or abort(404)
    item = _visible_item_or_404(reply_.item_id)
    services.set_useful(reply_, current_user, request.form.get("aan") == "1")
    return redirect(url_for(".show", item_id=item.id, _anchor=f"reactie-{reply_.id}"), 303)


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the newest public items: nothing else ever appears in it."""
    items, _more = queries.list_items(queries.ListQuery(sort="newest"), None, 30)
    body = render_template("knowledge/feed.xml", items=items)  # .xml: autoescaped
    return Response(body, mimetype="application/atom+xml")
