-- The SMUP itself: indicator values, comparison groups and the benchmarking views BI tools read.
-- Materialized where it pays (smup.refresh() refreshes them, concurrently once populated).

CREATE MATERIALIZED VIEW @extschema@.indicator_value AS
WITH years AS (
    SELECT DISTINCT i.code AS indicator, o.year
      FROM @extschema@.indicator i JOIN @extschema@.observation_all o ON o.variable = i.numerator
)
SELECT j.id AS jst_id, j.name AS jst_name, j.kind, j.level, i.code AS indicator, i.name_pl AS indicator_name,
       i.area, y.year,
       CASE WHEN r.status IN ('value', '-') THEN n.value / coalesce(d.value, 1) * i.multiplier + i.value_offset END AS value,
       r.status,
       n.value AS numerator, d.value AS denominator,
       CASE WHEN r.status IN ('value', '-') AND i.ci_method = 'poisson' AND n.value >= 0 AND d.value > 0
              THEN (@extschema@.rate_ci(n.value, d.value, i.multiplier)).lower + i.value_offset
            WHEN r.status IN ('value', '-') AND i.ci_method = 'wilson' AND n.value >= 0 AND n.value <= d.value AND d.value > 0
              THEN (@extschema@.proportion_ci(n.value, d.value)).lower * i.multiplier + i.value_offset END AS ci_lower,
       CASE WHEN r.status IN ('value', '-') AND i.ci_method = 'poisson' AND n.value >= 0 AND d.value > 0
              THEN (@extschema@.rate_ci(n.value, d.value, i.multiplier)).upper + i.value_offset
            WHEN r.status IN ('value', '-') AND i.ci_method = 'wilson' AND n.value >= 0 AND n.value <= d.value AND d.value > 0
              THEN (@extschema@.proportion_ci(n.value, d.value)).upper * i.multiplier + i.value_offset END AS ci_upper
  FROM @extschema@.indicator i
  JOIN years y ON y.indicator = i.code
  JOIN @extschema@.jst j ON j.level = ANY (i.levels)
  LEFT JOIN @extschema@.observation_all n ON n.jst_id = j.id AND n.variable = i.numerator AND n.year = y.year
  LEFT JOIN @extschema@.observation_all d ON d.jst_id = j.id AND d.variable = i.denominator
                                          AND d.year = coalesce(i.denominator_year, y.year)
  CROSS JOIN LATERAL (SELECT @extschema@.ratio_status(n.status, d.status, d.value, i.denominator IS NOT NULL) AS status) r
WITH NO DATA;
CREATE UNIQUE INDEX indicator_value_key ON @extschema@.indicator_value (jst_id, indicator, year);
CREATE INDEX indicator_value_indicator_year_idx ON @extschema@.indicator_value (indicator, year);
COMMENT ON MATERIALIZED VIEW @extschema@.indicator_value IS
  'Wartości wskaźników / every indicator for every unit of its levels and every year its numerator is observed: value = numerator / denominator × multiplier + value_offset, with GUS status and confidence interval. Refreshed by smup.refresh().';
COMMENT ON COLUMN @extschema@.indicator_value.jst_id IS 'Unit id (TERYT).';
COMMENT ON COLUMN @extschema@.indicator_value.jst_name IS 'Unit name.';
COMMENT ON COLUMN @extschema@.indicator_value.kind IS 'Unit kind (gmina miejska, wiejska, miejsko-wiejska, miasto na prawach powiatu, ...).';
COMMENT ON COLUMN @extschema@.indicator_value.level IS 'Unit level (gmina, powiat, wojewodztwo, kraj).';
COMMENT ON COLUMN @extschema@.indicator_value.indicator IS 'Indicator code (smup.indicator.code).';
COMMENT ON COLUMN @extschema@.indicator_value.indicator_name IS 'Indicator name (Polish).';
COMMENT ON COLUMN @extschema@.indicator_value.area IS 'SMUP area code (smup.area.code).';
COMMENT ON COLUMN @extschema@.indicator_value.year IS 'Year.';
COMMENT ON COLUMN @extschema@.indicator_value.value IS 'Indicator value; NULL unless status is value or "-".';
COMMENT ON COLUMN @extschema@.indicator_value.status IS 'value, "-" (true zero), "." (not available), "x" (not applicable), "#" (confidential): see smup.ratio_status.';
COMMENT ON COLUMN @extschema@.indicator_value.numerator IS 'Numerator input value.';
COMMENT ON COLUMN @extschema@.indicator_value.denominator IS 'Denominator input value.';
COMMENT ON COLUMN @extschema@.indicator_value.ci_lower IS 'Lower 95 % confidence limit (exact Poisson for rates, Wilson for proportions), in the indicator''s unit; NULL when the indicator has none.';
COMMENT ON COLUMN @extschema@.indicator_value.ci_upper IS 'Upper 95 % confidence limit.';

