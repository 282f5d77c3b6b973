#!/bin/bash
# Group distributions (smup.distribution) against percent_rank() windows and percentile_cont.
# Runs in the cluster bench/run.sh made (PG* set, smup and the register loaded).
#
# A reproducible synthetic table: every gmina of the register (2477) × 200 indicators × 16 years
# (7.9 million rows), with the unit's województwo (first two digits of its TERYT id) and a
# peer group (its kind × one of three synthetic size classes). Then, in the same run and with
# the same settings for both:
#   (a) today's way: materialise three percent_rank() windows (Poland, województwo, peer group)
#       and percentile_cont quartiles per group, plus the index a dashboard reads them by;
#   (b) the smup way: build the three sets of group distributions (and their indexes); Poland's
#       as the union of its województwa's (smup.distribution(smup.distribution)).
# Ratio (a)/(b) (goal ≥ 10). Then every row's three percentile ranks read through smup
# (ratio against the window part of (a), goal ≥ 3) and checked identical to (a); quartiles
# checked identical to percentile_cont; one unit's lookup (200 indicators × one year × three
# ranks, goal < 20 ms); the aggregate's peak memory over all 7.9 million values.
set -euo pipefail
cd "$(dirname "$0")/.."

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -P pager=off)
SETTINGS="SET work_mem = '1GB'; SET maintenance_work_mem = '1GB'; SET max_parallel_workers_per_gather = 2; SET jit = off; SET default_toast_compression = lz4;"

echo "building the synthetic table (2477 gminy × 200 indicators × 16 years) ..."
"${PSQL[@]}" <<'SQL'
DROP TABLE IF EXISTS bench_unit, bench_value, a_rank, a_quart_poland, a_quart_woj, a_quart_peer,
                     b_poland, b_woj, b_peer, b_rank CASCADE;
SELECT setseed(0.2477);
CREATE UNLOGGED TABLE bench_unit AS
SELECT id AS unit, left(id, 2) AS woj, kind || ' / ' || (abs(hashtext(id)) % 3) AS peer
  FROM smup.jst WHERE level = 'gmina';
CREATE UNLOGGED TABLE bench_value AS
SELECT u.unit, u.woj, u.peer, i AS indicator, y AS year,
       -- two decimals (ties within groups), scale varying by indicator, some negative indicators
       (round(random() * 100000) / 100 - CASE WHEN i % 10 = 0 THEN 500 ELSE 0 END) * (1 + i % 7) AS value
  FROM generate_series(1, 200) i CROSS JOIN generate_series(2010, 2025) y CROSS JOIN bench_unit u;
CREATE INDEX ON bench_value (unit, year);
VACUUM ANALYZE bench_unit;
VACUUM ANALYZE bench_value;
SELECT format('rows: %s, units: %s, województwa: %s, peer groups: %s, table %s',
              (SELECT count(*) FROM bench_value), (SELECT count(*) FROM bench_unit),
              (SELECT count(DISTINCT woj) FROM bench_unit), (SELECT count(DISTINCT peer) FROM bench_unit),
              pg_size_pretty(pg_table_size('bench_value'))) AS "synthetic data";
SQL

"${PSQL[@]}" -t -A <<SQL
$SETTINGS
-- warm the cache for both sides alike
SELECT 'warm-up scan: ' || count(value) || ' values' FROM bench_value;

-- (a) today's way -----------------------------------------------------------------------
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
CREATE UNLOGGED TABLE a_rank AS
SELECT unit, indicator, year, value,
       percent_rank() OVER (PARTITION BY indicator, year ORDER BY value) AS pr_poland,
       percent_rank() OVER (PARTITION BY indicator, year, woj ORDER BY value) AS pr_woj,
       percent_rank() OVER (PARTITION BY indicator, year, peer ORDER BY value) AS pr_peer
  FROM bench_value;
