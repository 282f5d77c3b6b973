#!/bin/bash
# Issue "The SMUP in SQL": smup.refresh() of the shipped data (first population, then the
# concurrent refresh BI deployments run), and smup.profile() of one unit (goal < 50 ms).
set -euo pipefail
psql -X -q -v ON_ERROR_STOP=1 -P footer=off <<'SQL'
\echo '-- smup.refresh(), first population'
SELECT * FROM smup.refresh();
\echo '-- smup.refresh() again (concurrent: readers are never blocked)'
SELECT * FROM smup.refresh();
-- one unit's card: 50 different gminy, each read once (cold for that unit), median and max
CREATE TEMP TABLE profile_time AS
WITH units AS (SELECT id FROM smup.jst WHERE level = 'gmina' ORDER BY md5(id) LIMIT 50)
SELECT id, NULL::float8 AS ms FROM units;
DO $$
DECLARE r record; t0 timestamptz; n int;
BEGIN
    FOR r IN SELECT id FROM profile_time LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM smup.profile(r.id, 2019);
        UPDATE profile_time SET ms = 1000 * extract(epoch FROM clock_timestamp() - t0) WHERE id = r.id;
    END LOOP;
END $$;
SELECT count(*) AS units, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS median_ms,
       round(max(ms)::numeric, 2) AS max_ms,
       CASE WHEN max(ms) < 50 THEN 'goal met (< 50 ms)' ELSE 'GOAL MISSED (>= 50 ms)' END AS "smup.profile(jst_id, 2019)"
  FROM profile_time;
SQL
