-- The design smup replaced (commit f393e2a), kept for make bench to measure beside the new one on
-- the same data: one materialised cross product rebuilt whole. Created in schema previous_design.
CREATE SCHEMA previous_design;
-- the observations with their sums, as a table: smup.observation_all now also sums the gminy up
-- the register, which the design read row by row in correlated subqueries (it knew only the
-- cheap sums of variables); the bench fills this table inside the timed refresh
CREATE TABLE previous_design.observation_all AS SELECT * FROM smup.observation_all WITH NO DATA;
CREATE INDEX ON previous_design.observation_all (jst_id, variable, year);
CREATE INDEX ON previous_design.observation_all (variable, year);
CREATE MATERIALIZED VIEW previous_design.indicator_value AS
WITH years AS (
    SELECT DISTINCT i.code AS indicator, o.year
      FROM smup.indicator i JOIN previous_design.observation_all o ON o.variable = i.numerator
)
SELECT j.id AS jst_id, j.name AS jst_name, j.kind, j.level, i.code AS indicator, i.name_pl AS indicator_name,
       i.area, y.year,
       CASE WHEN r.status IN ('value', '-') THEN n.value / coalesce(d.value, 1) * i.multiplier + i.value_offset END AS value,
       r.status,
       n.value AS numerator, d.value AS denominator,
       CASE WHEN r.status IN ('value', '-') AND i.ci_method = 'poisson' AND n.value >= 0 AND d.value > 0
              THEN (smup.rate_ci(n.value, d.value, i.multiplier)).lower + i.value_offset
            WHEN r.status IN ('value', '-') AND i.ci_method = 'wilson' AND n.value >= 0 AND n.value <= d.value AND d.value > 0
              THEN (smup.proportion_ci(n.value, d.value)).lower * i.multiplier + i.value_offset END AS ci_lower,
       CASE WHEN r.status IN ('value', '-') AND i.ci_method = 'poisson' AND n.value >= 0 AND d.value > 0
              THEN (smup.rate_ci(n.value, d.value, i.multiplier)).upper + i.value_offset
            WHEN r.status IN ('value', '-') AND i.ci_method = 'wilson' AND n.value >= 0 AND n.value <= d.value AND d.value > 0
              THEN (smup.proportion_ci(n.value, d.value)).upper * i.multiplier + i.value_offset END AS ci_upper
  FROM smup.indicator i
  JOIN years y ON y.indicator = i.code
  JOIN smup.jst j ON j.level = ANY (i.levels)
  LEFT JOIN previous_design.observation_all n ON n.jst_id = j.id AND n.variable = i.numerator AND n.year = y.year
  LEFT JOIN previous_design.observation_all d ON d.jst_id = j.id AND d.variable = i.denominator
                                          AND d.year = coalesce(i.denominator_year, y.year)
  CROSS JOIN LATERAL (SELECT smup.ratio_status(n.status, d.status, d.value, i.denominator IS NOT NULL) AS status) r
WITH NO DATA;
CREATE MATERIALIZED VIEW previous_design.comparison_group AS
WITH years AS (SELECT DISTINCT year FROM previous_design.indicator_value),
units AS (
    SELECT j.id, j.name, j.level, j.kind, j.parent_id, y.year,
           -- the kind in that year: the RODZ digit of the code valid then (cities keep theirs)
           CASE WHEN j.level <> 'gmina' OR j.kind = 'miasto na prawach powiatu' THEN j.kind
                ELSE coalesce((SELECT CASE right(t.teryt7, 1) WHEN '1' THEN 'gmina miejska' WHEN '2' THEN 'gmina wiejska'
                                                              ELSE 'gmina miejsko-wiejska' END
                                 FROM smup.jst_teryt t
                                WHERE t.id = j.id AND coalesce(t.valid_from, '-infinity') <= make_date(y.year, 12, 31)
                                ORDER BY t.valid_from DESC NULLS LAST LIMIT 1), j.kind) END AS kind_in_year,
           -- the population of that year, or of the nearest earlier year, or the nearest later one
           (SELECT o.value FROM previous_design.observation_all o
             WHERE o.jst_id = j.id AND o.variable = 'ludnosc_ogolem' AND o.status = 'value'
             ORDER BY (o.year > y.year), abs(o.year - y.year) LIMIT 1) AS population
      FROM smup.jst j CROSS JOIN years y
     WHERE j.level <> 'kraj'
)
SELECT u.id AS jst_id, u.year, 'poland'::text AS comparison, 'PL:' || u.level AS group_id,
       'Polska: ' || CASE u.level WHEN 'gmina' THEN 'wszystkie gminy' WHEN 'powiat' THEN 'wszystkie powiaty'
                                  ELSE 'wszystkie województwa' END AS group_name
  FROM units u
UNION ALL
SELECT u.id, u.year, 'voivodeship', left(u.id, 2) || ':' || u.level,
       'województwo ' || lower(w.name) || ': ' || CASE u.level WHEN 'gmina' THEN 'gminy' ELSE 'powiaty' END
  FROM units u JOIN smup.jst w ON w.id = left(u.id, 2)
 WHERE u.level IN ('gmina', 'powiat')
UNION ALL
SELECT u.id, u.year, 'peer', 'peer:' || u.level || ':' || u.kind_in_year || ':' || smup.population_class(u.population),
       u.kind_in_year || ', ' || smup.population_class(u.population) || ' mieszkańców'
  FROM units u
 WHERE u.level IN ('gmina', 'powiat') AND u.population IS NOT NULL