-- ---- comparison groups -----------------------------------------------------------------------

CREATE TABLE @extschema@.custom_group (
    name        text PRIMARY KEY,
    description text,
    created_by  text NOT NULL DEFAULT current_user,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.custom_group IS 'Grupy użytkownika / comparison groups an analyst defines: insert a name here and unit ids into smup.custom_group_member, then smup.refresh().';
COMMENT ON COLUMN @extschema@.custom_group.name IS 'Group name, shown as group_name in the views.';
COMMENT ON COLUMN @extschema@.custom_group.description IS 'What the group is for.';
COMMENT ON COLUMN @extschema@.custom_group.created_by IS 'Who created it.';
COMMENT ON COLUMN @extschema@.custom_group.created_at IS 'When.';

CREATE TABLE @extschema@.custom_group_member (
    group_name text NOT NULL REFERENCES @extschema@.custom_group (name) ON DELETE CASCADE ON UPDATE CASCADE,
    jst_id     text NOT NULL REFERENCES @extschema@.jst (id),
    PRIMARY KEY (group_name, jst_id)
);
COMMENT ON TABLE @extschema@.custom_group_member IS 'Units of each custom comparison group.';
COMMENT ON COLUMN @extschema@.custom_group_member.group_name IS 'The group (smup.custom_group.name).';
COMMENT ON COLUMN @extschema@.custom_group_member.jst_id IS 'A member unit (smup.jst.id).';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.custom_group', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.custom_group_member', '');

CREATE FUNCTION @extschema@.population_class(population float8)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
    SELECT CASE WHEN population < 5000 THEN 'do 5 tys.'
                WHEN population < 10000 THEN '5–10 tys.'
                WHEN population < 20000 THEN '10–20 tys.'
                WHEN population < 50000 THEN '20–50 tys.'
                WHEN population < 100000 THEN '50–100 tys.'
                ELSE '100 tys. i więcej' END;
END;
COMMENT ON FUNCTION @extschema@.population_class(float8) IS
  'Population class of the peer typology: do 5 tys. (< 5,000), 5–10 tys., 10–20 tys., 20–50 tys., 50–100 tys., 100 tys. i więcej (≥ 100,000); the lower bound belongs to the class.';

-- Which group each unit is compared in, per year and comparison.
CREATE MATERIALIZED VIEW @extschema@.comparison_group AS
WITH years AS (SELECT DISTINCT year FROM @extschema@.indicator_value),
units AS (
    SELECT j.id, j.name, j.level, j.kind, j.parent_id, y.year,
           -- the kind in that year: the RODZ digit of the code valid then (cities keep theirs)
           CASE WHEN j.level <> 'gmina' OR j.kind = 'miasto na prawach powiatu' THEN j.kind
                ELSE coalesce((SELECT CASE right(t.teryt7, 1) WHEN '1' THEN 'gmina miejska' WHEN '2' THEN 'gmina wiejska'
                                                              ELSE 'gmina miejsko-wiejska' END
                                 FROM @extschema@.jst_teryt t
                                WHERE t.id = j.id AND coalesce(t.valid_from, '-infinity') <= make_date(y.year, 12, 31)
                                ORDER BY t.valid_from DESC NULLS LAST LIMIT 1), j.kind) END AS kind_in_year,
           -- the population of that year, or of the nearest earlier year, or the nearest later one
           (SELECT o.value FROM @extschema@.observation_all o
             WHERE o.jst_id = j.id AND o.variable = 'ludnosc_ogolem' AND o.status = 'value'
             ORDER BY (o.year > y.year), abs(o.year - y.year) LIMIT 1) AS population
      FROM @extschema@.jst j CROSS JOIN years y
     WHERE j.level <> 'kraj'
)
SELECT u.id AS jst_id, u.year, 'poland'::text AS comparison, 'PL:' || u.level AS group_id,
       'Polska: ' || CASE u.level WHEN 'gmina' THEN 'wszystkie gminy' WHEN 'powiat' THEN 'wszystkie powiaty'
                                  ELSE 'wszystkie województwa' END AS group_name
  FROM units u
UNION ALL
SELECT u.id, u.year, 'voivodeship', left(u.id, 2) || ':' || u.level,
       'województwo ' || lower(w.name) || ': ' || CASE u.level WHEN 'gmina' THEN 'gminy' ELSE 'powiaty' END
  FROM units u JOIN @extschema@.jst w ON w.id = left(u.id, 2)
 WHERE u.level IN ('gmina', 'powiat')
