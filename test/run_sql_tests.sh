#!/bin/bash
# Runs the pgTAP suites in the cluster pg_virtualenv made (PGHOST/PGPORT/PGUSER are set):
# one database with smup and the shipped register, then every test/sql/**/*.pg through
# pg_prove, once normally and once with parallel query forced on every aggregate.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGDATABASE=smup_test
dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION smup CASCADE'
echo "# loading the shipped data"
psql -X -q -v ON_ERROR_STOP=1 -v datadir=data -f data/load.psql > /dev/null

echo "# pg_prove: serial plans"
pg_prove --recurse --ext .pg test/sql

echo "# pg_prove: parallel query forced"
PGOPTIONS="-c force_parallel_mode=regress -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2" \
    pg_prove --recurse --ext .pg test/sql

echo "# docs: every example in docs/*.md, output compared with the page"
if ! tap=$(perl test/doc_examples.pl docs/*.md); then
    grep -v '^ok ' <<< "$tap"
    exit 1
fi
echo "docs: $(grep -c '^ok ' <<< "$tap") examples pass"
