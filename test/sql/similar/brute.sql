-- The k most similar gminy computed the plain-SQL way, independently of smup's C++ core: each
-- value the latest at or before the year (a correlated LIMIT 1), z-scores by avg/stddev_samp or
-- median/MAD by percentile_cont, every pair's re-weighted distance, ranked by distance then id.
CREATE FUNCTION pg_temp.brute_similar(y int, method text, units text[], k int DEFAULT 15)
RETURNS TABLE (jst_id text, rank bigint, peer_id text, distance float8)
LANGUAGE sql STABLE AS $$
WITH ind AS (SELECT i.code, i.similarity_weight AS w FROM smup.indicator i WHERE i.similarity_weight IS NOT NULL),
val AS (SELECT j.id, ind.code, ind.w,
               (SELECT s.value FROM smup.indicator_value_store s
                 WHERE s.jst_id = j.id AND s.indicator = ind.code AND s.year <= y AND s.status IN ('value', '-')
                 ORDER BY s.year DESC LIMIT 1) AS x
          FROM smup.jst j CROSS JOIN ind WHERE j.level = 'gmina'),
centre AS (SELECT v.code, CASE method WHEN 'z' THEN avg(v.x) ELSE percentile_cont(0.5) WITHIN GROUP (ORDER BY v.x) END AS c
             FROM val v GROUP BY v.code),
spread AS (SELECT v.code, CASE method WHEN 'z' THEN stddev_samp(v.x)
                          ELSE 1.482602218505602 * percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(v.x - c.c)) END AS s
             FROM val v JOIN centre c USING (code) GROUP BY v.code),
z AS (SELECT v.id, v.code, v.w, CASE WHEN sp.s > 0 THEN (v.x - c.c) / sp.s ELSE 0 END AS z
        FROM val v JOIN centre c USING (code) JOIN spread sp USING (code) WHERE v.x IS NOT NULL),
eligible AS (SELECT v.id FROM val v GROUP BY v.id HAVING 2 * count(*) FILTER (WHERE v.x IS NULL) <= count(*)),
pair AS (SELECT a.id, b.id AS peer, sqrt(sum(a.w * (a.z - b.z) ^ 2) * (SELECT sum(w) FROM ind) / sum(a.w)) AS d
           FROM z a JOIN z b ON b.code = a.code AND b.id <> a.id
          WHERE a.id = ANY (units) AND a.id IN (SELECT id FROM eligible) AND b.id IN (SELECT id FROM eligible)
          GROUP BY a.id, b.id)
SELECT x.id, x.r, x.peer, x.d
  FROM (SELECT p.id, p.peer, p.d, row_number() OVER (PARTITION BY p.id ORDER BY p.d, p.peer COLLATE "C") AS r FROM pair p) x
 WHERE x.r <= k
$$;
