"""Every user-facing string is translated: a test fails on an untranslated one."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "alliance" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}
METHODS = [
    ("alliance/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
#: Text that is the same in both languages, or deliberately in one (the language switch).
UNTRANSLATED_TEXT = {"Alliantie Open Overheid", "Nederlands", "English"}


def extracted_messages() -> set[str]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**": {"extensions": "jinja2.ext.i18n"}},
    ):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def dutch_catalog():
    return read_po(io.BytesIO(CATALOG.read_bytes()))


def test_every_message_has_a_dutch_translation():
    catalog = dutch_catalog()
    missing = []
    for message_id in sorted(extracted_messages()):
        entry = catalog.get(message_id)
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple):
            ok = all(strings)
        else:
            ok = bool(strings)
        if entry is None or not ok or entry.fuzzy:
            missing.append(message_id)
    assert not missing, (
        f"{len(missing)} strings lack a Dutch translation; run pybabel extract/update and "
        f"translate them. First ones: {missing[:8]}"
    )


def test_placeholders_survive_translation():
    for entry in dutch_catalog():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", string)) <= wanted | set(
                re.findall(r"%\(\w+\)[sd]", ids[0])
            ), entry.id
            assert wanted - {"%(num)d"} <= set(re.findall(r"%\(\w+\)[sd]", string)), entry.id


def _templates_with_shared_text():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if relative.startswith("pages/info/"):
            continue  # written whole in each language; see the test below
        yield relative, path


@pytest.mark.parametrize("name, path", list(_templates_with_shared_text()))
def test_templates_have_no_hard_coded_text(name, path):
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    attributes = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', source)
    text = re.sub(r"<[^>]*>", " ", source)
    leftovers = [chunk.strip(" ·|–-") for chunk in re.split(r"\s{2,}|\n", text) if chunk.strip()]
    leftovers += [a for a in attributes if a.strip()]
    hard_coded = [
        c for c in leftovers if re.search(r"[A-Za-z]{2,}", c) and c not in UNTRANSLATED_TEXT
    ]
    assert not hard_coded, f"{name} has text outside _(): {hard_coded[:5]}"


def test_information_pages_exist_in_both_languages():
    dutch = {p.name for p in (ROOT / "templates/pages/info/nl").glob("*.html")}
    english = {p.name for p in (ROOT / "templates/pages/info/en").glob("*.html")}
    assert (
        dutch
        == english
        == {"toegankelijkheid.html", "privacy.html", "huisregels.html", "contact.html"}
    )


def test_pages_switch_language(client):
    assert "Naar de inhoud" in client.get("/").text
    client.post("/taal", data={"lang": "en", "next": "/"})
    page = client.get("/").text
    assert "Skip to content" in page and 'lang="en"' in page
    client.post("/taal", data={"lang": "nl"})
    assert 'lang="nl"' in client.get("/").text


def test_a_member_keeps_their_language(app, make_member):
    member = make_member()
    browser = app.test_client()
    browser.post("/inloggen", data={"email": member.email, "password": member.password})
    browser.post("/taal", data={"lang": "en"})
    browser.post("/uitloggen")
    fresh = app.test_client()  # another device: the choice was saved on the account
    fresh.post("/inloggen", data={"email": member.email, "password": member.password})
    assert 'lang="en"' in fresh.get("/").text