SELECT extract(epoch FROM clock_timestamp()) AS t1 \gset
CREATE UNLOGGED TABLE a_quart_poland AS
SELECT indicator, year, percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY value) AS q
  FROM bench_value GROUP BY indicator, year;
CREATE UNLOGGED TABLE a_quart_woj AS
SELECT indicator, year, woj, percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY value) AS q
  FROM bench_value GROUP BY indicator, year, woj;
CREATE UNLOGGED TABLE a_quart_peer AS
SELECT indicator, year, peer, percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY value) AS q
  FROM bench_value GROUP BY indicator, year, peer;
SELECT extract(epoch FROM clock_timestamp()) AS t2 \gset
CREATE INDEX ON a_rank (unit, year);
CREATE INDEX ON a_quart_poland (indicator, year);
CREATE INDEX ON a_quart_woj (indicator, year, woj);
CREATE INDEX ON a_quart_peer (indicator, year, peer);
SELECT extract(epoch FROM clock_timestamp()) AS t3 \gset

-- (b) the smup way ---------------------------------------------------------------------
CREATE UNLOGGED TABLE b_woj AS
SELECT indicator, year, woj, smup.distribution(value) AS d FROM bench_value GROUP BY indicator, year, woj;
-- Poland is the union of its województwa: no need to read the 7.9 million values again
CREATE UNLOGGED TABLE b_poland AS
SELECT indicator, year, smup.distribution(d) AS d FROM b_woj GROUP BY indicator, year;
CREATE UNLOGGED TABLE b_peer AS
SELECT indicator, year, peer, smup.distribution(value) AS d FROM bench_value GROUP BY indicator, year, peer;
SELECT extract(epoch FROM clock_timestamp()) AS t4 \gset
CREATE INDEX ON b_poland (indicator, year);
CREATE INDEX ON b_woj (indicator, year, woj);
CREATE INDEX ON b_peer (indicator, year, peer);
ANALYZE b_poland;
ANALYZE b_woj;
ANALYZE b_peer;
SELECT extract(epoch FROM clock_timestamp()) AS t5 \gset

SELECT format('(a) percent_rank windows %s s + percentile_cont quartiles %s s + indexes %s s = %s s',
              round((:t1 - :t0)::numeric, 2), round((:t2 - :t1)::numeric, 2), round((:t3 - :t2)::numeric, 2),
              round((:t3 - :t0)::numeric, 2));
SELECT format('(b) smup.distribution of %s (union of województwa) + %s + %s groups %s s + indexes %s s = %s s',
              (SELECT count(*) FROM b_poland), (SELECT count(*) FROM b_woj), (SELECT count(*) FROM b_peer),
              round((:t4 - :t3)::numeric, 2), round((:t5 - :t4)::numeric, 2), round((:t5 - :t3)::numeric, 2));
SELECT format('RATIO precompute (a)/(b): %s× (goal ≥ 10×); without the indexes on either side: %s×',
              round(((:t3 - :t0) / (:t5 - :t3))::numeric, 1), round(((:t2 - :t0) / (:t4 - :t3))::numeric, 1));
SELECT format('storage: (a) %s, (b) %s',
              pg_size_pretty(pg_total_relation_size('a_rank') + pg_total_relation_size('a_quart_poland')
                             + pg_total_relation_size('a_quart_woj') + pg_total_relation_size('a_quart_peer')),
              pg_size_pretty(pg_total_relation_size('b_poland') + pg_total_relation_size('b_woj')
                             + pg_total_relation_size('b_peer')));

-- every row's three percentile ranks through smup ---------------------------------------
-- read (aggregated, as a dashboard or an export reads them), against the same read through windows
SELECT extract(epoch FROM clock_timestamp()) AS t6 \gset
SELECT count(*) || ' rows, rank sum ' || round(sum(pr_poland + pr_woj + pr_peer)::numeric, 6) AS "read via smup"
  FROM (SELECT smup.percentile_rank(p.d, v.value) AS pr_poland, smup.percentile_rank(w.d, v.value) AS pr_woj,
               smup.percentile_rank(g.d, v.value) AS pr_peer
          FROM bench_value v
          JOIN b_poland p USING (indicator, year)
          JOIN b_woj w USING (indicator, year, woj)
          JOIN b_peer g USING (indicator, year, peer)) x;
