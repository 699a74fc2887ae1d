"""Documents of a working group: the list, uploading (a new document or a new version),
deleting, and downloading through our own route (``Content-Disposition: attachment``,
``nosniff``; never from the static folder). Members of the group only; a document published
with the group's result can be downloaded by whoever may read that result."""

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core import uploads
from alliance.core.errors import RuleError
from alliance.core.storage import storage
from alliance.core.web import parse_id, render
from alliance.groups import bp, documents, services
from alliance.groups.forms import ActionForm, DocumentForm
from alliance.groups.views import _as_member, _group_or_404
from alliance.knowledge.access import can_view
from alliance.knowledge.queries import load_item

UPLOAD_ENDPOINTS = {"groups.upload_document", "groups.upload_version"}


@bp.url_value_preprocessor
def allow_large_uploads(endpoint, _values) -> None:
    """Before anything reads the request (the CSRF check reads the form): an upload may be up
    to the document limit instead of the site's 2 MB, and one that announces more is refused
    at once, before its body is read."""
    if endpoint not in UPLOAD_ENDPOINTS:
        return
    limit = documents.max_bytes()
    if uploads.too_large(limit):
        abort(413)
    request.max_content_length = limit + 64 * 1024


@bp.errorhandler(413)
def too_large(_error):
    """An upload larger than a document may be: said plainly, with the limit. The rest of the
    body is not read; the connection is closed."""
    page = render_template("groups/too_large.html", limit=documents.max_bytes() // 1024 // 1024)
    response = make_response(page, 413)
    response.headers["Connection"] = "close"
    return response


def _document_or_404(group, document_id: int):
    document = documents.load_document(group, document_id)
    if document is None:
        abort(404)
    return document


def _upload_failed(group, membership, form, document=None):
    page = "groups/document.html" if document is not None else "groups/documents.html"
    return render(
        page,
        group=group,
        form=form,
        document=document,
        versions=list(document.versions) if document is not None else [],
        documents=documents.documents_of(group, limit=None) if document is None else [],
        used=documents.used_bytes(group.id),
        quota=documents.quota_bytes(),
        is_lead=services.is_lead(membership),
        human_size=documents.human_size,
    )


@bp.get("/<int:group_id>/documenten")
@login_required
def documents_page(group_id: int):
    """Every document of the group, and sharing a new one."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    return _upload_failed(group, membership, DocumentForm(formdata=None))


@bp.post("/<int:group_id>/documenten")
@login_required
def upload_document(group_id: int):
    """Share a new document (a plain form: the file travels as multipart)."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    form = DocumentForm()
    if form.validate_on_submit():
        file = request.files.get("file")
        if file is None or not file.filename:
            form.title.errors = list(form.title.errors)
            form.file_error = _("Choose a file.")
        else:
            try:
                document = documents.upload(
                    group,
                    membership.member,
                    file.stream,
                    file.filename,
                    form.title.data or "",
                    form.note.data or "",
                )
            except RuleError as error:
                form.file_error = str(error)
            else:
                flash(_("The document “%(title)s” is shared.", title=document.title), "ok")
                return redirect(
                    url_for(".show", group_id=group.id, _anchor=f"document-{document.id}"), 303
                )
    return _upload_failed(group, membership, form)


@bp.get("/<int:group_id>/documenten/<int:document_id>")
@login_required
def document(group_id: int, document_id: int):
    """A document with its versions, and uploading a new version."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    document = _document_or_404(group, document_id)
    return _upload_failed(group, membership, DocumentForm(formdata=None), document)


@bp.post("/<int:group_id>/documenten/<int:document_id>/versies")
@login_required
def upload_version(group_id: int, document_id: int):
    """Upload a new version of a document; the old ones stay."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    document = _document_or_404(group, document_id)
    form = DocumentForm()
    if form.validate_on_submit():
        file = request.files.get("file")
        if file is None or not file.filename:
            form.file_error = _("Choose a file.")
        else:
            try:
                version = documents.add_version(
                    group,
                    document,
                    membership.member,
                    file.stream,
                    file.filename,
                    form.note.data or "",
                )
            except RuleError as error:
                form.file_error = str(error)
            else:
                flash(_("Version %(num)d is uploaded.", num=version.number), "ok")
                return redirect(
                    url_for(".document", group_id=group.id, document_id=document.id), 303
                )
    return _upload_failed(group, membership, form, document)


@bp.post("/<int:group_id>/documenten/<int:document_id>/verwijderen")
@login_required
def delete_document(group_id: int, document_id: int):
    """The uploader or a lead deletes a document."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    document = _document_or_404(group, document_id)
    if not documents.may_delete(document, current_user.id, services.is_lead(membership)):
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            documents.delete(group, document, membership.member, services.is_lead(membership))
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("The document is deleted."), "ok")
    return redirect(url_for(".show", group_id=group.id, _anchor="documenten"), 303)


@bp.get("/<int:group_id>/documenten/<int:document_id>/download")
def download(group_id: int, document_id: int):
    """The file, as an attachment: for the group's current members (every version), and when
    it is published with the result, the newest version for whoever may read the result.
    Anyone else gets a 404: not even whether it exists."""
    group = _group_or_404(group_id)
    document = documents.load_document(group, document_id)
    if document is None:
        abort(404)
    number = parse_id(request.args.get("versie"))
    membership = services.membership_of(group, current_user)
    if not services.is_member(membership):
        result = load_item(document.result_item_id) if document.result_item_id else None
        if result is None or not can_view(result, current_user) or number is not None:
            abort(404)
    version = documents.version_of(document, number)
    if version is None:
        abort(404)
    try:
        handle = storage().open(version.storage_key)
    except (FileNotFoundError, ValueError):
        abort(404)
    response = send_file(
        handle,
        mimetype=version.mime,
        as_attachment=True,
        download_name=version.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Vary"] = "Cookie"
    return response
