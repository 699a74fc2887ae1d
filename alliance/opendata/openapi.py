"""The OpenAPI 3.1 description of ``/api/v1/``, served at ``/api/v1/openapi.json``.

Written by hand next to the records it describes (``records.py``); a test validates every
answer of the real API against it with ``openapi-core``, so the two cannot drift apart."""

from alliance.opendata.records import KINDS, STATUSES, TEXT_FIELDS

TIME = {"type": ["string", "null"], "format": "date-time"}
LICENCE_ID = {"type": "string", "description": "SPDX id of the licence of this record."}
SLUGS = {"type": "array", "items": {"type": "string"}, "description": "Theme slugs."}


def _object(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "required": sorted(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


ITEM = _object(
    {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "title": {"type": "string"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "themes": SLUGS,
        "tags": {"type": "array", "items": {"type": "string"}},
        "author": {
            "type": ["string", "null"],
            "description": "The author's name, only when their profile is public and the "
            "item is not anonymous.",
        },
        "organisation_type": {"type": ["string", "null"]},
        "fields": _object(
            {name: {"type": "string"} for name in TEXT_FIELDS},
            "The structured text fields (Markdown); empty when not filled in.",
        ),
        "perspectives_answered": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "last_activity_at": {"type": "string", "format": "date-time"},
        "decided_at": TIME,
        "evaluated_at": TIME,
        "licence": LICENCE_ID,
    },
    "A public dilemma or experience.",
)
REPLY = _object(
    {
        "id": {"type": "integer"},
        "item_id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"]},
        "perspective": {"type": ["string", "null"]},
        "author": {"type": ["string", "null"]},
        "body": {"type": "string"},
        "helped_author": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "licence": LICENCE_ID,
    },
    "A reply, with the perspective it was written from.",
)
ITEM_WITH_REPLIES = _object(
    {
        **ITEM["properties"],
        "replies": {"type": "array", "items": {"$ref": "#/components/schemas/Reply"}},
    },
    "A public item with its public replies.",
)
LESSON = _object(
    {
        "item_id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "title": {"type": "string"},
        "themes": SLUGS,
        "decision": {"type": "string"},
        "outcome": {"type": "string"},
        "lesson": {"type": "string"},
        "evaluated_at": TIME,
        "updated_at": {"type": "string", "format": "date-time"},
        "licence": LICENCE_ID,
    },
    "What was learnt from a public item.",
)
THEME = _object(
    {
        "slug": {"type": "string"},
        "name_nl": {"type": "string"},
        "name_en": {"type": "string"},
        "description_nl": {"type": "string"},
        "description_en": {"type": "string"},
        "retired": {"type": "boolean"},
    },
    "A theme of the action plan.",
)
EVENT = _object(
    {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "kind": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "online": {"type": "boolean"},
        "location": {"type": "string"},
        "themes": SLUGS,
        "report": {"type": ["string", "null"]},
        "report_at": TIME,
        "updated_at": {"type": "string", "format": "date-time"},
        "licence": LICENCE_ID,
    },
    "A public event of the agenda.",
)
PROBLEM = {
    "type": "object",
    "required": ["status", "title", "detail"],
    "properties": {
        "status": {"type": "integer"},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "parameter": {"type": "string"},
    },
}


def _page_of(reference: str) -> dict:
    return _object(
        {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{reference}"}},
            "next_cursor": {"type": ["string", "null"]},
            "links": _object({"next": {"type": ["string", "null"], "format": "uri"}}),
        }
    )


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


CURSOR = _parameter("cursor", "Where the page starts: `next_cursor` of the page before.",
                    {"type": "string"})  # fmt: skip
LIMIT = _parameter("limit", "Records per page.",
                   {"type": "integer", "minimum": 1, "maximum": 100, "default": 25})  # fmt: skip
THEME_FILTER = _parameter("theme", "Only records with this theme (its slug).", {"type": "string"})
KIND_FILTER = _parameter("kind", "Only this kind.", {"type": "string", "enum": list(KINDS)})
STATUS_FILTER = _parameter(
    "status", "Only items with this status.", {"type": "string", "enum": list(STATUSES)}
)
SINCE_FILTER = _parameter(
    "updated_since",
    "Only records changed (or, for items, replied to) at or after this date or time (UTC).",
    {"type": "string"},
)
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of an earlier answer: 304 when nothing changed.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "Version of this answer."}}


