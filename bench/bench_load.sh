#!/bin/bash
# Readers under refresh: 8 pgbench clients read cards (smup.profile of a random gmina) and maps
# (smup.benchmark of one indicator, year and comparison for every gmina) for 30 s while, in
# another session, a loop corrects one variable-year and runs smup.refresh() (incremental: the
# common case; a full rebuild locks the derived tables and is for maintenance windows).
# Prints errors (goal: none) and latency percentiles of each kind of request.
# Runs in the cluster bench/run.sh made (PG* set, smup and the data loaded).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_LOAD_SECONDS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -X -q -v ON_ERROR_STOP=1 -c 'SELECT count(*) FROM smup.refresh()' > /dev/null  # start from a refreshed state
cat > "$work/card.sql" <<'SQL'
\set g random(0, 2476)
SELECT count(*) FROM smup.profile((SELECT id FROM smup.jst WHERE level = 'gmina' ORDER BY id OFFSET :g LIMIT 1), 2019);
SQL
cat > "$work/map.sql" <<'SQL'
\set y random(2010, 2019)
SELECT count(*) FROM smup.benchmark WHERE indicator = 'dochody_wlasne_na_mieszkanca' AND year = :y AND comparison = 'voivodeship';
SQL

# the writer: one correction and one incremental refresh after another, until the readers stop
(
    end=$((SECONDS + seconds))
    n=0
    while [ $SECONDS -lt $end ]; do
        psql -X -q -v ON_ERROR_STOP=1 \
             -c "UPDATE smup.observation SET value = value + 1 WHERE variable = 'dochody_wlasne' AND year = $((2010 + n % 10)) AND jst_id = '280203'" \
             -c 'SELECT count(*) FROM smup.refresh()' > /dev/null
        n=$((n + 1))
    done
    echo "$n" > "$work/refreshes"
) &
writer=$!

pgbench -n -c 8 -j 2 -T "$seconds" -f "$work/card.sql" -f "$work/map.sql" -l --log-prefix="$work/log" > "$work/pgbench.out" 2>&1 || true
wait "$writer"

# per-transaction log: client, transaction, latency (µs), script number (0 card, 1 map), ...
percentiles() {
    awk -v s="$1" '$4 == s { print $3 / 1000 }' "$work"/log.* | sort -n | awk '
        { v[NR] = $1 } END { if (NR == 0) { print "no requests"; exit }
          printf "%6d requests, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, v[int(NR * 0.5) + 1],
                 v[int(NR * 0.95) + 1], v[int(NR * 0.99) + 1], v[NR] }'
}
failed=$(grep -Eo 'number of failed transactions: [0-9]+' "$work/pgbench.out" | head -1 | grep -Eo '[0-9]+$' || echo 0)
errors=$(grep -c 'ERROR' "$work/pgbench.out" || true)
echo "8 readers for ${seconds} s while $(cat "$work/refreshes") corrections were refreshed (incremental)"
echo "  cards (smup.profile, one gmina, 2019):    $(percentiles 0)"
echo "  maps (smup.benchmark, 2477 gminy):         $(percentiles 1)"
echo "  errors: $((failed + errors)) (goal: none)"
