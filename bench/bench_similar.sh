#!/bin/bash
# The 15 most similar gminy of every gmina (2477 × 15 peers, 2019, the default context
# indicators): smup's C++ core against the brute-force plain-SQL computation (every pair's
# distance in a join, ranked by a window), which must give the same peers and distances.
# Best of 5 for smup, one run for the SQL. Run by bench/run.sh (PG* set, smup and the data loaded).
set -euo pipefail
cd "$(dirname "$0")/.."
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
SELECT count(*) FROM smup.refresh() \g /dev/null
\i test/sql/similar/brute.sql

\i bench/lib/best_ms.sql

-- the level's matrix, as smup gathers it (each unit's latest value at or before 2019)
CREATE TEMP TABLE matrix AS
SELECT array_agg(c.jst_id ORDER BY c.jst_id) AS ids, array_agg(c.vals ORDER BY c.jst_id) AS vals,
       (SELECT array_agg(similarity_weight ORDER BY code) FROM smup.indicator WHERE similarity_weight IS NOT NULL) AS weights
  FROM smup._context_values('gmina', ARRAY[2019],
                            (SELECT array_agg(code ORDER BY code) FROM smup.indicator WHERE similarity_weight IS NOT NULL)) c;
CREATE TEMP TABLE result (what text, ms float8);
INSERT INTO result VALUES
  ('core', pg_temp.best_ms($$SELECT count(*) FROM matrix m, smup._similar_peers(m.ids, m.vals, m.weights, 15, 'z') p$$)),
  ('gather + core', pg_temp.best_ms($$SELECT count(*) FROM (SELECT array_agg(c.jst_id ORDER BY c.jst_id) AS ids, array_agg(c.vals ORDER BY c.jst_id) AS vals
                               FROM smup._context_values('gmina', ARRAY[2019], (SELECT array_agg(code ORDER BY code) FROM smup.indicator WHERE similarity_weight IS NOT NULL)) c) m,
                            smup._similar_peers(m.ids, m.vals, (SELECT weights FROM matrix), 15, 'z') p$$)),
  ('one unit: smup.similar_units', pg_temp.best_ms($$SELECT count(*) FROM smup.similar_units('280203', 2019)$$));
CREATE TEMP TABLE smup_peers AS SELECT p.* FROM matrix m, smup._similar_peers(m.ids, m.vals, m.weights, 15, 'z') p;
DO $$
DECLARE t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    CREATE TEMP TABLE sql_peers AS SELECT * FROM pg_temp.brute_similar(2019, 'z', (SELECT ids FROM matrix));
    INSERT INTO result VALUES ('brute-force SQL', extract(epoch FROM clock_timestamp() - t0) * 1000);
END $$;
\pset footer off
SELECT (SELECT count(*) FROM smup_peers) AS peer_rows,
       round((SELECT ms FROM result WHERE what = 'core')::numeric, 1) AS smup_core_ms,
       round((SELECT ms FROM result WHERE what = 'gather + core')::numeric, 1) AS smup_gather_and_core_ms,
       round((SELECT ms FROM result WHERE what = 'brute-force SQL')::numeric, 1) AS brute_force_sql_ms,
       round(((SELECT ms FROM result WHERE what = 'brute-force SQL') / (SELECT ms FROM result WHERE what = 'core'))::numeric, 1) AS ratio,
       round(((SELECT ms FROM result WHERE what = 'brute-force SQL') / (SELECT ms FROM result WHERE what = 'gather + core'))::numeric, 1) AS ratio_with_gather,
       round((SELECT ms FROM result WHERE what = 'one unit: smup.similar_units')::numeric, 1) AS similar_units_one_ms,
       NOT EXISTS (SELECT FROM smup_peers s FULL JOIN sql_peers b ON b.jst_id = s.jst_id AND b.rank = s.rank
                    WHERE s.peer_id IS DISTINCT FROM b.peer_id OR NOT abs(s.distance - b.distance) < 1e-9) AS same_peers;
SQL