SELECT extract(epoch FROM clock_timestamp()) AS t7 \gset
SELECT count(*) || ' rows, rank sum ' || round(sum(pr_poland + pr_woj + pr_peer)::numeric, 6) AS "read via windows"
  FROM (SELECT percent_rank() OVER (PARTITION BY indicator, year ORDER BY value) AS pr_poland,
               percent_rank() OVER (PARTITION BY indicator, year, woj ORDER BY value) AS pr_woj,
               percent_rank() OVER (PARTITION BY indicator, year, peer ORDER BY value) AS pr_peer
          FROM bench_value) x;
SELECT extract(epoch FROM clock_timestamp()) AS t8 \gset
-- materialised, like (a)
CREATE UNLOGGED TABLE b_rank AS
SELECT v.unit, v.indicator, v.year, v.value,
       smup.percentile_rank(p.d, v.value) AS pr_poland,
       smup.percentile_rank(w.d, v.value) AS pr_woj,
       smup.percentile_rank(g.d, v.value) AS pr_peer
  FROM bench_value v
  JOIN b_poland p USING (indicator, year)
  JOIN b_woj w USING (indicator, year, woj)
  JOIN b_peer g USING (indicator, year, peer);
SELECT extract(epoch FROM clock_timestamp()) AS t9 \gset
SELECT format('every row''s three ranks, read: smup %s s, windows %s s: RATIO %s× (goal ≥ 3×); against materialising the windows in (a) (%s s): %s×',
              round((:t7 - :t6)::numeric, 2), round((:t8 - :t7)::numeric, 2), round(((:t8 - :t7) / (:t7 - :t6))::numeric, 1),
              round((:t1 - :t0)::numeric, 2), round(((:t1 - :t0) / (:t7 - :t6))::numeric, 1));
SELECT format('every row''s three ranks, materialised into a table: smup %s s, windows (a) %s s: RATIO %s×',
              round((:t9 - :t8)::numeric, 2), round((:t1 - :t0)::numeric, 2), round(((:t1 - :t0) / (:t9 - :t8))::numeric, 1));
SELECT format('CHECK ranks: %s rows from (a), %s from smup, %s mismatches (must be 0)',
              (SELECT count(*) FROM a_rank), (SELECT count(*) FROM b_rank),
              (SELECT count(*) FROM a_rank a FULL JOIN b_rank b USING (unit, indicator, year)
                WHERE (a.pr_poland, a.pr_woj, a.pr_peer) IS DISTINCT FROM (b.pr_poland, b.pr_woj, b.pr_peer)));
SELECT format('CHECK quartiles: %s mismatches with percentile_cont over %s groups (must be 0)',
              (SELECT count(*) FROM a_quart_poland a JOIN b_poland b USING (indicator, year)
                WHERE a.q IS DISTINCT FROM smup.quantile(b.d, ARRAY[0.25, 0.5, 0.75]))
            + (SELECT count(*) FROM a_quart_woj a JOIN b_woj b USING (indicator, year, woj)
                WHERE a.q IS DISTINCT FROM smup.quantile(b.d, ARRAY[0.25, 0.5, 0.75]))
            + (SELECT count(*) FROM a_quart_peer a JOIN b_peer b USING (indicator, year, peer)
                WHERE a.q IS DISTINCT FROM smup.quantile(b.d, ARRAY[0.25, 0.5, 0.75])),
              (SELECT count(*) FROM b_poland) + (SELECT count(*) FROM b_woj) + (SELECT count(*) FROM b_peer));
SQL

