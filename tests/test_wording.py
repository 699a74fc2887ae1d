"""In Dutch "aanmelden" reads as both signing in and signing up: for an account the texts say
"registreren" or "account aanmaken" ("aanmelden" stays for events and groups)."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = (
    Path(__file__).resolve().parent.parent / "alliance/translations/nl/LC_MESSAGES/messages.po"
)


def test_texts_about_an_account_never_say_aanmelden():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        about_an_account = any("regist" in i.lower() or "account" in i.lower() for i in ids if i)
        if about_an_account and any(
            "anmeld" in t.lower() or "angemeld" in t.lower() for t in texts
        ):
            wrong.append((ids[0], texts[0]))
    assert not wrong, wrong
