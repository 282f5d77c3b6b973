#!/bin/bash
# smup contiguity against the PostGIS self-joins, on the shipped gminy and on a densified copy
# (ST_Segmentize every 100 m: about 1.4 million vertices). Best of 5 runs each; the pair sets
# must be identical. Run by bench/run.sh (PG* set, smup and the data loaded).
set -euo pipefail
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_shipped, bench_dense;
CREATE TABLE bench_shipped AS SELECT id, geom FROM smup.jst WHERE level = 'gmina';
CREATE TABLE bench_dense AS SELECT id, ST_Segmentize(geom, 100)::geometry(MultiPolygon, 2180) AS geom FROM bench_shipped;
CREATE INDEX ON bench_shipped USING gist (geom);
CREATE INDEX ON bench_dense USING gist (geom);
ANALYZE bench_shipped;
ANALYZE bench_dense;

\i bench/lib/best_ms.sql

CREATE TEMP TABLE result (layer text, vertices bigint, what text, smup_ms float8, smup_unchecked_ms float8,
                          arrays_unchecked_ms float8, postgis_ms float8, same_pairs boolean);
DO $$
DECLARE
    t text;
    pg_q text;
    sm_q text;
    arr_q text;
    same boolean;
BEGIN
    FOREACH t IN ARRAY ARRAY['bench_shipped', 'bench_dense'] LOOP
        FOR r IN 1..2 LOOP
            pg_q := format('SELECT a.id, b.id FROM %I a JOIN %I b ON a.geom && b.geom AND a.id <> b.id AND %s', t, t,
                           CASE r WHEN 1 THEN 'ST_Intersects(a.geom, b.geom)' ELSE 'ST_Relate(a.geom, b.geom, ''F***1****'')' END);
            -- the query form (rows streamed to the core); the array form below for comparison
            sm_q := format('SELECT c.id, c.neighbour_id FROM smup.contiguity(%L, %L%%s) c',
                           format('SELECT id, geom FROM %I', t), CASE r WHEN 1 THEN 'queen' ELSE 'rook' END);
            arr_q := format('SELECT c.id, c.neighbour_id FROM (SELECT array_agg(id) AS i, array_agg(geom) AS g FROM %I) s, smup.contiguity(s.i, s.g, %L, check_valid => false) c',
                            t, CASE r WHEN 1 THEN 'queen' ELSE 'rook' END);
            EXECUTE format('SELECT NOT EXISTS ((%s EXCEPT %s) UNION ALL (%s EXCEPT %s))', pg_q, format(sm_q, ''), format(sm_q, ''), pg_q) INTO same;
            INSERT INTO result VALUES (t, CASE t WHEN 'bench_shipped' THEN (SELECT sum(ST_NPoints(geom)) FROM bench_shipped)
                                                 ELSE (SELECT sum(ST_NPoints(geom)) FROM bench_dense) END,
                                       CASE r WHEN 1 THEN 'queen vs ST_Intersects' ELSE 'rook vs ST_Relate F***1****' END,
                                       pg_temp.best_ms(format('SELECT count(*) FROM (%s) x', format(sm_q, ''))),
                                       pg_temp.best_ms(format('SELECT count(*) FROM (%s) x', format(sm_q, ', check_valid => false'))),
                                       pg_temp.best_ms(format('SELECT count(*) FROM (%s) x', arr_q)),
                                       -- a.id < b.id: PostGIS does each pair once, smup both ways
                                       pg_temp.best_ms(format('SELECT count(*) FROM (%s AND a.id < b.id) x', pg_q)),
                                       same);
        END LOOP;
        -- what smup.neighbours returns: the pairs and the length of their common border
        INSERT INTO result VALUES (t, NULL, 'queen + border length vs ST_Intersects + ST_Length(ST_Intersection(ST_Boundary...))',
            pg_temp.best_ms(format('SELECT sum(c.shared_border_m) FROM smup.contiguity(%L) c', format('SELECT id, geom FROM %I', t))),
            pg_temp.best_ms(format('SELECT sum(c.shared_border_m) FROM smup.contiguity(%L, check_valid => false) c', format('SELECT id, geom FROM %I', t))),
            NULL,
            pg_temp.best_ms(format('SELECT sum(ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)))) FROM %I a JOIN %I b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)', t, t), 1),
            NULL);
    END LOOP;
END $$;
\pset footer off
\echo 'smup_ms: smup.contiguity(''SELECT id, geom FROM layer'') with its input checks (ST_IsValid included);'
\echo 'unchecked: the same with check_valid => false (PostGIS checks nothing either); arrays: the array form, unchecked'
SELECT replace(layer, 'bench_', '') AS layer, vertices, what, round(smup_ms::numeric, 1) AS smup_ms,
       round(smup_unchecked_ms::numeric, 1) AS unchecked_ms, round(arrays_unchecked_ms::numeric, 1) AS arrays_ms,
       round(postgis_ms::numeric, 1) AS postgis_ms,
       round((postgis_ms / smup_ms)::numeric, 1) AS ratio, round((postgis_ms / smup_unchecked_ms)::numeric, 1) AS ratio_unchecked,
       same_pairs
  FROM result;
