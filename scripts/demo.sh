#!/bin/bash
# The smup demo: a PostgreSQL 15 cluster kept under the project (.demo/), with smup and the
# real shipped data loaded, left running for psql and BI tools (Metabase over JDBC).
#   scripts/demo.sh start   create or restart the cluster, load what is missing, print a report
#   scripts/demo.sh stop    stop the cluster (data kept; start again with `make demo`)
# initdb refuses root, so the server runs as the unprivileged user `postgres` (runuser). When
# that user cannot reach the project directory (a clone under /root, say), the data directory
# lives in /var/lib/postgresql/smup-demo-<hash> and .demo/pgdata points to it.
set -euo pipefail

PROJECT=$(cd "$(dirname "$0")/.." && pwd)
DEMO=$PROJECT/.demo
PG_BIN=$(pg_config --bindir)
RUN_AS=${SMUP_DEMO_USER:-postgres}
DB=smup

log() { printf '[smup demo] %s\n' "$*"; }

as_server_user() {
    # from /, which the server user can always enter (the clone may be in a root-only directory)
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$RUN_AS" -- "$@"); else "$@"; fi
}

data_dir() {
    if [ -L "$DEMO/pgdata" ] || [ -d "$DEMO/pgdata" ]; then
        readlink -f "$DEMO/pgdata"
        return
    fi
    mkdir -p "$DEMO"
    if [ "$(id -u)" = 0 ]; then
        chown "$RUN_AS" "$DEMO"
        if as_server_user test -w "$DEMO"; then
            echo "$DEMO/pgdata"
        else
            local hash
            hash=$(printf '%s' "$PROJECT" | md5sum | cut -c1-12)
            echo "/var/lib/postgresql/smup-demo-$hash"
        fi
    else
        echo "$DEMO/pgdata"
    fi
}

free_port() {
    local port
    for port in $(seq 5488 5600); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free TCP port in 5488-5600" >&2
    exit 1
}

start() {
    local pgdata port superpw readerpw
    pgdata=$(data_dir)
    mkdir -p "$DEMO"
    if [ -f "$DEMO/env" ]; then
        # shellcheck disable=SC1091
        port=$(. "$DEMO/env" && echo "$PGPORT")
    else
        port=$(free_port)
    fi

    if [ ! -f "$pgdata/PG_VERSION" ]; then
        log "creating a PostgreSQL cluster in $pgdata (port $port)"
        superpw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
        install -d -m 700 -o "$RUN_AS" "$pgdata" 2>/dev/null || mkdir -p -m 700 "$pgdata"
        [ "$pgdata" = "$DEMO/pgdata" ] || ln -sfn "$pgdata" "$DEMO/pgdata"
        local pwfile
        pwfile=$(as_server_user mktemp)
        printf '%s\n' "$superpw" | as_server_user tee "$pwfile" > /dev/null
        as_server_user "$PG_BIN/initdb" -D "$pgdata" -U postgres --pwfile="$pwfile" \
            --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 > "$DEMO/initdb.log"
        as_server_user rm -f "$pwfile"
        as_server_user tee -a "$pgdata/postgresql.conf" > /dev/null <<EOF
# smup demo
port = $port
listen_addresses = 'localhost'
unix_socket_directories = '$pgdata'
max_parallel_workers_per_gather = 2
shared_buffers = 256MB
work_mem = 64MB
EOF
        umask 077
        cat > "$DEMO/env" <<EOF
export PGHOST=127.0.0.1
export PGPORT=$port
export PGDATABASE=$DB
export PGUSER=postgres
export PGPASSWORD=$superpw
EOF
        umask 022
    fi

    if as_server_user "$PG_BIN/pg_ctl" -D "$pgdata" status > /dev/null 2>&1; then
        log "server already running on port $port"
    else
        log "starting the server on port $port"
        as_server_user "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start > /dev/null
    fi

    # shellcheck disable=SC1091
    . "$DEMO/env"
    export PGDATABASE=postgres
    if ! psql -XtAqc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
        createdb "$DB"
    fi
    export PGDATABASE=$DB
    # the extension's objects come from the install script: one built since the demo was loaded
    # (a git pull, same version number) means the demo database is recreated from it
    local script_md5
    script_md5=$(md5sum "$(pg_config --sharedir)/extension/smup--$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$PROJECT/smup.control").sql" | cut -d' ' -f1)
    if [ "${SMUP_DEMO_RELOAD:-0}" != 1 ] && [ "$(psql -XtAqc "SELECT count(*) FROM pg_extension WHERE extname = 'smup'")" = 1 ] \
       && [ "$(cat "$DEMO/installed.md5" 2>/dev/null)" != "$script_md5" ]; then
        log "smup was rebuilt since the demo data was loaded: recreating the extension and reloading everything"
        SMUP_DEMO_RELOAD=1
    fi
    if [ "${SMUP_DEMO_RELOAD:-0}" = 1 ]; then
        log "recreating the extension and reloading everything"
        PGOPTIONS='-c client_min_messages=warning' psql -Xq -v ON_ERROR_STOP=1 -c 'DROP EXTENSION IF EXISTS smup CASCADE' \
            -c 'DROP SCHEMA IF EXISTS smup CASCADE'
    fi
    PGOPTIONS='-c client_min_messages=warning' psql -Xq -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS smup CASCADE'
    echo "$script_md5" > "$DEMO/installed.md5"

    if [ "$(psql -XtAqc 'SELECT count(*) FROM smup.jst')" = 0 ]; then
        log "loading the shipped data (PRG boundaries, TERYT, GUS BDL, GUGiK, KG PSP) …"
        local t0=$SECONDS
        (cd "$PROJECT" && PGOPTIONS='-c client_min_messages=warning' \
            psql -Xq -v ON_ERROR_STOP=1 -v datadir=data -f data/load.psql > /dev/null)
        log "  loaded in $((SECONDS - t0)) s: $(psql -XtAqc "SELECT count(*) FROM smup.jst") units, $(psql -XtAqc "SELECT count(*) FROM smup.observation") observations"
    else
        log "data already loaded (SMUP_DEMO_RELOAD=1 make demo reloads it)"
    fi

    if [ "$(psql -XtAqc "SELECT count(*) FROM smup.refresh_queue")" != 0 ] \
       || [ "$(psql -XtAqc "SELECT EXISTS (SELECT FROM smup.indicator_value_store)")" != t ]; then
        log "computing neighbours, indicators, comparison groups and distributions (smup.refresh(), under a minute) …"
        psql -X -P footer=off -v ON_ERROR_STOP=1 -c 'SELECT * FROM smup.refresh()'
    else
        log "everything up to date (after a load or an edit, SELECT * FROM smup.refresh() recomputes what it touched)"
    fi

    # a read-only login for BI tools, in the role smup_reader
    if [ ! -f "$DEMO/bi_password" ]; then
        (umask 077; od -An -N9 -tx1 /dev/urandom | tr -d ' \n' > "$DEMO/bi_password")
    fi
    psql -Xq -v ON_ERROR_STOP=1 -v pw="$(cat "$DEMO/bi_password")" <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smup_bi') AS create_bi \gset
\if :create_bi
CREATE ROLE smup_bi LOGIN IN ROLE smup_reader;
\endif
ALTER ROLE smup_bi PASSWORD :'pw';
-- the demo's cluster is its own: its smup_reader is trusted even when an older smup made it
SELECT smup.grant_reader('smup_reader') \gset
SQL

    report "$port"
}

