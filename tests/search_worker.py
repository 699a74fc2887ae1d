"""A separate process for the search tests: another worker writing at the same time, or one
that dies between its commit and the index update. Configured by SEARCH_WORKER_CONFIG (JSON)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from alliance import create_app  # noqa: E402
from alliance.extensions import db  # noqa: E402


def post(app, author_id: int, title: str) -> None:
    from alliance.knowledge.services import ItemChange, post_item
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        post_item(
            db.session.get(Member, author_id),
            ItemChange(kind="dilemma", title=title, fields={"tension": "Wat doen we?"}),
        )
        db.session.commit()
        db.session.remove()


def main(task: str, *arguments: str) -> None:
    config = json.loads(os.environ["SEARCH_WORKER_CONFIG"])
    app = create_app({"TESTING": True, "SECRET_KEY": "worker", **config})
    author_id = int(arguments[0])
    if task == "post-and-die":
        post(app, author_id, arguments[1])
        os._exit(9)  # killed after the commit, before any drain
    if task == "post-many":
        from alliance.search.index import drain_outbox

        for number in range(int(arguments[2])):
            post(app, author_id, f"{arguments[1]} nummer {number}")
            with app.app_context():
                drain_outbox(wait=30)
                db.session.remove()


if __name__ == "__main__":
    main(*sys.argv[1:])