def _ok(schema_name: str, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "headers": ETAG_HEADER,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
            },
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
        "400": {"$ref": "#/components/responses/BadParameter"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }


def _get(summary: str, schema_name: str, parameters: list, description: str = "") -> dict:
    return {
        "get": {
            "summary": summary,
            "description": description or summary,
            "parameters": [*parameters, IF_NONE_MATCH],
            "responses": _ok(schema_name, summary),
        }
    }


def document(server_url: str = "/api/v1") -> dict:
    """The OpenAPI 3.1 document, with ``server_url`` as the address of the API."""
    item_path = _get("One public item with its public replies.", "Item", [])
    item_path["get"]["parameters"].insert(
        0, {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    )
    item_path["get"]["responses"]["404"] = {"$ref": "#/components/responses/NotFound"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Alliantie Open Overheid — open data",
            "version": "1.0.0",
            "summary": "The public knowledge of the Alliantie Open Overheid, read-only.",
            "description": (
                "Public dilemmas and experiences with their replies, lessons, themes and public "
                "events. Only what a visitor who is not logged in may see; members are named "
                "only when their profile is public. Lists page by cursor. Every answer has an "
                "ETag; send it back in If-None-Match for a 304. Rate-limited per address."
            ),
            "license": {"name": "CC BY 4.0 (the data)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": _get("What the API offers.", "Index", []),
            "/items": _get(
                "Public dilemmas and experiences, oldest id first.",
                "ItemPage",
                [THEME_FILTER, KIND_FILTER, STATUS_FILTER, SINCE_FILTER, CURSOR, LIMIT],
            ),
            "/items/{item_id}": item_path,
            "/lessons": _get(
                "Lessons learnt on public items.",
                "LessonPage",
                [THEME_FILTER, KIND_FILTER, SINCE_FILTER, CURSOR, LIMIT],
            ),
            "/themes": _get("The themes of the action plan.", "ThemeList", []),
            "/events": _get(
                "Public events with their reports.",
                "EventPage",
                [THEME_FILTER, SINCE_FILTER, CURSOR, LIMIT],
            ),
            "/openapi.json": {
                "get": {
                    "summary": "This description.",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "ItemBase": ITEM,
                "Item": ITEM_WITH_REPLIES,
                "Reply": REPLY,
                "Lesson": LESSON,
                "Theme": THEME,
                "Event": EVENT,
                "ItemPage": _page_of("ItemBase"),
                "LessonPage": _page_of("Lesson"),
                "EventPage": _page_of("Event"),
                "ThemeList": _object(
                    {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Theme"}}}
                ),
                "Index": {
                    "type": "object",
                    "required": ["name", "version", "licence", "openapi", "endpoints"],
                    "properties": {
                        "name": {"type": "string"},
                        "version": {"type": "string"},
                        "licence": _object(
                            {
                                "id": {"type": "string"},
                                "name": {"type": "string"},
                                "url": {"type": "string", "format": "uri"},
                            }
                        ),
                        "openapi": {"type": "string", "format": "uri"},
                        "documentation": {"type": "string", "format": "uri"},
                        "endpoints": {
                            "type": "object",
                            "additionalProperties": {"type": "string", "format": "uri"},
                        },
                    },
                },
                "Problem": PROBLEM,
            },
            "responses": {
                "BadParameter": {
                    "description": "A query parameter the API cannot use.",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                },
                "NotFound": {
                    "description": "No public record with this id.",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                },
                "TooManyRequests": {
                    "description": "Too many requests from this address; see Retry-After.",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                },
            },
        },
    }