report() {
    local port=$1 report_file=$DEMO/raport-frombork-2019.html
    # Frombork's raport o stanie gminy: one self-contained html file (smup.report)
    psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT smup.report('280203', 2019)" > "$report_file"
    echo
    psql -X -P footer=off <<'SQL'
\pset null '–'
\echo 'The JST register (smup.jst):'
SELECT level, kind, count(*) AS units FROM smup.jst GROUP BY level, kind ORDER BY min(length(id)), kind;
\echo 'Frombork (280203), gmina miejsko-wiejska, powiat braniewski, warmińsko-mazurskie: its comparison groups in 2019'
SELECT comparison, group_name, count(*) AS members
  FROM smup.comparison_group g JOIN smup.comparison_member m USING (comparison, group_id, year)
 WHERE g.jst_id = '280203' AND g.year = 2019 GROUP BY 1, 2 ORDER BY 1;
\echo 'Frombork 2019 (smup.profile): percentile in each group, 100 = the best (direction best) or the highest (neutral indicators); trend = OLS slope per year'
SELECT indicator, round(value::numeric, 1) AS value, round(percentile_poland::numeric) AS poland,
       round(percentile_voivodeship::numeric) AS "województwo", round(percentile_peer::numeric) AS peer,
       round(percentile_neighbours::numeric) AS neighbours, round(trend_slope::numeric, 2) AS trend, direction
  FROM smup.profile('280203', 2019)
 WHERE indicator IN ('gestosc_zaludnienia', 'udzial_ludnosci_poprodukcyjnej', 'wspolczynnik_obciazenia_demograficznego',
                     'dochody_wlasne_na_mieszkanca', 'podatek_od_nieruchomosci_na_mieszkanca', 'zmiana_liczby_ludnosci_od_2010');
SQL
    cat <<EOF

The demo server is running on port $port.
  psql:     . .demo/env && psql
  JDBC:     jdbc:postgresql://localhost:$port/$DB   user smup_bi, password $(cat "$DEMO/bi_password") (read-only: role smup_reader)
            superuser: postgres, password in .demo/env
  docs:     docs/tutorial.md (a first analysis), docs/guide-metabase.md (BI tools)
  stop:     make demo-stop      (make demo starts it again, data kept)

Frombork's report on its state in 2019 (smup.report('280203', 2019), docs/report.md) is in
  $report_file
Open it in any browser (it fetches nothing: charts and map are inside), e.g.
  chromium $report_file      or   xdg-open $report_file
and print it to PDF from the browser; SELECT smup.report('280203', 2019, 'markdown') gives text.
EOF
}

stop() {
    if [ ! -e "$DEMO/pgdata" ]; then
        log "no demo cluster"
        return
    fi
    local pgdata
    pgdata=$(readlink -f "$DEMO/pgdata")
    if as_server_user "$PG_BIN/pg_ctl" -D "$pgdata" status > /dev/null 2>&1; then
        as_server_user "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w stop > /dev/null
        log "stopped"
    else
        log "not running"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
