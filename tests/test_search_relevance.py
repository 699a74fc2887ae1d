"""The relevance benchmark (bench/relevance/) as a floor: nDCG@10 on the graded Dutch queries,
overall and on the held-out third, may not fall more than 0.02 below the figures recorded in
bench/relevance/baseline.json, and no query may find nothing. The app side only (the plain
Whoosh reference is for the report, not for this floor); about 15 seconds."""

import json
import sys
from pathlib import Path

import pytest

RELEVANCE = Path(__file__).resolve().parents[1] / "bench" / "relevance"
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    sys.path.insert(0, str(RELEVANCE))
    try:
        import appside
        import judged
    finally:
        sys.path.remove(str(RELEVANCE))
    corpus = judged.load_corpus()
    queries = judged.load_queries({item["id"] for item in corpus})
    app = appside.make_app(tmp_path_factory.mktemp("relevance"))
    ids = appside.load_corpus(app, corpus, lambda message: None)
    asker = appside.AppSearch(app, ids)
    rows = []
    for query in queries:
        found, _info = asker.ask(query.text, False, judged.DEPTH)
        rows.append((query, found, judged.ndcg(found, query.grades)))
    return judged, rows


def test_relevance_does_not_fall_below_the_recorded_figures(scores):
    judged, rows = scores
    baseline = json.loads((RELEVANCE / "baseline.json").read_text(encoding="utf-8"))
    overall = judged.mean([score for _q, _f, score in rows])
    heldout = judged.mean([score for q, _f, score in rows if q.heldout])
    empty = [q.text for q, found, _s in rows if not found]
    assert not empty, f"queries without a hit: {empty}"
    assert overall >= baseline["overall"] - TOLERANCE, (overall, baseline)
    assert heldout >= baseline["heldout"] - TOLERANCE, (heldout, baseline)