UNION ALL
SELECT u.id, u.year, 'peer', 'peer:' || u.level || ':' || u.kind_in_year || ':' || @extschema@.population_class(u.population),
       u.kind_in_year || ', ' || @extschema@.population_class(u.population) || ' mieszkańców'
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
  FROM units u JOIN @extschema@.custom_group_member m ON m.jst_id = u.id
WITH NO DATA;
CREATE UNIQUE INDEX comparison_group_key ON @extschema@.comparison_group (jst_id, year, comparison, group_id);
CREATE INDEX comparison_group_group_idx ON @extschema@.comparison_group (group_id, year);
COMMENT ON MATERIALIZED VIEW @extschema@.comparison_group IS
  'Grupy porównawcze / for each unit and year, the groups it is compared in: poland (all units of its level), voivodeship (its level within its województwo), peer (same kind × population class: smup.population_class), neighbours (itself and its queen-contiguous units), custom (smup.custom_group).';
COMMENT ON COLUMN @extschema@.comparison_group.jst_id IS 'Unit compared.';
COMMENT ON COLUMN @extschema@.comparison_group.year IS 'Year (peer groups follow the population and kind of each year).';
COMMENT ON COLUMN @extschema@.comparison_group.comparison IS 'poland, voivodeship, peer, neighbours or custom.';
COMMENT ON COLUMN @extschema@.comparison_group.group_id IS 'Group identifier (stable key).';
COMMENT ON COLUMN @extschema@.comparison_group.group_name IS 'Group name to show.';

-- The members of each group (a neighbours group is the unit and its first-order queen neighbours).
CREATE VIEW @extschema@.comparison_member AS
SELECT g.comparison, g.group_id, g.year, g.jst_id AS member_id
  FROM @extschema@.comparison_group g
 WHERE g.comparison IN ('poland', 'voivodeship', 'peer', 'custom')
UNION ALL
SELECT g.comparison, g.group_id, g.year, g.jst_id
  FROM @extschema@.comparison_group g WHERE g.comparison = 'neighbours'
UNION ALL
SELECT g.comparison, g.group_id, g.year, n.neighbour_id
  FROM @extschema@.comparison_group g
  JOIN @extschema@.neighbour n ON n.id = g.jst_id AND n.rule = 'queen' AND n."order" = 1
 WHERE g.comparison = 'neighbours';
COMMENT ON VIEW @extschema@.comparison_member IS 'Members of every comparison group and year.';
COMMENT ON COLUMN @extschema@.comparison_member.comparison IS 'poland, voivodeship, peer, neighbours or custom.';
COMMENT ON COLUMN @extschema@.comparison_member.group_id IS 'Group identifier.';
COMMENT ON COLUMN @extschema@.comparison_member.year IS 'Year.';
COMMENT ON COLUMN @extschema@.comparison_member.member_id IS 'A member unit.';

-- ---- benchmark ----------------------------------------------------------------------------------