UNION ALL
SELECT u.id, u.year, 'neighbours', 'neighbours:' || u.id, 'sąsiedzi: ' || u.name || ' i gminy graniczące'
  FROM units u WHERE u.level = 'gmina'
UNION ALL
SELECT u.id, u.year, 'neighbours', 'neighbours:' || u.id, 'sąsiedzi: ' || u.name || ' i jednostki graniczące'
  FROM units u WHERE u.level IN ('powiat', 'wojewodztwo')
UNION ALL
SELECT u.id, u.year, 'custom', 'custom:' || m.group_name, m.group_name
  FROM units u JOIN smup.custom_group_member m ON m.jst_id = u.id
WITH NO DATA;
CREATE VIEW previous_design.comparison_member AS
SELECT g.comparison, g.group_id, g.year, g.jst_id AS member_id
  FROM previous_design.comparison_group g
 WHERE g.comparison IN ('poland', 'voivodeship', 'peer', 'custom')
UNION ALL
SELECT g.comparison, g.group_id, g.year, g.jst_id
  FROM previous_design.comparison_group g WHERE g.comparison = 'neighbours'
UNION ALL
SELECT g.comparison, g.group_id, g.year, n.neighbour_id
  FROM previous_design.comparison_group g
  JOIN smup.neighbour n ON n.id = g.jst_id AND n.rule = 'queen' AND n."order" = 1
 WHERE g.comparison = 'neighbours';

CREATE MATERIALIZED VIEW previous_design.benchmark AS
WITH member_value AS (
    SELECT m.comparison, m.group_id, m.year, v.indicator, v.value
      FROM previous_design.comparison_member m
      JOIN previous_design.indicator_value v ON v.jst_id = m.member_id AND v.year = m.year AND v.status IN ('value', '-')
),
-- each group's values, once, as a sorted distribution (C++): every member's position is then a
-- binary search instead of a window sort, and the group statistics are read off the same value
grp AS MATERIALIZED (
    SELECT d.group_id, d.year, d.indicator, d.dist, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
      FROM (SELECT mv.group_id, mv.year, mv.indicator, smup.distribution(mv.value) AS dist
              FROM member_value mv GROUP BY mv.group_id, mv.year, mv.indicator) d
     CROSS JOIN LATERAL smup.summary(d.dist) s
),
series AS (
    SELECT v.*, v.value - lag(v.value) OVER (PARTITION BY v.jst_id, v.indicator ORDER BY v.year) AS change_raw,
           lag(v.year) OVER (PARTITION BY v.jst_id, v.indicator ORDER BY v.year) AS prev_year,
           regr_slope(v.value, v.year) OVER (PARTITION BY v.jst_id, v.indicator) AS trend_slope
      FROM previous_design.indicator_value v
)
SELECT s.jst_id, s.jst_name, s.kind, s.level, s.indicator, s.indicator_name, s.area, i.polarity, i.unit, s.year,
       s.value, s.status, g.comparison, g.group_id, g.group_name,
       st.n AS group_n, pos.rank, 100 * pos.share_worse AS percentile,
       st.min AS group_min, st.q1 AS group_q1, st.median AS group_median, st.q3 AS group_q3, st.max AS group_max,
       st.mean AS group_mean,
       CASE WHEN st.sd > 0 THEN (s.value - st.mean) / st.sd END AS z_score,
       CASE WHEN s.prev_year = s.year - 1 THEN s.change_raw END AS change_prev_year,
       s.trend_slope
  FROM series s
  JOIN smup.indicator i ON i.code = s.indicator
  JOIN previous_design.comparison_group g ON g.jst_id = s.jst_id AND g.year = s.year
  LEFT JOIN grp st ON st.group_id = g.group_id AND st.year = s.year AND st.indicator = s.indicator
  -- members below and above the unit's value; percent_rank() = share of worse members / (n − 1)
  LEFT JOIN LATERAL (SELECT round(smup.percentile_rank(st.dist, s.value) * (st.n - 1)) AS below,
                            st.n - round(smup.cume_dist(st.dist, s.value) * st.n) AS above) c
         ON s.status IN ('value', '-')
  LEFT JOIN LATERAL (SELECT CASE WHEN i.polarity = 'lower_is_better' THEN 1 + c.below ELSE 1 + c.above END::bigint AS rank,
                            CASE WHEN st.n = 1 THEN 0
                                 ELSE CASE WHEN i.polarity = 'lower_is_better' THEN c.above ELSE c.below END / (st.n - 1) END AS share_worse) pos
         ON c.below IS NOT NULL
WITH NO DATA;
CREATE UNIQUE INDEX indicator_value_key ON previous_design.indicator_value (jst_id, indicator, year);
CREATE INDEX indicator_value_indicator_year_idx ON previous_design.indicator_value (indicator, year);
CREATE UNIQUE INDEX comparison_group_key ON previous_design.comparison_group (jst_id, year, comparison, group_id);
CREATE INDEX comparison_group_group_idx ON previous_design.comparison_group (group_id, year);
CREATE UNIQUE INDEX benchmark_key ON previous_design.benchmark (jst_id, indicator, year, comparison, group_id);
CREATE INDEX benchmark_jst_year_idx ON previous_design.benchmark (jst_id, year);
CREATE INDEX benchmark_indicator_year_idx ON previous_design.benchmark (indicator, year, comparison);
