"""The daily open-data dump: JSON and CSV files of the public knowledge only, each record with
its licence, listed with the documentation of the fields on /open-data."""

import csv
import io
import json

from tests.test_agenda import make_event  # noqa: F401  (a fixture)
from tests.test_opendata_api import SECRET_WORDS, world  # noqa: F401  (a fixture)


def test_before_the_first_dump_the_page_says_so(app, client):
    from alliance.core.storage import storage

    with app.app_context():  # the file store lives as long as the test session
        for key in list(storage().keys("opendata")):
            storage().delete(key)
    page = client.get("/open-data")
    assert page.status_code == 200
    assert "De eerste export is nog niet gemaakt" in page.text
    assert "/api/v1/openapi.json" in page.text
    assert client.get("/open-data/items.csv").status_code == 404
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_the_dump_holds_public_content_only_with_a_licence_per_record(
    client,
    runner,
    world,  # noqa: F811
):
    result = runner.invoke(args=["opendata", "dump"])
    assert result.exit_code == 0, result.output
    assert "items.json: 3 records" in result.output

    page = client.get("/open-data")
    assert "items.csv" in page.text and "Creative Commons" in page.text
    assert "perspectives_answered" in page.text  # the fields are documented

    items = json.loads(client.get("/open-data/items.json").data)
    assert sorted(i["title"] for i in items) == [
        "Anoniem openbaar dilemma",
        "Openbaar dilemma over de Woo",
        "Openbare ervaring",
    ]
    assert {i["licence"] for i in items} == {"CC-BY-4.0"}
    woo = next(i for i in items if i["id"] == world["public"])
    assert [(r["perspective"], r["author"]) for r in woo["replies"]] == [
        ("beleid", None),
        ("uitvoering", "Zichtbaar Lid"),
    ]

    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/items.csv").text)))
    assert len(rows) == 3 and all(row["licence"] == "CC-BY-4.0" for row in rows)
    woo_row = next(row for row in rows if row["id"] == str(world["public"]))
    assert woo_row["themes"] == "open-informatie"
    assert woo_row["perspectives_answered"] == "beleid|uitvoering"
    replies = list(csv.DictReader(io.StringIO(client.get("/open-data/replies.csv").text)))
    assert {row["author"] for row in replies} == {"", "Zichtbaar Lid"}
    anonymous_reply = next(r for r in replies if r["item_id"] == str(world["anonymous"]))
    assert anonymous_reply["author"] == ""
    lessons = list(csv.DictReader(io.StringIO(client.get("/open-data/lessons.csv").text)))
    assert [row["lesson"] for row in lessons] == ["Begin klein."]
    events = json.loads(client.get("/open-data/events.json").data)
    assert [e["title"] for e in events] == ["Openbare sessie"]
    themes = client.get("/open-data/themes.csv")
    assert "open-informatie" in themes.text

    everything = "".join(
        client.get(f"/open-data/{name}").text
        for name in ("items.json", "items.csv", "replies.csv", "lessons.json", "events.csv")
    )
    for word in SECRET_WORDS:
        assert word not in everything
    assert "Verlegen Lid" not in everything  # no public profile: never named
