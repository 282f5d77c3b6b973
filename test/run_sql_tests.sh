#!/bin/bash
# Runs the pgTAP suites in the cluster pg_virtualenv made (PGHOST/PGPORT/PGUSER are set):
# one database with smup and the shipped register, then every test/sql/**/*.pg through
# pg_prove, once normally and once with parallel query forced on every aggregate.
# While working on one part, SMUP_TESTS="test/sql/stats" SMUP_DOCS="docs/trend.md" runs only
# those (and the JDBC check only with SMUP_JDBC=1, the report in Chromium only with SMUP_REPORT=1,
# the update from 0.1 only with SMUP_UPGRADE=1); make check sets none of them.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGDATABASE=smup_test
dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION smup CASCADE'
echo "# loading the shipped data"
psql -X -q -v ON_ERROR_STOP=1 -v datadir=data -f data/load.psql > /dev/null
echo "# smup.refresh()"
psql -X -q -v ON_ERROR_STOP=1 -c 'SELECT * FROM smup.refresh()'

if [ -z "${SMUP_TESTS:-}${SMUP_DOCS:-}" ] || [ -n "${SMUP_UPGRADE:-}" ]; then
    # (now, while the database is as a fresh install with the shipped data leaves it)
    echo "# upgrade: a 0.1 database updated to this version equals a fresh install"
    if ! tap=$(test/upgrade.sh "$PGDATABASE"); then
        grep -v '^ok ' <<< "$tap"
        exit 1
    fi
    echo "upgrade: $(grep -c '^ok ' <<< "$tap") checks pass"
fi

if [ -z "${SMUP_TESTS:-}" ]; then
    echo "# PostGIS in a schema of its own, off the search_path"
    dropdb --if-exists smup_postgis_schema
    createdb smup_postgis_schema
    PGDATABASE=smup_postgis_schema psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA postgis' \
        -c 'CREATE EXTENSION postgis SCHEMA postgis' -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION smup'
    PGDATABASE=smup_postgis_schema psql -X -q -v ON_ERROR_STOP=1 -v datadir=data -f data/load_jst.psql > /dev/null
    PGDATABASE=smup_postgis_schema pg_prove test/sql_postgis_schema
    dropdb smup_postgis_schema
fi

# PostgreSQL 16 renamed force_parallel_mode to debug_parallel_query: the tests name it through this
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE SCHEMA test_util;
CREATE FUNCTION test_util.serial_writes() RETURNS void LANGUAGE sql AS $$
    SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query'
                           ELSE 'force_parallel_mode' END, 'off', true)
$$;
COMMENT ON FUNCTION test_util.serial_writes() IS 'Tests: turns forced parallel plans off for the transaction (a test that writes).';
SQL
parallel_guc=$(psql -X -At -c "SELECT CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END")

echo "# pg_prove: serial plans"
pg_prove --recurse --ext .pg ${SMUP_TESTS:-test/sql}

if [ -z "${SMUP_TESTS:-}" ]; then
    # a shared database is not run by a superuser: the database's owner, a loader and nothing
    # more, plants the hostile public objects and runs what users run
    echo "# the hostile-public suite again as a non-superuser (the database's owner, smup_loader)"
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -c "DROP ROLE IF EXISTS smup_db_owner" \
        -c "CREATE ROLE smup_db_owner LOGIN PASSWORD 'smup_db_owner' IN ROLE smup_loader" \
        -c "ALTER DATABASE $PGDATABASE OWNER TO smup_db_owner" -c "GRANT USAGE ON SCHEMA test_util TO smup_db_owner"
    PGHOST=localhost PGUSER=smup_db_owner PGPASSWORD=smup_db_owner pg_prove test/sql/hardening/hostile_public.pg
    psql -X -q -v ON_ERROR_STOP=1 -c "ALTER DATABASE $PGDATABASE OWNER TO CURRENT_USER"
fi

echo "# pg_prove: parallel query forced"
# (not the suites that write: they turn forced parallel mode off for their whole transaction, so
# a second run would repeat the first)
parallel_suites=$(grep -rL --include='*.pg' 'test_util.serial_writes()' ${SMUP_TESTS:-test/sql} | sort || true)  # (none: grep fails)
if [ -n "$parallel_suites" ]; then
    PGOPTIONS="-c $parallel_guc=regress -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2" \
        pg_prove $parallel_suites
fi

if [ -z "${SMUP_TESTS:-}${SMUP_DOCS:-}" ] || [ -n "${SMUP_JDBC:-}" ]; then
    echo "# JDBC: what Metabase's sync does, as a role with smup_reader"
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -c "DROP ROLE IF EXISTS smup_jdbc_test" -c "CREATE ROLE smup_jdbc_test LOGIN PASSWORD 'smup_jdbc_test' IN ROLE smup_reader"
    if ! tap=$(java -cp /usr/share/java/postgresql.jar test/jdbc/MetabaseSync.java \
              "jdbc:postgresql://localhost:${PGPORT:-5432}/$PGDATABASE" smup_jdbc_test smup_jdbc_test); then
        grep -v '^ok ' <<< "$tap"
        exit 1
    fi
    echo "jdbc: $(grep -c '^ok ' <<< "$tap") checks pass"
fi

echo "# docs: every example in docs/*.md, output compared with the page"
if ! tap=$(perl test/doc_examples.pl ${SMUP_DOCS:-docs/*.md}); then
    grep -v '^ok ' <<< "$tap"
    exit 1
fi
echo "docs: $(grep -c '^ok ' <<< "$tap") examples pass"

if [ -z "${SMUP_DOCS:-}" ] || [ -n "${SMUP_JDBC:-}" ]; then
    # what the docs point a reader to must work for a reader: the tutorial and the pages of the
    # BI surface, run again as a login that has smup_reader and nothing else
    echo "# docs: the reader's pages as a BI login (smup_reader)"
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -c "DROP ROLE IF EXISTS smup_bi" \
        -c "CREATE ROLE smup_bi LOGIN PASSWORD 'smup_bi' IN ROLE smup_reader"
    reader_pages="docs/tutorial.md docs/guide-metabase.md docs/profile.md docs/coverage.md docs/jst_label.md
                  docs/indicator_catalogue.md docs/benchmark.md docs/indicator_value.md docs/comparison_group.md
                  docs/neighbours.md docs/jst_id.md docs/jst.md docs/jst_map.md"
    if ! tap=$(PGHOST=localhost PGUSER=smup_bi PGPASSWORD=smup_bi perl test/doc_examples.pl $reader_pages); then
        grep -v '^ok ' <<< "$tap"
        exit 1
    fi
    echo "docs as smup_bi: $(grep -c '^ok ' <<< "$tap") examples pass"
fi

if [ -z "${SMUP_TESTS:-}${SMUP_DOCS:-}" ] || [ -n "${SMUP_REPORT:-}" ]; then
    echo "# the report in a browser: smup.report's html rendered by headless Chromium"
    if ! tap=$(test/report/render.sh); then
        grep -v '^ok ' <<< "$tap"
        exit 1
    fi
    echo "report: $(grep -c '^ok ' <<< "$tap") checks pass"
fi

if [ -z "${SMUP_TESTS:-}${SMUP_DOCS:-}" ]; then
    echo "# dump and restore: user data kept, derived data rebuilt identical"
    if ! tap=$(test/dump_restore.sh smup_test); then
        grep -v '^ok ' <<< "$tap"
        exit 1
    fi
    echo "dump/restore: $(grep -c '^ok ' <<< "$tap") checks pass"
fi
