#!/bin/bash
# Runs every bench/bench_*.sh in the cluster pg_virtualenv made (PGHOST/PGPORT/PGUSER set).
# Each prints its own timings and ratios against the idiomatic SQL/PostGIS way.
# SMUP_BENCH="bench/bench_similar.sh" runs only those (make bench runs them all).
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=smup_bench
export PGOPTIONS="-c client_min_messages=warning"  # the benches print their own results, not NOTICEs
dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION smup CASCADE'
psql -X -q -v ON_ERROR_STOP=1 -v datadir=data -f data/load.psql > /dev/null
for b in ${SMUP_BENCH:-bench/bench_*.sh}; do
    echo "== $b"
    bash "$b"
done