echo "one unit's lookup: Frombork (280203), 200 indicators of 2024 with three percentile ranks and group quartiles"
"${PSQL[@]}" -t -A <<'SQL'
CREATE OR REPLACE FUNCTION pg_temp.best_of(q text, runs int DEFAULT 7) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best interval; first interval; r float8;
BEGIN
  FOR i IN 1 .. runs LOOP
    t0 := clock_timestamp();
    EXECUTE q INTO r;
    IF i = 1 THEN first := clock_timestamp() - t0; END IF;
    best := least(best, clock_timestamp() - t0);
  END LOOP;
  RETURN format('first %s ms, best of %s %s ms', round(extract(epoch FROM first)::numeric * 1000, 2), runs,
                round(extract(epoch FROM best)::numeric * 1000, 2));
END $$;
SELECT 'smup distributions: ' || pg_temp.best_of($q$
  SELECT sum(pr_poland + pr_woj + pr_peer + q_poland[2] + q_woj[2] + q_peer[2]) FROM (
    SELECT v.indicator, smup.percentile_rank(p.d, v.value) pr_poland, smup.percentile_rank(w.d, v.value) pr_woj,
           smup.percentile_rank(g.d, v.value) pr_peer, smup.quantile(p.d, ARRAY[0.25, 0.5, 0.75]) q_poland,
           smup.quantile(w.d, ARRAY[0.25, 0.5, 0.75]) q_woj, smup.quantile(g.d, ARRAY[0.25, 0.5, 0.75]) q_peer
      FROM bench_value v
      JOIN b_poland p USING (indicator, year) JOIN b_woj w USING (indicator, year, woj)
      JOIN b_peer g USING (indicator, year, peer)
     WHERE v.unit = '280203' AND v.year = 2024) x $q$) || ' (goal < 20 ms)';
SELECT 'materialised windows (a): ' || pg_temp.best_of($q$
  SELECT sum(pr_poland + pr_woj + pr_peer + qp.q[2] + qw.q[2] + qg.q[2])
    FROM a_rank r JOIN bench_unit u USING (unit)
    JOIN a_quart_poland qp USING (indicator, year) JOIN a_quart_woj qw USING (indicator, year, woj)
    JOIN a_quart_peer qg USING (indicator, year, peer)
   WHERE r.unit = '280203' AND r.year = 2024 $q$);
SQL

echo "peak memory of the aggregate over all $(psql -X -At -c 'SELECT count(*) FROM bench_value') values (backend max resident set, fresh sessions, serial plans)"
rss() {   # max resident size (kB) of a fresh backend after running $1
    PGOPTIONS="-c max_parallel_workers_per_gather=0 -c work_mem=1GB -c log_statement_stats=on -c client_min_messages=log" \
        psql -X -q -c "$1" 2>&1 | sed -n 's/.*!\s*\([0-9]*\) kB max resident size.*/\1/p' | tail -1
}
base=$(rss "SELECT count(value) FROM bench_value")
agg=$(rss "SELECT pg_column_size(smup.distribution(value)) FROM bench_value")
size=$(psql -X -At -c "SELECT pg_column_size(smup.distribution(value)) FROM bench_value")
n=$(psql -X -At -c "SELECT count(value) FROM bench_value")
echo "baseline scan (count): ${base} kB; smup.distribution of everything: ${agg} kB"
awk -v b="$base" -v a="$agg" -v s="$size" -v n="$n" 'BEGIN {
    printf "MEMORY: aggregate peak %.1f MB for %d values = %.2f bytes a value (the result itself: %.1f MB, %.2f bytes a value)\n",
           (a - b) / 1024, n, (a - b) * 1024 / n, s / 1048576, s / n }'

psql -X -q -c "DROP TABLE IF EXISTS a_rank, a_quart_poland, a_quart_woj, a_quart_peer, b_poland, b_woj, b_peer, b_rank, bench_value, bench_unit"