-- the core alone (input already WKB; no SQL-side checks): what the C++ spends
SELECT replace(t, 'bench_', '') AS layer, rule,
       round(pg_temp.best_ms(format('SELECT count(*) FROM (SELECT array_agg(id) AS i, array_agg(ST_AsBinary(geom)) AS w FROM %I) s, smup._contiguity(s.i, s.w, %L, 0, 1)', t, rule))::numeric, 1) AS core_and_wkb_ms
  FROM unnest(ARRAY['bench_shipped', 'bench_dense']) t, unnest(ARRAY['queen', 'rook']) rule;
-- a layer whose parts lie far apart (one more polygon 50,000 km away): the grid's cells follow
-- where the chunks are, not the layer's box (which would put thousands of chunks in a cell)
SELECT round(pg_temp.best_ms($$SELECT count(*) FROM smup.contiguity('SELECT id, geom FROM bench_dense', check_valid => false)$$)::numeric, 1) AS dense_queen_unchecked_ms,
       round(pg_temp.best_ms($$SELECT count(*) FROM smup.contiguity('SELECT id, geom FROM bench_dense UNION ALL SELECT ''far'', ST_MakeEnvelope(5e7, 5e7, 5e7 + 100, 5e7 + 100, 2180)', check_valid => false)$$)::numeric, 1) AS with_a_far_polygon_ms;
SELECT round(pg_temp.best_ms('SELECT count(*) FROM smup.neighbours(''gmina'')')::numeric, 1) AS neighbours_gmina_queen_ms;
DROP TABLE bench_shipped, bench_dense;

-- smup.refresh_neighbours() (gminy, powiaty, województwa × queen, rook × orders 1, 2, stored)
-- against the PostGIS self-join over the same three levels: the queen pairs by ST_Intersects, each
-- marked rook by ST_Relate 'F***1****' (each pair once; no border lengths, no order 2, nothing
-- stored). Best of 5 each. The stored first-order pairs must be the join's, both ways.
-- The first fill (into an emptied table: every row inserted, its foreign keys checked) is timed
-- once; then the table is as refresh_neighbours() left it, and later calls write what differs.
CREATE TEMP TABLE refresh_result (what text, ms float8);
DO $$
DECLARE t0 timestamptz;
BEGIN
    TRUNCATE smup.neighbour;
    t0 := clock_timestamp();
    PERFORM count(*) FROM smup.refresh_neighbours();
    INSERT INTO refresh_result VALUES ('first fill', extract(epoch FROM clock_timestamp() - t0) * 1000);
END $$;
CREATE TEMP TABLE postgis_pairs AS
SELECT a.id, b.id AS neighbour_id, ST_Relate(a.geom, b.geom, 'F***1****') AS rook
  FROM smup.jst a JOIN smup.jst b ON a.level = b.level AND a.id < b.id AND ST_Intersects(a.geom, b.geom)
 WHERE a.level IN ('gmina', 'powiat', 'wojewodztwo');
INSERT INTO refresh_result VALUES
    ('refresh', pg_temp.best_ms('SELECT count(*) FROM smup.refresh_neighbours()')),
    ('postgis', pg_temp.best_ms($q$SELECT count(*) FILTER (WHERE ST_Relate(a.geom, b.geom, 'F***1****'))
                                    FROM smup.jst a JOIN smup.jst b ON a.level = b.level AND a.id < b.id AND ST_Intersects(a.geom, b.geom)
                                   WHERE a.level IN ('gmina', 'powiat', 'wojewodztwo')$q$));
WITH joined AS (SELECT id, neighbour_id, 'queen' AS rule FROM postgis_pairs
                UNION ALL SELECT neighbour_id, id, 'queen' FROM postgis_pairs
                UNION ALL SELECT id, neighbour_id, 'rook' FROM postgis_pairs WHERE rook
                UNION ALL SELECT neighbour_id, id, 'rook' FROM postgis_pairs WHERE rook),
     stored AS (SELECT id, neighbour_id, rule FROM smup.neighbour WHERE "order" = 1)
SELECT (SELECT count(*) FROM smup.neighbour) AS rows_stored,
       round((SELECT ms FROM refresh_result WHERE what = 'refresh')::numeric, 1) AS refresh_neighbours_ms,
       round((SELECT ms FROM refresh_result WHERE what = 'postgis')::numeric, 1) AS postgis_join_ms,
       round(((SELECT ms FROM refresh_result WHERE what = 'postgis') / (SELECT ms FROM refresh_result WHERE what = 'refresh'))::numeric, 1) AS ratio,
       round((SELECT ms FROM refresh_result WHERE what = 'first fill')::numeric, 1) AS first_fill_ms,
       NOT EXISTS ((SELECT * FROM joined EXCEPT SELECT * FROM stored) UNION ALL (SELECT * FROM stored EXCEPT SELECT * FROM joined)) AS same_pairs;
SQL
