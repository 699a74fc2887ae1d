#!/usr/bin/env bash
# The search tests a second time, on the PostgreSQL search backend (SEARCH_BACKEND=postgresql):
# the search suite itself and the tests of other features that go through search (the
# directory, similar items, matching, privacy, dates in results). Needs a PostgreSQL
# DATABASE_URL; extra arguments go to pytest. CI runs it after the PostgreSQL run.
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test scripts/test-search-postgresql.sh
set -euo pipefail
cd "$(dirname "$0")/.."
case "${DATABASE_URL:-}" in
  postgres*) ;;
  *) echo "DATABASE_URL must point at PostgreSQL" >&2; exit 2 ;;
esac
export SEARCH_BACKEND=postgresql
echo "==> Search tests on the PostgreSQL search backend (${DATABASE_URL})"
exec .venv/bin/python -m pytest "$@" \
  tests/test_search.py \
  tests/test_search_state.py \
  tests/browser/test_search.py \
  tests/test_members.py::test_a_member_fills_in_a_profile_that_shows_give_and_take \
  tests/test_members.py::test_the_directory_finds_the_expert_by_what_they_offer \
  tests/test_members.py::test_directory_filters \
  tests/test_members.py::test_directory_fragment_for_htmx \
  tests/test_members.py::test_directory_pages \
  tests/test_knowledge.py::test_visibility_public_members_and_group \
  tests/test_knowledge.py::test_similar_items_while_typing_and_without_javascript \
  tests/test_access.py::test_the_group_itself_reads_every_secret \
  tests/test_privacy.py::test_download_holds_everything_about_me \
  tests/test_privacy.py::test_delete_account_keeps_contributions_under_former_member_and_the_name_nowhere \
  tests/test_group_privacy.py::test_a_removed_member_loses_the_space_posts_search_and_notifications_at_once \
  tests/test_dates.py::test_search_shows_the_date_as_the_item_page_does \
  tests/test_dates.py::test_an_event_in_search_shows_its_day_as_the_agenda_does \
  tests/test_notify_matching.py::test_a_fitting_member_is_suggested_with_a_reason \
  tests/test_notify_matching.py::test_an_opted_out_member_is_never_suggested_nor_asked \
  tests/test_notify_matching.py::test_where_my_knowledge_is_asked \
  tests/test_backup.py
