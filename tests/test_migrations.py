"""The schema is made only by migrations: they upgrade an empty database, match the models,
and downgrade again — on SQLite and on PostgreSQL."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from alliance import create_app
from alliance.extensions import db
from tests.conftest import database_settings

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


#: Partial indexes, made by a migration and not declared in the models: Alembic cannot compare
#: their conditions (it reports them as removed and added again).
PARTIAL_INDEXES = {
    "ix_search_document_sample_words",
    "ix_search_document_sample_created",
    "ix_search_document_visitor_words",
}


def _comparable(thing, name, kind, _reflected, _compare_to) -> bool:
    return not (kind == "index" and name in PARTIAL_INDEXES)


def test_upgrade_matches_models_and_downgrade_empties(tmp_path_factory):
    settings, drop = database_settings(tmp_path_factory)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", **settings})
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection,
                    opts={"compare_type": True, "include_object": _comparable},
                )
                assert compare_metadata(context, db.metadata) == []
                tables = set(inspect(connection).get_table_names())
            assert {"member", "theme", "login_session", "outgoing_mail"} <= tables
            downgrade(directory=MIGRATIONS, revision="base")
            with db.engine.connect() as connection:
                assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            upgrade(directory=MIGRATIONS)  # and up again, as a re-deploy would
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
