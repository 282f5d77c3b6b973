#!/bin/bash
# Issue 17, the raport o stanie gminy: how long smup.report takes to write one unit's report
# (goal: under 1 s on the shipped data), in a fresh session (plpgsql compiled, PostGIS loaded:
# what a user waits for) and warm, beside reading the same data the way a client would to
# draw it itself (the card, the benchmark rows, the time series, the boundaries as GeoJSON).
# Run by bench/run.sh. The earlier benches add the scale case's synthetic indicators to their
# database, so this one loads the shipped data into a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export PGDATABASE=smup_bench_report
q() { psql -X -q -v ON_ERROR_STOP=1 -P footer=off "$@"; }

dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
q -c 'CREATE EXTENSION smup CASCADE'
q -v datadir=data -f data/load.psql > /dev/null
q -c 'SELECT count(*) FROM smup.refresh()' > /dev/null

q -c 'CREATE TABLE bench_report (what text, ms float8)'
# milliseconds one statement takes (a temporary function: each session defines it)
ms_function='CREATE FUNCTION pg_temp.ms(stmt text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n bigint;
BEGIN
    EXECUTE stmt INTO n;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$'

# the first report of a session, three sessions each
for unit in "280203 2019 html" "280203 2019 markdown" "126101 2019 html" "2802 2024 html"; do
    read -r id year format <<< "$unit"
    for _ in 1 2 3; do
        q -c "$ms_function" -c "INSERT INTO bench_report SELECT 'first in a session: $id $year $format',
                                 pg_temp.ms(\$\$SELECT length(smup.report('$id', $year, '$format'))\$\$)"
    done
done

q -c "$ms_function" -f - <<'SQL'
-- warm: the same session, ten times each
INSERT INTO bench_report
SELECT 'warm: ' || u.id || ' ' || u.year || ' ' || u.format, pg_temp.ms(format('SELECT length(smup.report(%L, %s, %L))', u.id, u.year, u.format))
  FROM (VALUES ('280203', 2019, 'html'), ('280203', 2019, 'markdown'), ('126101', 2019, 'html'), ('2802', 2024, 'html')) u(id, year, format)
 CROSS JOIN generate_series(1, 10);
-- what a client would read to draw the report itself: the card, the group rows, the series and
-- the boundaries of the unit and its neighbours as GeoJSON
INSERT INTO bench_report
SELECT 'warm: the data alone, 280203 2019 (profile, benchmark, series, GeoJSON)', pg_temp.ms($q$
    SELECT (SELECT count(*) FROM smup.profile('280203', 2019))
         + (SELECT count(*) FROM smup.benchmark WHERE jst_id = '280203' AND year = 2019)
         + (SELECT count(*) FROM smup.benchmark WHERE jst_id = '280203' AND comparison = 'peer')
         + (SELECT sum(length(geojson)) FROM smup.jst_map m WHERE m.id = '280203'
               OR m.id IN (SELECT neighbour_id FROM smup.neighbour WHERE id = '280203' AND rule = 'queen' AND "order" = 1))$q$)
  FROM generate_series(1, 10);

SELECT r.what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms)::numeric, 1) AS median_ms,
       round(max(r.ms)::numeric, 1) AS max_ms, count(*) AS runs,
       CASE WHEN r.what NOT LIKE '%data alone%' THEN '< 1000 ms' END AS goal
  FROM bench_report r GROUP BY r.what ORDER BY min(r.ctid);
SELECT round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_report WHERE what = 'warm: 280203 2019 html')::numeric
           / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_report WHERE what LIKE 'warm: the data alone%')::numeric, 1)
       AS "warm report / its data alone (×)";
SQL
dropdb "$PGDATABASE"
