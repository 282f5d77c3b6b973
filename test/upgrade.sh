#!/bin/bash
# The upgrade path: a database made with smup 0.1 (sql/smup--0.1.sql, kept as released), loaded and
# refreshed there, then ALTER EXTENSION smup UPDATE to the current version and refreshed again,
# must equal a fresh install of the current version with the same data (the database named in $1,
# as run_sql_tests.sh leaves it right after its load and refresh):
#   - the catalogue: every object of the extension with its definition, labels, settings,
#     grants, comments and extconfig (test/upgrade/catalogue.sql), line for line;
#   - the data: every table of smup, row for row (derived tables included: the views are
#     functions of them).
# Run by test/run_sql_tests.sh in the pg_virtualenv cluster (PGHOST/PGPORT/PGUSER set).
set -euo pipefail
cd "$(dirname "$0")/.."
fresh_db=${1:-smup_test}
db=smup_upgrade
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" smup.control)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"  # errors still reach the log, NOTICEs not
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

dropdb --if-exists "$db"
createdb "$db"
q -c "CREATE EXTENSION smup VERSION '0.1' CASCADE"
q -v datadir=data -f data/load.psql > /dev/null
q -c 'SELECT count(*) FROM smup.refresh()' > /dev/null
q -c "ALTER EXTENSION smup UPDATE TO '$version'"
installed=$(q -At -c "SELECT extversion FROM pg_extension WHERE extname = 'smup'")
if [ "$installed" = "$version" ]; then echo "ok - 0.1 updated to $version"; else echo "not ok - 0.1 updated to $installed, not $version"; exit 1; fi
q -c 'SELECT count(*) FROM smup.refresh()' > /dev/null

differ=0
psql -X -q -d "$db" -f test/upgrade/catalogue.sql > /tmp/smup_catalogue_updated.txt
psql -X -q -d "$fresh_db" -f test/upgrade/catalogue.sql > /tmp/smup_catalogue_fresh.txt
if diff -u /tmp/smup_catalogue_fresh.txt /tmp/smup_catalogue_updated.txt > /tmp/smup_catalogue.diff; then
    echo "ok - the catalogue of 0.1 updated to $version equals a fresh $version ($(wc -l < /tmp/smup_catalogue_fresh.txt) lines)"
else
    echo "not ok - the catalogue of 0.1 updated to $version differs from a fresh $version (- fresh, + updated):"
    sed 's/^/# /' /tmp/smup_catalogue.diff | head -60
    differ=1
fi

source test/lib/compare_tables.sh
compare_tables "$fresh_db" "$db" "after an update from 0.1 and a refresh" load_log || differ=1
log='SELECT md5(string_agg(concat_ws(chr(9), load_id, file, loader, outcome, observations, rejected, skipped, note), chr(10) ORDER BY load_id)) FROM smup.load_log'
if [ "$(psql -X -At -d "$fresh_db" -c "$log")" = "$(q -At -c "$log")" ]; then echo "ok - smup.load_log identical after an update from 0.1 (but its times)";
else echo "not ok - smup.load_log differs after an update from 0.1"; differ=1; fi
dropdb "$db"
exit $differ
