"""The relevance benchmark (bench/relevance/) as a floor: nDCG@10 on the graded Dutch queries,
overall and on the held-out third, may not fall more than 0.02 below the figures recorded in
bench/relevance/baseline.json, and no query may find nothing. The app side only (the plain
Whoosh reference is for the report, not for this floor); about 15 seconds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RELEVANCE = Path(__file__).resolve().parents[1] / "bench" / "relevance"
TOLERANCE = 0.02

# The benchmark makes an app of its own (its own database, index and settings). In this process
# that second app would change what the test app shares with it (the limiter's switch, the
# search backend): the throttling tests after it passed every attempt, and the test database
# went away ("disk I/O error"). So it runs in a process of its own and reports its scores.
SCRIPT = """
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import appside, judged
corpus = judged.load_corpus()
queries = judged.load_queries({item["id"] for item in corpus})
app = appside.make_app(Path(tempfile.mkdtemp(prefix="relevance-")))
ids = appside.load_corpus(app, corpus, lambda message: None)
asker = appside.AppSearch(app, ids)
rows = []
for query in queries:
    found, _info = asker.ask(query.text, False, judged.DEPTH)
    rows.append({"text": query.text, "heldout": query.heldout, "found": bool(found),
                 "score": judged.ndcg(found, query.grades)})
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def rows():
    # The recorded floor is Whoosh's (the benchmark's own SQLite database): with
    # SEARCH_BACKEND=postgresql this test still guards Whoosh, and PostgreSQL's score is
    # reported by `bench/relevance/run.py --backend postgresql` (it needs a database of its own).
    env = {key: value for key, value in os.environ.items() if key != "SEARCH_BACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(RELEVANCE)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=RELEVANCE.parents[1],
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def test_relevance_does_not_fall_below_the_recorded_figures(rows):
    baseline = json.loads((RELEVANCE / "baseline.json").read_text(encoding="utf-8"))
    overall = mean(row["score"] for row in rows)
    heldout = mean(row["score"] for row in rows if row["heldout"])
    empty = [row["text"] for row in rows if not row["found"]]
    assert not empty, f"queries without a hit: {empty}"
    assert overall >= baseline["overall"] - TOLERANCE, (overall, baseline)
    assert heldout >= baseline["heldout"] - TOLERANCE, (heldout, baseline)
