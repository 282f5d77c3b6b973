#!/bin/bash
# Issue 12, the SMUP at national scale. On the shipped data, then on the scale case (150
# synthetic indicators × every gmina × 16 years on top of it, about 6.2 M values):
#   - smup.refresh() from scratch, beside the design it replaced (bench/lib/previous_design.sql:
#     one materialised cross product) where that finishes in reasonable time;
#   - what the refresh derives against the size of smup.observation;
#   - one variable corrected for one year, then smup.refresh(); the same for a context indicator
#     (its similar units follow); a custom group of 5, then refresh;
#   - smup.profile of Kraków, and a map (one indicator, one year, poland, every gmina).
# Run by bench/run.sh (PG* set, smup and the shipped data loaded, nothing refreshed yet).
set -euo pipefail
cd "$(dirname "$0")/.."
q() { psql -X -q -v ON_ERROR_STOP=1 -P footer=off "$@"; }

q <<'SQL'
CREATE SCHEMA bench_util;
CREATE FUNCTION bench_util.secs(stmt text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE stmt;
    RETURN round(extract(epoch FROM clock_timestamp() - t0)::numeric, 2);
END $$;
CREATE TABLE bench_result (data text, what text, smup text, previous_design text, goal text);
SQL

# What the refresh derives (the neighbour sets and similar units too), in MB, against
# smup.observation with its indexes.
sizes() {
    q -v data="$1" <<'SQL'
INSERT INTO bench_result
SELECT :'data', 'derived tables with indexes (MB) / observation (MB)',
       round(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname IN
             ('indicator_value_store', 'comparison_group', 'group_distribution', 'unit_trend',
                             'similar_unit_store', 'neighbour')) / 1e6) || ' / '
       || round(pg_total_relation_size('smup.observation') / 1e6) || ' = '
       || round(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname IN
             ('indicator_value_store', 'comparison_group', 'group_distribution', 'unit_trend',
                             'similar_unit_store', 'neighbour'))
             / pg_total_relation_size('smup.observation')::numeric, 2) || '×',
       (SELECT round(sum(pg_total_relation_size(c2.oid)) / 1e6) || ' MB' FROM pg_class c2
          JOIN pg_namespace n ON n.oid = c2.relnamespace WHERE n.nspname = 'previous_design' AND c2.relkind = 'm'),
       '<= 2×'
  FROM pg_class c WHERE c.relnamespace = 'smup'::regnamespace;
SQL
}

# Reading: Kraków's card (20 reads, median and max) and a map (10 reads, median), in ms.
reads() {
    q -v data="$1" -v year="$2" -v indicator="$3" <<'SQL'
CREATE TEMP TABLE t (what text, ms float8);
DO $$
DECLARE t0 timestamptz; n bigint;
BEGIN
    FOR i IN 1..20 LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM smup.profile('126101', current_setting('bench.year')::int);
        INSERT INTO t VALUES ('profile', 1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
    FOR i IN 1..10 LOOP
        t0 := clock_timestamp();
        SELECT count(percentile) INTO n FROM smup.benchmark
         WHERE indicator = current_setting('bench.indicator') AND year = current_setting('bench.year')::int
           AND comparison = 'poland' AND level = 'gmina';
        INSERT INTO t VALUES ('map', 1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END $$;
INSERT INTO bench_result
SELECT :'data', CASE what WHEN 'profile' THEN 'smup.profile(Kraków) median / max ms' ELSE 'map: ' || :'indicator' || ', poland, every gmina, median ms' END,
       CASE what WHEN 'profile' THEN round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) || ' / ' || round(max(ms)::numeric, 1)
                 ELSE round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1)::text END,
       NULL, CASE what WHEN 'profile' THEN '< 20 ms' ELSE '< 100 ms' END
  FROM t GROUP BY what ORDER BY what DESC;
SQL
}

