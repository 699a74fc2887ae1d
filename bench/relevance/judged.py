"""The corpus, the graded queries, and the measures: nDCG@10 and zero hits.

The corpus is every ``corpus/*.json`` file here (a list of items each); the queries are
``queries.json``. Both are checked when loaded, so that a typo in an id or a grade fails loudly
instead of quietly lowering a score."""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
QUERIES_FILE = HERE / "queries.json"

#: The categories of queries, in the order the report shows them.
CATEGORIES = (
    "single",
    "stems",
    "compounds",
    "synonyms",
    "abbreviations",
    "typos",
    "prefix",
    "phrases",
    "questions",
)
KINDS = ("dilemma", "ervaring")
PERSPECTIVES = ("beleid", "uitvoering", "maatschappij", "inwoner", "onderzoek")
DILEMMA_FIELDS = ("situation", "tension", "options", "constraints")
EXPERIENCE_FIELDS = ("what_we_did", "what_worked", "what_failed", "lesson", "links")
DEPTH = 10


@dataclass
class Query:
    """One graded query: ``grades`` maps a corpus id to 1–3 (unlisted ids are 0)."""

    text: str
    category: str
    heldout: bool
    grades: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def part(self) -> str:
        return "held-out" if self.heldout else "tuning"


def load_corpus() -> list[dict]:
    """All items of all corpus files, checked, in file and list order."""
    items = []
    for path in sorted(CORPUS_DIR.glob("*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    seen = set()
    for item in items:
        where = item.get("id", "?")
        assert item["id"] not in seen, f"duplicate corpus id {where}"
        seen.add(item["id"])
        assert item["kind"] in KINDS, where
        assert item["title"].strip(), where
        allowed = DILEMMA_FIELDS if item["kind"] == "dilemma" else EXPERIENCE_FIELDS
        assert set(item["fields"]) <= set(allowed), f"{where}: fields {set(item['fields'])}"
        assert item.get("visibility", "members") in ("public", "members"), where
        assert all(r["perspective"] in PERSPECTIVES for r in item["replies"]), where
        if item.get("outcome"):
            assert item["kind"] == "dilemma" and item.get("decision") and item.get("lesson"), where
    return items


def load_queries(corpus_ids: set[str]) -> list[Query]:
    """The graded queries, checked against the corpus."""
    raw = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    queries = [
        Query(q["text"], q["category"], bool(q["heldout"]), dict(q["grades"]), q.get("note", ""))
        for q in raw["queries"]
    ]
    texts = set()
    for query in queries:
        assert query.text not in texts, f"duplicate query {query.text!r}"
        texts.add(query.text)
        assert query.category in CATEGORIES, f"{query.text!r}: category {query.category}"
        unknown = set(query.grades) - corpus_ids
        assert not unknown, f"{query.text!r}: unknown ids {sorted(unknown)}"
        assert all(grade in (1, 2, 3) for grade in query.grades.values()), query.text
        assert max(query.grades.values(), default=0) >= 2, f"{query.text!r}: nothing relevant"
    heldout = sum(q.heldout for q in queries)
    assert heldout * 3 == len(queries), f"{heldout} of {len(queries)} held out, not a third"
    return queries


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth with gains 2^grade − 1 and a log2 discount; the ideal ranking is the
    judged grades sorted, best first."""

    def dcg(values: list[int]) -> float:
        return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(values))

    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    if not ideal:
        return 0.0
    return dcg([grades.get(item, 0) for item in ranked[:depth]]) / ideal


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")
