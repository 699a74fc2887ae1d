"""publiccode.yml (standard 0.4) in the repository root: the keys the standard requires, with
values of the forms it allows (the official parser is a Go program; these are its rules that
a change here could break)."""

import re
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: From the standard's list of categories (the ones this file may use).
CATEGORIES = {
    "collaboration", "content-management", "e-participation", "event-management",
    "knowledge-management", "data-collection", "communications",
}  # fmt: skip


def test_publiccode_yml_has_what_the_standard_requires():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "categories", "developmentStatus", "softwareType",
                "description", "legal", "maintenance", "localisation"):  # fmt: skip
        assert data.get(key), key
    assert re.match(r"^https://", data["url"])
    date.fromisoformat(data["releaseDate"])
    assert set(data["categories"]) <= CATEGORIES
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] == "standalone/web"
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] == "internal" and data["maintenance"]["contacts"]
    assert data["localisation"]["availableLanguages"] == ["nl", "en"]
    for language in ("nl", "en"):
        text = data["description"][language]
        assert len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10000, language
        assert all(len(feature) <= 100 for feature in text["features"]), language