echo "-- shipped data: smup.refresh() from scratch, and the previous design's first population"
PGOPTIONS="$PGOPTIONS -c bench.year=2019 -c bench.indicator=dochody_wlasne_na_mieszkanca" q <<'SQL'
INSERT INTO bench_result SELECT 'shipped', 'smup.refresh() from scratch (s)', bench_util.secs('SELECT * FROM smup.refresh()'), NULL, NULL;
\i bench/lib/previous_design.sql
UPDATE bench_result SET previous_design = bench_util.secs($$
    INSERT INTO previous_design.observation_all SELECT * FROM smup.observation_all; ANALYZE previous_design.observation_all;
    REFRESH MATERIALIZED VIEW previous_design.indicator_value; ANALYZE previous_design.indicator_value;
    REFRESH MATERIALIZED VIEW previous_design.comparison_group; ANALYZE previous_design.comparison_group;
    REFRESH MATERIALIZED VIEW previous_design.benchmark$$)
 WHERE data = 'shipped';
SQL
sizes shipped
PGOPTIONS="$PGOPTIONS -c bench.year=2019 -c bench.indicator=dochody_wlasne_na_mieszkanca" reads shipped 2019 dochody_wlasne_na_mieszkanca
q -c 'DROP SCHEMA previous_design CASCADE'

echo "-- scale case: 150 synthetic indicators × every gmina × 2010-2025 (loading takes a minute or two)"
q -f bench/lib/scale_data.sql
q <<'SQL'
INSERT INTO bench_result
SELECT 'scale', 'observations (M)', round(count(*) / 1e6, 2)::text, NULL, NULL FROM smup.observation;
INSERT INTO bench_result
SELECT 'scale', 'smup.refresh(full => true) (s)', bench_util.secs('SELECT * FROM smup.refresh(full => true)'), NULL, '<= 60 s';
UPDATE bench_result SET previous_design = 'not run: about ' || round(0.24e-3 * (SELECT count(*) FROM smup.indicator_value_store) / 60)
                                          || ' min at the 0.24 ms a value measured on the shipped data'
 WHERE data = 'scale' AND what LIKE 'smup.refresh(full%';
SQL
sizes scale
q <<'SQL'
-- one variable corrected for one year: every gmina's value of syn_001 in 2019
UPDATE smup.observation SET value = value + 1 WHERE variable = 'syn_001' AND year = 2019 AND status = 'value';
INSERT INTO bench_result
SELECT 'scale', 'one variable-year corrected (' || (SELECT units FROM smup.refresh_queue LIMIT 1) || ' values), then smup.refresh() (s)',
       bench_util.secs('SELECT * FROM smup.refresh()'), NULL, '<= 2 s';
INSERT INTO bench_result
SELECT 'scale', '… the view shows the new value', (SELECT v.numerator = o.value FROM smup.indicator_value v
         JOIN smup.observation o ON o.jst_id = v.jst_id AND o.variable = 'syn_001' AND o.year = v.year
        WHERE v.jst_id = '280203' AND v.indicator = 'syn_ind_001' AND v.year = 2019)::text, NULL, 'true';
-- a context indicator corrected (own revenues, every gmina, 2019): its year's and every later
-- year's similar units are recomputed too (a value holds until the next)
UPDATE smup.observation SET value = value * 1.01 WHERE variable = 'dochody_wlasne' AND year = 2019 AND status = 'value';
INSERT INTO bench_result
SELECT 'scale', 'one context variable-year corrected (dochody_wlasne 2019, ' || (SELECT units FROM smup.refresh_queue LIMIT 1)
                || ' values; similar units of 2019 and later recomputed), then smup.refresh() (s)',
       bench_util.secs('SELECT * FROM smup.refresh()'), NULL, '<= 2 s';
INSERT INTO smup.custom_group (name) VALUES ('bench: Zalew Wiślany');
INSERT INTO smup.custom_group_member (group_name, jst_id)
SELECT 'bench: Zalew Wiślany', id FROM unnest(ARRAY['280203', '280201', '280202', '280409', '221001']) id;
INSERT INTO bench_result
SELECT 'scale', 'custom group of 5 gminy inserted, then smup.refresh() (s)', bench_util.secs('SELECT * FROM smup.refresh()'), NULL, '<= 2 s';
SQL
PGOPTIONS="$PGOPTIONS -c bench.year=2019 -c bench.indicator=syn_ind_001" reads scale 2019 syn_ind_001
q -c "SELECT data, what, smup, previous_design, goal FROM bench_result"
