#!/bin/bash
# A bounded sqlsmith run (random SQL over every function, type and view the catalogue holds,
# smup's included) against a database with smup and the shipped data, in the throwaway cluster
# pg_virtualenv made. Passes when the server survived: no backend died of a signal, no PANIC.
#   pg_virtualenv -t -v 15 scripts/sqlsmith.sh [max_queries]
set -euo pipefail
cd "$(dirname "$0")/.."
max_queries=${1:-3000}
export PGDATABASE=smup_fuzz
dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION smup CASCADE'
psql -X -q -v ON_ERROR_STOP=1 -v datadir=data -f data/load.psql > /dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -c 'SELECT count(*) FROM smup.refresh()' > /dev/null
# sqlsmith's own queries run as a role that cannot write smup's data: errors are expected, crashes are not
psql -X -q -c "DROP ROLE IF EXISTS smup_smith" -c "CREATE ROLE smup_smith LOGIN PASSWORD 'smup_smith' IN ROLE smup_reader" \
     -c "ALTER ROLE smup_smith SET statement_timeout = '2s'"
# the server log: pg_virtualenv keeps it beside its cluster configuration
log="$(dirname "${PG_CLUSTER_CONF_ROOT:-/nonexistent/x}")/log/postgresql-${PGVERSION:-15}-regress.log"
if [ ! -r "$log" ]; then
    echo "sqlsmith: cannot find the server log ($log): run under pg_virtualenv"
    exit 1
fi
before=$(wc -l < "$log" 2>/dev/null || echo 0)
sqlsmith --target="host=localhost port=${PGPORT:-5432} dbname=$PGDATABASE user=smup_smith password=smup_smith" \
         --max-queries="$max_queries" --seed=1 --exclude-catalog --verbose > /tmp/sqlsmith.out 2>&1 || true
tail -n +"$((before + 1))" "$log" > /tmp/sqlsmith.server.log
if grep -E "terminated by signal|PANIC|was terminated|server process .* exited with exit code [^0]" /tmp/sqlsmith.server.log; then
    echo "sqlsmith: the server crashed (see above)"
    exit 1
fi
# sqlsmith's queries that failed are logged as errors: none at all means it never reached the server
errors=$(grep -c 'smup_smith@.*ERROR' /tmp/sqlsmith.server.log || true)
if [ "$errors" -eq 0 ]; then
    echo "sqlsmith: no query of sqlsmith's reached the server (see /tmp/sqlsmith.out)"
    exit 1
fi
echo "sqlsmith: $max_queries queries, the server survived ($errors of them ended in an ordinary error)"
