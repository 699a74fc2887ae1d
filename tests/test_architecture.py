"""The floors of the house hold: no import goes up or sideways between features, and every
signal whose effect is required has a receiver in the app."""

import subprocess
import sys
import weakref
from pathlib import Path

from alliance.core import signals

ROOT = Path(__file__).resolve().parent.parent

#: Signals whose effect the product needs: without a receiver a rule silently stops holding
#: (a removed member keeps their event seat, a suspended member stays logged in, an account's
#: data outlives its deletion, search shows what changed or was hidden).
REQUIRED = {
    signals.content_changed: "search",
    signals.member_renamed: "search",
    signals.membership_ended: "agenda",
    signals.member_suspended: "accounts",
    signals.role_changed: "moderation",
    signals.account_erasing: "accounts",
    signals.reply_added: "notify",
    signals.reply_helped: "notify",
    signals.item_evaluated: "notify",
    signals.member_invited: "notify",
    signals.join_requested: "notify",
    signals.join_answered: "notify",
    signals.task_assigned: "notify",
    signals.signup_changed: "notify",
    signals.event_reviewed: "notify",
    signals.report_settled: "notify",
    signals.message_sent: "notify",
    signals.member_blocked: "notify",
    signals.similar_items: "search",
    signals.members_matching: "search",
    signals.login_refusal: "moderation",
    signals.personal_data: "notify",
    signals.reminders_due: "groups",
    signals.reportable_kinds: "agenda",
    signals.search_sources: "groups",
    signals.template_hook: "groups",
}

#: Every feature that keeps something about a member takes part in the export and erasure.
KEEPS_PERSONAL_DATA = (
    "accounts",
    "members",
    "knowledge",
    "groups",
    "agenda",
    "moderation",
    "notify",
    "messages",
)
ERASES = (
    "accounts",
    "knowledge",
    "groups",
    "agenda",
    "moderation",
    "notify",
    "mail",
    "messages",
    "members",
)


def _receiver_modules(signal) -> set[str]:
    return {
        receiver.__module__.split(".")[1]
        for receiver in (
            ref() if isinstance(ref, weakref.ref) else ref for ref in signal.receivers.values()
        )
        if receiver is not None and receiver.__module__.startswith("alliance.")
    }


def test_every_required_signal_has_its_receiver(app):
    for signal, feature in REQUIRED.items():
        assert feature in _receiver_modules(signal), f"{signal.name}: no receiver in {feature}"


def test_every_signal_is_listened_to(app):
    declared = [value for value in vars(signals).values() if isinstance(value, signals.Signal)]
    assert len(declared) >= len(REQUIRED)
    for signal in declared:
        assert _receiver_modules(signal), f"{signal.name} is sent but nobody listens"


def test_every_feature_that_keeps_data_exports_and_erases_it(app):
    assert set(KEEPS_PERSONAL_DATA) <= _receiver_modules(signals.personal_data)
    assert set(ERASES) <= _receiver_modules(signals.account_erasing)


def test_the_floors_hold():
    """import-linter's contracts in pyproject.toml (the layers and the independence of the
    features on floor 5); CI runs this too, through scripts/test.sh."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