CREATE MATERIALIZED VIEW @extschema@.benchmark AS
WITH member_value AS (
    SELECT m.comparison, m.group_id, m.year, v.indicator, v.value
      FROM @extschema@.comparison_member m
      JOIN @extschema@.indicator_value v ON v.jst_id = m.member_id AND v.year = m.year AND v.status IN ('value', '-')
),
-- each group's values, once, as a sorted distribution (C++): every member's position is then a
-- binary search instead of a window sort, and the group statistics are read off the same value
grp AS MATERIALIZED (
    SELECT d.group_id, d.year, d.indicator, d.dist, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
      FROM (SELECT mv.group_id, mv.year, mv.indicator, @extschema@.distribution(mv.value) AS dist
              FROM member_value mv GROUP BY mv.group_id, mv.year, mv.indicator) d
     CROSS JOIN LATERAL @extschema@.summary(d.dist) s
),
series AS (
    SELECT v.*, v.value - lag(v.value) OVER (PARTITION BY v.jst_id, v.indicator ORDER BY v.year) AS change_raw,
           lag(v.year) OVER (PARTITION BY v.jst_id, v.indicator ORDER BY v.year) AS prev_year,
           regr_slope(v.value, v.year) OVER (PARTITION BY v.jst_id, v.indicator) AS trend_slope
      FROM @extschema@.indicator_value v
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
  JOIN @extschema@.indicator i ON i.code = s.indicator
  JOIN @extschema@.comparison_group g ON g.jst_id = s.jst_id AND g.year = s.year
  LEFT JOIN grp st ON st.group_id = g.group_id AND st.year = s.year AND st.indicator = s.indicator
  -- members below and above the unit's value; percent_rank() = share of worse members / (n − 1)
  LEFT JOIN LATERAL (SELECT round(@extschema@.percentile_rank(st.dist, s.value) * (st.n - 1)) AS below,
                            st.n - round(@extschema@.cume_dist(st.dist, s.value) * st.n) AS above) c
         ON s.status IN ('value', '-')
  LEFT JOIN LATERAL (SELECT CASE WHEN i.polarity = 'lower_is_better' THEN 1 + c.below ELSE 1 + c.above END::bigint AS rank,
                            CASE WHEN st.n = 1 THEN 0
                                 ELSE CASE WHEN i.polarity = 'lower_is_better' THEN c.above ELSE c.below END / (st.n - 1) END AS share_worse) pos
         ON c.below IS NOT NULL
WITH NO DATA;
CREATE UNIQUE INDEX benchmark_key ON @extschema@.benchmark (jst_id, indicator, year, comparison, group_id);
CREATE INDEX benchmark_jst_year_idx ON @extschema@.benchmark (jst_id, year);
CREATE INDEX benchmark_indicator_year_idx ON @extschema@.benchmark (indicator, year, comparison);
COMMENT ON MATERIALIZED VIEW @extschema@.benchmark IS
  'Benchmarking / one row per unit × indicator × year × comparison group: the unit''s position (rank, percentile), the group''s distribution (min, quartiles, max, mean), z-score, change since the previous year and the unit''s trend. Refreshed by smup.refresh().';
COMMENT ON COLUMN @extschema@.benchmark.jst_id IS 'Unit id (TERYT).';
COMMENT ON COLUMN @extschema@.benchmark.jst_name IS 'Unit name.';
COMMENT ON COLUMN @extschema@.benchmark.kind IS 'Unit kind.';
COMMENT ON COLUMN @extschema@.benchmark.level IS 'Unit level.';
COMMENT ON COLUMN @extschema@.benchmark.indicator IS 'Indicator code.';
COMMENT ON COLUMN @extschema@.benchmark.indicator_name IS 'Indicator name (Polish).';
COMMENT ON COLUMN @extschema@.benchmark.area IS 'SMUP area code.';
COMMENT ON COLUMN @extschema@.benchmark.polarity IS 'higher_is_better, lower_is_better or neutral.';
COMMENT ON COLUMN @extschema@.benchmark.unit IS 'Unit of the indicator value.';
COMMENT ON COLUMN @extschema@.benchmark.year IS 'Year.';
COMMENT ON COLUMN @extschema@.benchmark.value IS 'The unit''s value (NULL unless status is value or "-").';
COMMENT ON COLUMN @extschema@.benchmark.status IS 'GUS status of the value.';
COMMENT ON COLUMN @extschema@.benchmark.comparison IS 'poland, voivodeship, peer, neighbours or custom.';
COMMENT ON COLUMN @extschema@.benchmark.group_id IS 'Comparison group identifier.';
COMMENT ON COLUMN @extschema@.benchmark.group_name IS 'Comparison group name.';
COMMENT ON COLUMN @extschema@.benchmark.group_n IS 'Number of group members with a value that year.';
COMMENT ON COLUMN @extschema@.benchmark.rank IS 'Position in the group, 1 = best by polarity (neutral: 1 = highest value); ties share the best rank.';
COMMENT ON COLUMN @extschema@.benchmark.percentile IS '100 × percent_rank() in the group, ordered so that the best value by polarity gets 100 (neutral: ascending, the highest value gets 100); a group of one gives 0.';
COMMENT ON COLUMN @extschema@.benchmark.group_min IS 'Smallest value in the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_q1 IS 'First quartile of the group (percentile_cont 0.25).';
COMMENT ON COLUMN @extschema@.benchmark.group_median IS 'Median of the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_q3 IS 'Third quartile of the group (percentile_cont 0.75).';
COMMENT ON COLUMN @extschema@.benchmark.group_max IS 'Largest value in the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_mean IS 'Mean of the group.';
COMMENT ON COLUMN @extschema@.benchmark.z_score IS '(value − group mean) / group sample standard deviation.';
COMMENT ON COLUMN @extschema@.benchmark.change_prev_year IS 'value − the unit''s value in the previous year (NULL when that year has no value).';
COMMENT ON COLUMN @extschema@.benchmark.trend_slope IS 'The unit''s OLS trend of the indicator over all its years, per year.';

CREATE FUNCTION @extschema@.profile(jst_id text, year int)
RETURNS TABLE (area text, indicator text, indicator_name text, unit text, polarity text, value float8, status text,
               ci_lower float8, ci_upper float8,
               percentile_poland float8, percentile_voivodeship float8, percentile_peer float8,
               percentile_neighbours float8, percentile_custom text, peer_group text,
               change_prev_year float8, trend_slope float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SECURITY DEFINER
SET search_path = @extschema@, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM jst j WHERE j.id = profile.jst_id) THEN
        RAISE EXCEPTION 'unknown unit "%": not in smup.jst', profile.jst_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT v.area, v.indicator, v.indicator_name, i.unit, i.polarity, v.value, v.status, v.ci_lower, v.ci_upper,
           max(b.percentile) FILTER (WHERE b.comparison = 'poland'),
           max(b.percentile) FILTER (WHERE b.comparison = 'voivodeship'),
           max(b.percentile) FILTER (WHERE b.comparison = 'peer'),
           max(b.percentile) FILTER (WHERE b.comparison = 'neighbours'),
           string_agg(b.group_name || ': ' || coalesce(round(b.percentile::numeric, 1)::text, '–'), '; ' ORDER BY b.group_name)
             FILTER (WHERE b.comparison = 'custom'),
           max(b.group_name) FILTER (WHERE b.comparison = 'peer'),
           max(b.change_prev_year), max(b.trend_slope)
      FROM indicator_value v
      JOIN indicator i ON i.code = v.indicator
      LEFT JOIN benchmark b ON b.jst_id = v.jst_id AND b.indicator = v.indicator AND b.year = v.year
     WHERE v.jst_id = profile.jst_id AND v.year = profile.year
     GROUP BY v.area, v.indicator, v.indicator_name, i.unit, i.polarity, v.value, v.status, v.ci_lower, v.ci_upper
     ORDER BY v.area, v.indicator;
END;
$$;
COMMENT ON FUNCTION @extschema@.profile(text, int) IS
  'Karta jednostki / one unit''s card for a year: every indicator with its value, status, confidence interval and percentile (100 = best) against Poland, the województwo, the peer group, the neighbours and each custom group, its change since the previous year and its trend. An unknown unit raises 22023. SECURITY DEFINER (read-only), so smup_reader can call it.';

CREATE FUNCTION @extschema@.refresh()
RETURNS TABLE (object text, method text, rows bigint, seconds numeric)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = @extschema@, public, pg_temp
AS $$
DECLARE
    mv text;
    t0 timestamptz;
    concurrent boolean;
    workers text;
BEGIN
    -- fresh statistics on the inputs: right after a load the planner would otherwise guess
    -- (a catalogue never analysed looks ten times its size) and pick plans that take minutes
    ANALYZE area, service, variable, indicator, observation, jst, jst_teryt, custom_group_member;
    IF NOT EXISTS (SELECT FROM neighbour) THEN
        t0 := clock_timestamp();
        PERFORM refresh_neighbours();
        ANALYZE neighbour;
        object := 'neighbour'; method := 'refresh_neighbours()';
        rows := (SELECT count(*) FROM neighbour);
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
    END IF;
    FOREACH mv IN ARRAY ARRAY['indicator_value', 'comparison_group', 'benchmark'] LOOP
        t0 := clock_timestamp();
        SELECT c.relispopulated INTO concurrent FROM pg_class c
         WHERE c.oid = format('%I.%I', '@extschema@', mv)::regclass;
        IF concurrent THEN
            -- the diff query of a concurrent refresh can hang between a parallel leader and its
            -- workers when parallel plans are forced (seen on PostgreSQL 15): run it serially
            workers := current_setting('max_parallel_workers_per_gather');
            PERFORM set_config('max_parallel_workers_per_gather', '0', true);
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I.%I', '@extschema@', mv);
            PERFORM set_config('max_parallel_workers_per_gather', workers, true);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %I.%I', '@extschema@', mv);
        END IF;
        EXECUTE format('ANALYZE %I.%I', '@extschema@', mv);  -- the next view's plan reads this one
        object := mv;
        method := CASE WHEN concurrent THEN 'refresh concurrently' ELSE 'refresh (first population)' END;
        EXECUTE format('SELECT count(*) FROM %I.%I', '@extschema@', mv) INTO rows;
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION @extschema@.refresh() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.refresh() IS
  'Refreshes everything derived: the neighbour sets when empty, then smup.indicator_value, smup.comparison_group and smup.benchmark (CONCURRENTLY once populated, so readers are never blocked). Reports what it did and how long each step took. SECURITY DEFINER: grant EXECUTE to the roles that may refresh.';
