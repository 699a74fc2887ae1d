"""Proposals of a working group: proposing, responding (and changing it), closing early and
recording the outcome. Members of the group only; plain forms that come back to the proposal
(an error is shown at the proposal, with what was typed)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core.errors import RuleError
from alliance.core.web import field_error
from alliance.groups import bp, proposals, services
from alliance.groups.forms import ActionForm, OutcomeForm, ProposalForm, ResponseForm
from alliance.groups.views import _as_member, _group_or_404, _rerender_space
from alliance.groups.workmodels import POSITIONS


def _proposal_or_404(group, proposal_id: int):
    proposal = proposals.load_proposal(group, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _back_to(group, proposal_id: int | None = None):
    anchor = f"voorstel-{proposal_id}" if proposal_id else "voorstellen"
    return redirect(url_for(".show", group_id=group.id, _anchor=anchor), 303)


@bp.post("/<int:group_id>/voorstellen")
@login_required
def propose(group_id: int):
    """A member puts a proposal to the group."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            proposal = proposals.propose(
                group, membership.member, form.title.data, form.body.data, form.closes_on.data
            )
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Your proposal is open. The group is asked to respond."), "ok")
            return _back_to(group, proposal.id)
    return _rerender_space(group, membership, proposal_form=form)


@bp.post("/<int:group_id>/voorstellen/<int:proposal_id>/reactie")
@login_required
def respond(group_id: int, proposal_id: int):
    """A member responds (or changes their response) while the proposal is open."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    proposal = _proposal_or_404(group, proposal_id)
    form = ResponseForm()
    form.position.choices = [(key, str(label)) for key, label in POSITIONS.items()]
    if form.validate_on_submit():
        try:
            proposals.respond(
                group, proposal, membership.member, form.position.data or "", form.reason.data
            )
        except RuleError as error:
            if not proposal.is_open() or group.is_archived:  # no form shown: say it there
                flash(str(error), "error")
                return _back_to(group, proposal.id)
            field_error(form, error)
        else:
            flash(_("Your response is saved. You can change it until the proposal closes."), "ok")
            return _back_to(group, proposal.id)
    return _rerender_space(group, membership, response_form=form, response_for=proposal.id)


@bp.post("/<int:group_id>/voorstellen/<int:proposal_id>/sluiten")
@login_required
def close_proposal(group_id: int, proposal_id: int):
    """The proposer or a lead closes the proposal before its day."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    proposal = _proposal_or_404(group, proposal_id)
    if not proposals.may_decide(proposal, current_user.id, services.is_lead(membership)):
        abort(403)
    if ActionForm().validate_on_submit():
        proposals.close_now(group, proposal, membership.member, services.is_lead(membership))
        flash(_("The proposal is closed. Record the outcome."), "ok")
    return _back_to(group, proposal.id)


@bp.post("/<int:group_id>/voorstellen/<int:proposal_id>/uitkomst")
@login_required
def record_outcome(group_id: int, proposal_id: int):
    """The proposer or a lead records the outcome in one sentence."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    proposal = _proposal_or_404(group, proposal_id)
    is_lead = services.is_lead(membership)
    if not proposals.may_decide(proposal, current_user.id, is_lead):
        abort(403)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            proposals.record_outcome(group, proposal, membership.member, form.outcome.data, is_lead)
        except RuleError as error:
            if proposal.is_open():  # the form is not shown then: say it at the proposal
                flash(str(error), "error")
                return _back_to(group, proposal.id)
            field_error(form, error)
        else:
            flash(_("The outcome is recorded."), "ok")
            return _back_to(group, proposal.id)
    return _rerender_space(group, membership, outcome_form=form, outcome_for=proposal.id)
