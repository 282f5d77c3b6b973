-- smup 0.1 → 0.2 (ALTER EXTENSION smup UPDATE TO '0.2'). test/upgrade.sh checks that a 0.1
-- database updated by this script has the catalogue and, after smup.refresh(), the data of a
-- fresh 0.2 install.
\echo Use "ALTER EXTENSION smup UPDATE TO '0.2'" to load this file. \quit

-- ---- the stored values' key carries the value and status (issue 12) ----------------------------
-- Cards, neighbours' and similar units' groups and trends read them from the index alone. The
-- index is rebuilt here (a sort of the stored values; the data itself keeps its form).
ALTER TABLE @extschema@.indicator_value_store
    DROP CONSTRAINT indicator_value_store_pkey,
    ADD PRIMARY KEY (jst_id, year, indicator) INCLUDE (value, status);

-- ---- group distributions are stored uncompressed (issue 12) -------------------------------------
-- Sorted doubles barely compress: trying cost the rebuild time and every card a decompression.
-- Rows already stored keep their form until smup.refresh() rewrites them.
ALTER TABLE @extschema@.group_distribution ALTER COLUMN distribution SET STORAGE EXTERNAL;

-- ---- each unit's trend keeps its series (issue 12) ---------------------------------------------
-- A correction of one year replaces that year's point in each unit's series, instead of every
-- year of every unit being read again. The series of the trends already stored are filled here.
-- The trend with its series, sorted by year, from the same state (each unit's stored trend keeps
-- its series: smup.unit_trend)
CREATE TYPE @extschema@._trend_series_result AS (trend @extschema@.trend_result, series_years int[], series_values float8[]);
COMMENT ON TYPE @extschema@._trend_series_result IS
  'Internal: a trend (smup.trend_result) with its points: the years ascending and the value of each.';
CREATE FUNCTION @extschema@._trend_series_final(internal) RETURNS @extschema@._trend_series_result
AS 'MODULE_PATHNAME', 'smup_trend_series_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._trend_series_final(internal) IS
  'Final function of smup._trend_series(int, float8): the trend, and the points sorted by year; no points gives NULL.';
CREATE AGGREGATE @extschema@._trend_series(year int, value float8) (
    SFUNC = @extschema@.trend_sfunc,
    STYPE = internal,
    -- a unit's series, about 500 bytes held: without it the planner assumes 8 kB a group and
    -- a rebuild's 430,000 series spill to disk in batches
    SSPACE = 512,
    FINALFUNC = @extschema@._trend_series_final,
    COMBINEFUNC = @extschema@.trend_combine,
    SERIALFUNC = @extschema@.trend_serial,
    DESERIALFUNC = @extschema@.trend_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._trend_series(int, float8) IS
  'Internal: smup.trend with its series sorted by year (smup._trend_series_result), for smup.unit_trend. Parallel safe.';

ALTER TABLE @extschema@.unit_trend ADD COLUMN series_years int[], ADD COLUMN series_values float8[];
UPDATE @extschema@.unit_trend u SET series_years = (x.s).series_years, series_values = (x.s).series_values
  FROM (SELECT v.indicator, v.jst_id, @extschema@._trend_series(v.year, v.value) AS s
          FROM @extschema@.indicator_value_store v
         WHERE v.status IN ('value', '-')
         GROUP BY v.indicator, v.jst_id) x
 WHERE x.indicator = u.indicator AND x.jst_id = u.jst_id;
DELETE FROM @extschema@.unit_trend WHERE series_years IS NULL;  -- (none: a trend is of stored values)
ALTER TABLE @extschema@.unit_trend ALTER COLUMN series_years SET NOT NULL, ALTER COLUMN series_values SET NOT NULL;
COMMENT ON COLUMN @extschema@.unit_trend.series_years IS 'The years with a value (status value or "-"), ascending.';
COMMENT ON COLUMN @extschema@.unit_trend.series_values IS 'The value of each of series_years.';
DROP FUNCTION @extschema@._store_unit_trends(boolean, int[]);

-- ---- similar units: one row per unit and year (issue 12) ----------------------------------------
-- A year of the gminy is 2,477 rows to write instead of 37,155. The peers already stored move
-- here; the table smup.similar_unit becomes a view of the same columns at the end of this script,
-- once the views that read it read this one.
CREATE TABLE @extschema@.similar_unit_store (
    jst_id    text     NOT NULL,
    year      int      NOT NULL,
    peer_ids  text[]   NOT NULL,
    distances float8[] NOT NULL,
    PRIMARY KEY (jst_id, year),
    CHECK (cardinality(peer_ids) = cardinality(distances))
);
COMMENT ON TABLE @extschema@.similar_unit_store IS
  'Internal: each unit''s most similar units per year, in rank order (read smup.similar_unit). Kept by smup.refresh() (derived: not dumped).';
COMMENT ON COLUMN @extschema@.similar_unit_store.jst_id IS 'Unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@.similar_unit_store.year IS 'Year of the context values.';
COMMENT ON COLUMN @extschema@.similar_unit_store.peer_ids IS 'Its similar units, the most similar first (equal distances by id).';
COMMENT ON COLUMN @extschema@.similar_unit_store.distances IS 'The distance to each, in the same order.';
INSERT INTO @extschema@.similar_unit_store (jst_id, year, peer_ids, distances)
SELECT s.jst_id, s.year, array_agg(s.peer_id ORDER BY s.rank), array_agg(s.distance ORDER BY s.rank)
  FROM @extschema@.similar_unit s GROUP BY s.jst_id, s.year;
DROP FUNCTION @extschema@._store_similar_units(int[]);


-- ---- refresh: quicker full rebuilds and incremental refreshes (issue 12) ------------------------
-- (function bodies and views only: the next smup.refresh() is the same)
CREATE FUNCTION @extschema@._similar_peer_sets(ids text[], vals float8[], weights float8[], k int, method text)
RETURNS TABLE (jst_id text, peer_ids text[], distances float8[])
AS 'MODULE_PATHNAME', 'smup_similar_peer_sets_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2500;
COMMENT ON FUNCTION @extschema@._similar_peer_sets(text[], float8[], float8[], int, text) IS
  'Internal: smup._similar_peers of every unit, one row a unit with its peers and distances in rank order (smup.similar_unit_store).';

CREATE OR REPLACE FUNCTION @extschema@._context_values(level text, years int[], indicators text[])
RETURNS TABLE (year int, jst_id text, vals float8[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
WITH per_unit AS (
    -- read off each unit's stored series (smup.unit_trend: its years with a value, ascending):
    -- the value held in each year asked is that of the last series year at or before it, found
    -- by binary search (width_bucket); one row a unit, an indicators × years array
    SELECT t.jst_id, array_agg(t.indicator) AS codes,
           array_agg(ARRAY(SELECT t.series_values[width_bucket(y.year, t.series_years)]
                             FROM unnest(years) WITH ORDINALITY AS y (year, k) ORDER BY y.k)) AS held
      FROM @extschema@.unit_trend t
      JOIN @extschema@.jst j ON j.id = t.jst_id AND j.level = _context_values.level
     WHERE t.indicator = ANY (indicators)
     GROUP BY t.jst_id
)
SELECT y.year, u.jst_id, v.vals
  FROM per_unit u
 CROSS JOIN unnest(years) WITH ORDINALITY AS y (year, k)
 CROSS JOIN LATERAL (SELECT ARRAY(SELECT u.held[array_position(u.codes, i.code)][y.k]
                                    FROM unnest(indicators) WITH ORDINALITY AS i (code, ord) ORDER BY i.ord) AS vals) v
 WHERE cardinality(array_remove(v.vals, NULL)) > 0
$$;

COMMENT ON FUNCTION @extschema@._context_values(text, int[], text[]) IS
  'Internal: for each year and unit of a level, the values of the indicators (in their order), each the unit''s latest value at or before the year (an election year''s turnout holds until the next election); NULL where it has none; units with no value at all are left out (smup.similar_units). Read off each unit''s stored series (smup.unit_trend).';

CREATE OR REPLACE FUNCTION @extschema@._store_similar_units(years int[], levels text[]) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lvl text;
    chosen record;
    n bigint := 0;
    added bigint;
BEGIN
    DELETE FROM @extschema@.similar_unit_store s USING @extschema@.jst j
     WHERE j.id = s.jst_id AND s.year = ANY (years) AND (_store_similar_units.levels IS NULL OR j.level = ANY (_store_similar_units.levels));
    FOR lvl IN SELECT DISTINCT l FROM @extschema@.indicator i CROSS JOIN unnest(i.levels) l
                WHERE i.similarity_weight IS NOT NULL
                  AND (_store_similar_units.levels IS NULL OR l = ANY (_store_similar_units.levels))
                  AND (SELECT count(*) FROM @extschema@.jst j WHERE j.level = l) > @extschema@.similar_k() LOOP
        SELECT * INTO chosen FROM @extschema@._similarity_indicators(lvl, NULL, NULL);
        -- years with the same values (after the last observation of every context indicator,
        -- each year holds the one before) have the same peers: computed once
        INSERT INTO @extschema@.similar_unit_store (jst_id, year, peer_ids, distances)
        SELECT p.jst_id, y.year, p.peer_ids, p.distances
          FROM (SELECT array_agg(m.year) AS years, m.ids, m.vals
                  FROM (SELECT c.year, array_agg(c.jst_id ORDER BY c.jst_id) AS ids, array_agg(c.vals ORDER BY c.jst_id) AS vals
                          FROM @extschema@._context_values(lvl, years, chosen.codes) c GROUP BY c.year) m
                 GROUP BY m.ids, m.vals) d
         CROSS JOIN LATERAL @extschema@._similar_peer_sets(d.ids, d.vals, chosen.weight, @extschema@.similar_k(), 'z') p
         CROSS JOIN unnest(d.years) AS y (year);
        GET DIAGNOSTICS added = ROW_COUNT;
        n := n + added;
    END LOOP;
    RETURN n;
END;
$$;

COMMENT ON FUNCTION @extschema@._store_similar_units(int[], text[]) IS
  'Internal: recomputes smup.similar_unit for these years, of every level with default context indicators or of the levels given (smup.refresh()); returns the number of units with peers.';

CREATE FUNCTION @extschema@._similar_reach()
RETURNS TABLE (year int, until int)
LANGUAGE plpgsql STABLE  -- (plpgsql: pg_temp.refresh_target exists only while a refresh runs)
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT t.year, CASE WHEN bool_or(s.next_year IS NULL) THEN NULL ELSE max(s.next_year) END
      FROM pg_temp.refresh_target t
      JOIN @extschema@.indicator i ON i.code = t.indicator AND i.similarity_weight IS NOT NULL
      JOIN @extschema@.jst j ON j.level = ANY (i.levels)
      JOIN @extschema@.unit_trend u ON u.jst_id = j.id AND u.indicator = t.indicator
     CROSS JOIN LATERAL (SELECT u.series_years[width_bucket(t.year, u.series_years) + 1] AS next_year) s
     WHERE t.year = ANY (u.series_years)
     GROUP BY t.year;
END;
$$;
COMMENT ON FUNCTION @extschema@._similar_reach() IS
  'Internal: for each year of a default context indicator in pg_temp.refresh_target, the first year its values no longer reach (NULL: none; every unit''s value holds until its next), read off the stored series (smup.refresh()).';

CREATE OR REPLACE FUNCTION @extschema@._similar_groups(years int[])
RETURNS TABLE (jst_id text, year int, comparison text, group_id text, group_name text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT s.jst_id, s.year, 'similar', 'similar:' || s.jst_id,
       'podobne: ' || j.name || ' i ' || cardinality(s.peer_ids) || CASE j.level WHEN 'gmina' THEN ' gmin o podobnym kontekście'
                                                                        ELSE ' jednostek o podobnym kontekście' END
  FROM @extschema@.similar_unit_store s JOIN @extschema@.jst j ON j.id = s.jst_id
 WHERE s.year = ANY (years)
$$;

-- ---- a rebuild writes its tables frozen, in batches (smup._insert_frozen) (issue 12) ----

CREATE FUNCTION @extschema@._insert_frozen(target regclass, query text) RETURNS bigint
AS 'MODULE_PATHNAME', 'smup_insert_frozen' LANGUAGE C VOLATILE STRICT;
REVOKE ALL ON FUNCTION @extschema@._insert_frozen(regclass, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@._insert_frozen(regclass, text) IS
  'Internal: inserts the rows of one SELECT (columns named and typed as the table''s) into a plain table without indexes, triggers or check constraints, in batches, frozen when the table was created or truncated in the current subtransaction (as COPY FREEZE); the query may not read the table. Returns the rows written (smup.refresh()).';

DROP FUNCTION @extschema@._store_group_distributions(text);

CREATE FUNCTION @extschema@._store_group_distributions(members text, rebuild boolean) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET enable_mergejoin = off  -- as in _store_indicator_values
-- a rebuild holds every stored group's values at once (8 bytes a value and member, plus the hash
-- table): in memory this takes a third of the time of spilling them to disk
SET work_mem = '512MB'
AS $$
DECLARE
    n bigint;
    distributions text := format($q$
        SELECT x.indicator, x.year, x.group_id, x.distribution, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
          FROM (SELECT m.indicator, m.year, m.group_id, @extschema@.distribution(m.value) AS distribution
                  FROM (%s) m (indicator, year, group_id, value)
                 GROUP BY m.indicator, m.year, m.group_id) x
         CROSS JOIN LATERAL @extschema@.summary(x.distribution) s$q$, members);
BEGIN
    IF rebuild THEN  -- (truncated and stripped of its indexes)
        RETURN @extschema@._insert_frozen('@extschema@.group_distribution', distributions);
    END IF;
    EXECUTE 'INSERT INTO @extschema@.group_distribution
                    (indicator, year, group_id, distribution, n, min, q1, median, q3, max, mean, sd) ' || distributions;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@._store_group_distributions(text, boolean) IS
  'Internal: stores the distribution and summary of each indicator, year and group of the member values a query returns; rebuild: into the truncated table, frozen (smup._insert_frozen) (smup.refresh()).';

CREATE OR REPLACE FUNCTION @extschema@._comparison_groups(years int[], custom_only boolean DEFAULT false)
RETURNS SETOF @extschema@.comparison_group
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
WITH units AS (
    SELECT j.id, j.name, j.level, j.kind, y.year
      FROM @extschema@.jst j CROSS JOIN unnest(years) AS y(year)
     WHERE j.level <> 'kraj'
),
-- the kind in that year: the RODZ digit of the code valid then (cities keep theirs)
kind AS (
    SELECT DISTINCT ON (u.id, u.year) u.id, u.year,
           CASE right(t.teryt7, 1) WHEN '1' THEN 'gmina miejska' WHEN '2' THEN 'gmina wiejska'
                                   ELSE 'gmina miejsko-wiejska' END AS kind
      FROM units u JOIN @extschema@.jst_teryt t ON t.id = u.id
     WHERE u.level = 'gmina' AND u.kind <> 'miasto na prawach powiatu'
       AND coalesce(t.valid_from, '-infinity') <= make_date(u.year, 12, 31)
     ORDER BY u.id, u.year, t.valid_from DESC NULLS LAST
),
-- the population of that year, or of the nearest earlier year, or the nearest later one: each
-- unit's series once, sorted by year, then a binary search per year (width_bucket: the last
-- year at or before it; none, the first year), not every year of it sorted for every year asked
population AS (
    SELECT u.id, u.year, s.vals[greatest(width_bucket(u.year, s.years), 1)] AS population
      FROM units u
      JOIN (SELECT o.jst_id, array_agg(o.year ORDER BY o.year) AS years, array_agg(o.value ORDER BY o.year) AS vals
              FROM @extschema@.observation_all o
             WHERE o.variable = 'ludnosc_ogolem' AND o.status = 'value'
             GROUP BY o.jst_id) s ON s.jst_id = u.id
     WHERE u.level IN ('gmina', 'powiat')
),
unit AS (
    SELECT u.id, u.name, u.level, u.year, coalesce(k.kind, u.kind) AS kind_in_year, p.population
      FROM units u
      LEFT JOIN kind k ON k.id = u.id AND k.year = u.year
      LEFT JOIN population p ON p.id = u.id AND p.year = u.year
)
SELECT u.id, u.year, 'poland', 'PL:' || u.level,
       'Polska: ' || CASE u.level WHEN 'gmina' THEN 'wszystkie gminy' WHEN 'powiat' THEN 'wszystkie powiaty'
                                  ELSE 'wszystkie województwa' END
  FROM unit u
 WHERE NOT custom_only
UNION ALL
SELECT u.id, u.year, 'voivodeship', left(u.id, 2) || ':' || u.level,
       'województwo ' || lower(w.name) || ': ' || CASE u.level WHEN 'gmina' THEN 'gminy' ELSE 'powiaty' END
  FROM unit u JOIN @extschema@.jst w ON w.id = left(u.id, 2)
 WHERE NOT custom_only AND u.level IN ('gmina', 'powiat')
UNION ALL
SELECT u.id, u.year, 'peer', 'peer:' || u.level || ':' || u.kind_in_year || ':' || @extschema@.population_class(u.population),
       u.kind_in_year || ', ' || @extschema@.population_class(u.population) || ' mieszkańców'
  FROM unit u
 WHERE NOT custom_only AND u.level IN ('gmina', 'powiat') AND u.population IS NOT NULL
UNION ALL
SELECT * FROM @extschema@._similar_groups(years) WHERE NOT custom_only
UNION ALL
SELECT u.id, u.year, 'neighbours', 'neighbours:' || u.id,
       'sąsiedzi: ' || u.name || CASE u.level WHEN 'gmina' THEN ' i gminy graniczące' ELSE ' i jednostki graniczące' END
  FROM unit u
 WHERE NOT custom_only
UNION ALL
SELECT u.id, u.year, 'custom', 'custom:' || m.group_name, m.group_name
  FROM units u JOIN @extschema@.custom_group_member m ON m.jst_id = u.id
$$;

CREATE OR REPLACE FUNCTION @extschema@._observed_variable_years()
RETURNS TABLE (variable text, year int)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
WITH RECURSIVE pair AS (
    (SELECT o.variable, o.year FROM @extschema@.observation o ORDER BY o.variable, o.year LIMIT 1)
    UNION ALL
    SELECT nx.variable, nx.year
      FROM pair p
     CROSS JOIN LATERAL (SELECT o.variable, o.year FROM @extschema@.observation o
                          WHERE (o.variable, o.year) > (p.variable, p.year)
                          ORDER BY o.variable, o.year LIMIT 1) nx
)
SELECT p.variable, p.year FROM pair p
UNION
-- (each part a row, joined by equality: hashed, not every pair tested against every list)
SELECT v.code, p.year FROM @extschema@.variable v CROSS JOIN unnest(v.sum_of) AS part(variable)
  JOIN pair p ON p.variable = part.variable
$$;

CREATE OR REPLACE FUNCTION @extschema@._store_indicator_values(every_pair boolean) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
-- the planner cannot size these joins: it would sort millions of rows to merge what hashes in memory
SET enable_mergejoin = off
AS $$
DECLARE
    sums text[];
    derived_variable text;
    years int[];
    derived_years int[];
    lacking text[];
    levels text[];
    values_sql text;
    n bigint;
BEGIN
    -- the derived sums the targets read (smup.observation_all), computed once, not per join
    SELECT array_agg(DISTINCT v.code) INTO sums
      FROM pg_temp.refresh_target t JOIN @extschema@.indicator i ON i.code = t.indicator
      JOIN @extschema@.variable v ON v.code IN (i.numerator, i.denominator)
           AND (v.sum_of IS NOT NULL OR (v.additive AND i.levels && ARRAY['powiat', 'wojewodztwo', 'kraj']));
    SELECT array_agg(DISTINCT y) INTO years
      FROM pg_temp.refresh_target t JOIN @extschema@.indicator i ON i.code = t.indicator
     CROSS JOIN LATERAL (VALUES (t.year), (i.denominator_year)) AS y(y) WHERE y IS NOT NULL;
    DROP TABLE IF EXISTS pg_temp.refresh_derived;
    CREATE TEMP TABLE refresh_derived (jst_id text, variable text, year int, value float8, status text) ON COMMIT DROP;
    -- one sum at a time: an equality on the variable reaches the index of the parts it reads
    -- (a rebuild: every observed year, so that the nearest years below are read from here too)
    derived_years := CASE WHEN every_pair THEN ARRAY(SELECT DISTINCT vy.year FROM pg_temp.variable_year vy) ELSE years END;
    FOREACH derived_variable IN ARRAY coalesce(sums, '{}') LOOP
        -- the sums of the gminy (powiaty, województwa, Poland) only when a target is at their
        -- level; else the unit's own sums of parts alone (smup._observation_unit)
        levels := ARRAY(SELECT DISTINCT l.level FROM pg_temp.refresh_target t
                          JOIN @extschema@.indicator i ON i.code = t.indicator AND derived_variable IN (i.numerator, i.denominator)
                         CROSS JOIN unnest(i.levels) AS l(level));
        INSERT INTO pg_temp.refresh_derived
        SELECT o.jst_id, o.variable, o.year, o.value, o.status
          FROM @extschema@.observation_all o
         WHERE levels && ARRAY['powiat', 'wojewodztwo', 'kraj']
           AND o.derived AND o.variable = derived_variable AND o.year = ANY (derived_years)
        UNION ALL
        SELECT o.jst_id, o.variable, o.year, o.value, o.status
          FROM @extschema@._observation_unit o
         WHERE NOT levels && ARRAY['powiat', 'wojewodztwo', 'kraj']
           AND o.derived AND o.variable = derived_variable AND o.year = ANY (derived_years);
    END LOOP;
    CREATE INDEX ON pg_temp.refresh_derived (jst_id, variable, year);  -- a few targets probe it unit by unit
    ANALYZE pg_temp.refresh_derived;
    -- a slowly changing denominator not observed in a year: its nearest observed year's value
    FOR derived_variable IN SELECT DISTINCT i.denominator FROM pg_temp.refresh_target t
                 JOIN @extschema@.indicator i ON i.code = t.indicator AND i.denominator_nearest_year LOOP
        -- a few targets: only the units of their levels that lack it in a year asked (mostly none)
        lacking := CASE WHEN NOT every_pair THEN ARRAY(
            SELECT DISTINCT j.id FROM @extschema@.jst j CROSS JOIN unnest(years) AS y(year)
             WHERE j.level IN (SELECT l.level FROM pg_temp.refresh_target t
                                 JOIN @extschema@.indicator i ON i.code = t.indicator AND i.denominator = derived_variable
                                CROSS JOIN unnest(i.levels) AS l(level))
               AND NOT EXISTS (SELECT FROM @extschema@.observation x
                                WHERE x.jst_id = j.id AND x.variable = derived_variable AND x.year = y.year)
               AND NOT EXISTS (SELECT FROM pg_temp.refresh_derived x
                                WHERE x.jst_id = j.id AND x.variable = derived_variable AND x.year = y.year)) END;
        CONTINUE WHEN cardinality(lacking) = 0;
        INSERT INTO pg_temp.refresh_derived
        WITH observed AS MATERIALIZED (
            -- a rebuild has every derived value at hand (not computed again); a few targets read
            -- the lacking units' values of every year
            SELECT o.jst_id, o.year, o.value, o.status FROM @extschema@.observation o
             WHERE every_pair AND o.variable = derived_variable
            UNION ALL
            SELECT o.jst_id, o.year, o.value, o.status FROM pg_temp.refresh_derived o
             WHERE every_pair AND o.variable = derived_variable AND o.status NOT LIKE 'nearest:%'
            UNION ALL
            SELECT o.jst_id, o.year, o.value, o.status FROM @extschema@.observation_all o
             WHERE NOT every_pair AND o.variable = derived_variable AND o.jst_id = ANY (lacking))
        SELECT DISTINCT ON (o.jst_id, y.year) o.jst_id, derived_variable, y.year, o.value, 'nearest:' || o.status
          FROM observed o CROSS JOIN unnest(years) AS y(year)
         WHERE NOT EXISTS (SELECT FROM observed e WHERE e.jst_id = o.jst_id AND e.year = y.year)
         ORDER BY o.jst_id, y.year, abs(o.year - y.year), o.year;
        ANALYZE pg_temp.refresh_derived;
    END LOOP;

    values_sql := format($q$
    SELECT y.code AS indicator, y.year, y.jst_id, y.value, y.status, y.numerator, y.denominator,
           coalesce((y.rate).lower, (y.proportion).lower * y.multiplier) + y.value_offset AS ci_lower,
           coalesce((y.rate).upper, (y.proportion).upper * y.multiplier) + y.value_offset AS ci_upper
      -- the status once per row, then the value and the interval once from it: each level a
      -- subquery kept whole (OFFSET 0), or the planner would inline the status into every
      -- expression that reads it (a lateral subquery per row costs a third of the pass more);
      -- exact intervals only where they are defined (a rate needs a positive multiplier)
      FROM (SELECT x.*,
                   CASE WHEN x.status IN ('value', '-')
                        THEN x.numerator / coalesce(x.denominator, 1) * x.multiplier + x.value_offset END AS value,
                   CASE WHEN x.ci_method = 'poisson' AND x.status IN ('value', '-') AND x.multiplier > 0
                             AND x.numerator >= 0 AND x.denominator > 0
                        THEN @extschema@.rate_ci(x.numerator, x.denominator, x.multiplier) END AS rate,
                   CASE WHEN x.ci_method = 'wilson' AND x.status IN ('value', '-')
                             AND x.numerator >= 0 AND x.numerator <= x.denominator AND x.denominator > 0
                        THEN @extschema@.proportion_ci(x.numerator, x.denominator) END AS proportion
              FROM (SELECT i.code, n.year, n.jst_id, n.value AS numerator, d.value AS denominator,
                           i.multiplier, i.value_offset, i.ci_method,
                           @extschema@.ratio_status(n.status, replace(d.status, 'nearest:', ''), d.value,
                                                    i.denominator IS NOT NULL) AS status
                      -- driven by the numerator's observations: one streaming pass, every other side small
                      FROM (SELECT o.jst_id, o.variable, o.year, o.value, o.status FROM @extschema@.observation o
                            UNION ALL
                            SELECT o.jst_id, o.variable, o.year, o.value, o.status FROM pg_temp.refresh_derived o
                             WHERE o.status NOT LIKE 'nearest:%%') n
                      JOIN @extschema@.indicator i ON i.numerator = n.variable
                      %s
                      JOIN @extschema@.jst j ON j.id = n.jst_id AND j.level = ANY (i.levels)
                      LEFT JOIN (SELECT o.jst_id, o.variable, o.year, o.value, o.status FROM @extschema@.observation o
                                  %s
                                 UNION ALL
                                 SELECT o.jst_id, o.variable, o.year, o.value, o.status FROM pg_temp.refresh_derived o) d
                             ON d.jst_id = n.jst_id AND d.variable = i.denominator
                            AND d.year = coalesce(i.denominator_year, n.year)
                            AND (d.status NOT LIKE 'nearest:%%' OR i.denominator_nearest_year)
                     -- no denominator at all: nothing to show (GUS has no symbol for it;
                     -- smup.indicator_catalogue shows each indicator's years)
                     WHERE i.denominator IS NULL OR d.jst_id IS NOT NULL
                    OFFSET 0) x
            OFFSET 0) y$q$,
        -- every pair (a rebuild) needs no filter, and a filter the planner cannot size would
        -- make it sort millions of rows to merge them instead of hashing the small sides
        CASE WHEN every_pair THEN ''
             ELSE 'JOIN pg_temp.refresh_target t ON t.indicator = i.code AND t.year = n.year AND t.observed' END,
        -- a rebuild hashes the few denominators once; a few targets probe them unit by unit
        CASE WHEN every_pair THEN 'WHERE o.variable IN (SELECT i.denominator FROM @extschema@.indicator i)' ELSE '' END);
    IF every_pair THEN
        -- (truncated and stripped of its indexes by the rebuild)
        RETURN @extschema@._insert_frozen('@extschema@.indicator_value_store', values_sql);
    END IF;
    EXECUTE 'INSERT INTO @extschema@.indicator_value_store
                    (indicator, year, jst_id, value, status, numerator, denominator, ci_lower, ci_upper) ' || values_sql;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

CREATE OR REPLACE FUNCTION @extschema@._store_unit_trends(every_indicator boolean) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- a rebuild holds every unit's series at once: in memory, not spilled to disk in batches
SET work_mem = '1GB'
AS $$
DECLARE
    n bigint;
    seqscan text;
BEGIN
    IF every_indicator THEN
        -- (a rebuild: truncated and stripped of its indexes)
        RETURN @extschema@._insert_frozen('@extschema@.unit_trend', $q$
        SELECT x.indicator, x.jst_id, ((x.s).trend).n AS n, ((x.s).trend).ols_slope AS ols_slope,
               ((x.s).trend).theil_sen_slope AS theil_sen_slope, ((x.s).trend).mann_kendall_p AS mann_kendall_p,
               (x.s).series_years AS series_years, (x.s).series_values AS series_values
          -- (the series sorted by the trend's own sort, not one sort a unit and indicator)
          FROM (SELECT v.indicator, v.jst_id, @extschema@._trend_series(v.year, v.value) AS s
                  FROM @extschema@.indicator_value_store v
                 WHERE v.status IN ('value', '-')
                 GROUP BY v.indicator, v.jst_id) x$q$);
    END IF;
    -- each unit's stored series with the recomputed years' points replaced: one probe of its trend
    -- and one of the values per recomputed year, unit by unit (the planner would rather scan both
    -- tables whole, many times slower; the caller's setting is put back after)
    seqscan := current_setting('enable_seqscan');
    PERFORM set_config('enable_seqscan', 'off', true);
    CREATE TEMP TABLE new_unit_trend ON COMMIT DROP AS
    SELECT ti.indicator, j.id AS jst_id, ((x.s).trend).n, ((x.s).trend).ols_slope, ((x.s).trend).theil_sen_slope,
           ((x.s).trend).mann_kendall_p, (x.s).series_years, (x.s).series_values
      FROM (SELECT t.indicator, array_agg(t.year) AS years FROM pg_temp.refresh_target t GROUP BY t.indicator) ti
     CROSS JOIN @extschema@.jst j
      LEFT JOIN @extschema@.unit_trend u ON u.jst_id = j.id AND u.indicator = ti.indicator
     CROSS JOIN LATERAL (
         SELECT @extschema@._trend_series(p.year, p.value) AS s
           FROM (SELECT o.year, o.value FROM unnest(u.series_years, u.series_values) AS o(year, value)
                  WHERE o.year <> ALL (ti.years)
                 UNION ALL
                 SELECT v.year, v.value FROM @extschema@.indicator_value_store v
                  WHERE v.jst_id = j.id AND v.year = ANY (ti.years) AND v.indicator = ti.indicator
                    AND v.status IN ('value', '-')) p) x
     WHERE (x.s).series_years IS NOT NULL;
    DELETE FROM @extschema@.unit_trend u
     USING (SELECT DISTINCT t.indicator FROM pg_temp.refresh_target t) ti, @extschema@.jst j
     WHERE u.jst_id = j.id AND u.indicator = ti.indicator;
    PERFORM set_config('enable_seqscan', seqscan, true);
    INSERT INTO @extschema@.unit_trend SELECT * FROM pg_temp.new_unit_trend;
    GET DIAGNOSTICS n = ROW_COUNT;
    DROP TABLE pg_temp.new_unit_trend;
    RETURN n;
END;
$$;

COMMENT ON FUNCTION @extschema@._store_unit_trends(boolean) IS
  'Internal: stores every unit''s trend and series in the indicators of pg_temp.refresh_target (replacing the points of its years in the stored series), or in every indicator (smup.refresh()).';

CREATE OR REPLACE FUNCTION @extschema@.refresh(full boolean DEFAULT false)
RETURNS TABLE (object text, method text, rows bigint, seconds numeric)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
SET jit = off  -- compiling the big statements costs more than it saves here
-- the full rebuild hashes every value once: a few hundred MB keeps it in memory (a refresh is a
-- maintenance job, not a query run by many at once)
SET work_mem = '256MB'
-- … and sorts them into indexes: in runs of 64 MB merged, half the time of one sort in memory of
-- millions of rows (measured: 20 s against 35 s for the stored values' key)
SET maintenance_work_mem = '64MB'
AS $$
DECLARE
    t0 timestamptz;
    rebuild boolean := coalesce(refresh.full, false);
    register_changed boolean;
    years int[];
    similar_years int[];
    similar_levels text[];
    stored_years int[];
    nestloop text;
    n_target bigint;
    n_all bigint;
    n bigint;
    index_sql text[];
    store_index_sql text[];
    group_scope text;
    n_poland bigint;
    stmt text;
BEGIN
    -- one refresh at a time; loads go on meanwhile and what they queue is left for the next one
    PERFORM pg_advisory_xact_lock(hashtext('smup.refresh'));
    t0 := clock_timestamp();
    DROP TABLE IF EXISTS pg_temp.refresh_change, pg_temp.variable_year, pg_temp.refresh_target,
                         pg_temp.refresh_reach, pg_temp.new_comparison_group, pg_temp.old_comparison_group,
                         pg_temp.changed_group, pg_temp.new_similar_group, pg_temp.similar_reach;
    CREATE TEMP TABLE refresh_change ON COMMIT DROP AS
      WITH taken AS (DELETE FROM @extschema@.refresh_queue RETURNING *)
      SELECT t.variable, t.year, t.indicator, t.register, t.custom_groups FROM taken t;
    register_changed := EXISTS (SELECT FROM pg_temp.refresh_change c WHERE c.register);

    IF register_changed OR NOT EXISTS (SELECT FROM @extschema@.neighbour) THEN
        PERFORM @extschema@.refresh_neighbours();
        ANALYZE @extschema@.neighbour;
        object := 'neighbour'; method := 'refresh_neighbours()';
        rows := (SELECT count(*) FROM @extschema@.neighbour);
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
        t0 := clock_timestamp();
    END IF;

    -- what there is: every indicator in every year its numerator is observed
    CREATE TEMP TABLE variable_year ON COMMIT DROP AS SELECT * FROM @extschema@._observed_variable_years();
    CREATE TEMP TABLE refresh_target (indicator text, year int, observed boolean) ON COMMIT DROP;
    INSERT INTO pg_temp.refresh_target
    SELECT i.code, vy.year, true FROM @extschema@.indicator i JOIN pg_temp.variable_year vy ON vy.variable = i.numerator;
    n_all := (SELECT count(*) FROM pg_temp.refresh_target);
    years := ARRAY(SELECT DISTINCT t.year FROM pg_temp.refresh_target t ORDER BY 1);
    rebuild := rebuild OR register_changed OR NOT EXISTS (SELECT FROM @extschema@.indicator_value_store);

    IF NOT rebuild THEN
        -- what the queued changes reach: the indicators reading a changed variable (as numerator,
        -- denominator or a part of either) in the year it changed; every year of a changed
        -- indicator, of one whose fixed denominator year changed, or of one that may read its
        -- denominator's nearest year
        CREATE TEMP TABLE refresh_reach ON COMMIT DROP AS
        SELECT i.code AS indicator,
               CASE WHEN (c.variable = i.denominator OR c.variable = ANY (d.sum_of))
                         AND (i.denominator_nearest_year
                              OR (i.denominator_year IS NOT NULL AND (c.year IS NULL OR c.year = i.denominator_year)))
                    THEN NULL ELSE c.year END AS year
          FROM pg_temp.refresh_change c
          JOIN @extschema@.indicator i ON true
          LEFT JOIN @extschema@.variable nv ON nv.code = i.numerator
          LEFT JOIN @extschema@.variable d ON d.code = i.denominator
         WHERE c.variable = i.numerator OR c.variable = ANY (nv.sum_of)
            OR c.variable = i.denominator OR c.variable = ANY (d.sum_of)
        UNION
        SELECT c.indicator, NULL FROM pg_temp.refresh_change c WHERE c.indicator IS NOT NULL;
        DELETE FROM pg_temp.refresh_target t
         WHERE NOT EXISTS (SELECT FROM pg_temp.refresh_reach r
                            WHERE r.indicator = t.indicator AND (r.year IS NULL OR r.year = t.year));
        -- years reached that an indicator no longer has (its numerator gone, the indicator
        -- deleted): their rows go; "every year" means every year the indicator has stored (read
        -- off the distributions' key, not a scan of them) or has now
        INSERT INTO pg_temp.refresh_target
        SELECT DISTINCT r.indicator, y.year, false
          FROM pg_temp.refresh_reach r
         CROSS JOIN LATERAL (SELECT d.year FROM @extschema@.group_distribution d WHERE d.indicator = r.indicator
                             UNION SELECT unnest(years)) y
         WHERE (r.year IS NULL OR y.year = r.year)
           AND NOT EXISTS (SELECT FROM pg_temp.refresh_target t WHERE t.indicator = r.indicator AND t.year = y.year);
        n_target := (SELECT count(*) FROM pg_temp.refresh_target);
        -- past half of everything, rebuilding is quicker than replacing row by row
        IF n_target * 2 > n_all THEN
            rebuild := true;
            DELETE FROM pg_temp.refresh_target;
            INSERT INTO pg_temp.refresh_target
            SELECT i.code, vy.year, true FROM @extschema@.indicator i JOIN pg_temp.variable_year vy ON vy.variable = i.numerator;
        END IF;
    END IF;
    n_target := (SELECT count(*) FROM pg_temp.refresh_target);
    ANALYZE pg_temp.refresh_target;

    -- the years of similar units the context values about to be replaced reach (step 1b)
    IF NOT rebuild THEN
        CREATE TEMP TABLE similar_reach ON COMMIT DROP AS SELECT * FROM @extschema@._similar_reach();
    END IF;

    -- 1. indicator values
    IF rebuild THEN
        ANALYZE @extschema@.observation, @extschema@.variable, @extschema@.indicator, @extschema@.jst, @extschema@.jst_teryt,
                @extschema@.custom_group_member;
        TRUNCATE @extschema@.indicator_value_store, @extschema@.group_distribution, @extschema@.unit_trend,
                 @extschema@.comparison_group, @extschema@.similar_unit_store;
        store_index_sql := @extschema@._drop_indexes('@extschema@.indicator_value_store');
        -- (the groups and similar units are read whole by the steps below: hashed, not probed)
        index_sql := @extschema@._drop_indexes('@extschema@.group_distribution')
                  || @extschema@._drop_indexes('@extschema@.unit_trend')
                  || @extschema@._drop_indexes('@extschema@.comparison_group')
                  || @extschema@._drop_indexes('@extschema@.similar_unit_store');
    ELSE
        DELETE FROM @extschema@.indicator_value_store s USING pg_temp.refresh_target t, @extschema@.jst j
         WHERE s.jst_id = j.id AND s.year = t.year AND s.indicator = t.indicator;
    END IF;
    n := @extschema@._store_indicator_values(rebuild);
    IF rebuild THEN
        FOREACH stmt IN ARRAY store_index_sql LOOP
            EXECUTE stmt;  -- the next steps read the values unit by unit
        END LOOP;
        ANALYZE @extschema@.indicator_value_store;
    END IF;
    object := 'indicator_value';
    method := CASE WHEN rebuild THEN 'full' ELSE format('%s of %s indicator-years', n_target, n_all) END;
    rows := n;
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;
    t0 := clock_timestamp();

    -- 1a. trends of the indicators recomputed, over all their years (before the similar units,
    -- which read the context indicators' values off the trends' series)
    n := @extschema@._store_unit_trends(rebuild);
    IF rebuild THEN
        ANALYZE @extschema@.unit_trend;
    END IF;
    object := 'unit_trend';
    method := CASE WHEN rebuild THEN 'full' ELSE 'incremental' END;
    rows := n;
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;
    t0 := clock_timestamp();

    -- 1b. similar units: recomputed when a default context indicator's values were, in the
    -- years those values reach (a value holds until the unit's next: from the year changed up
    -- to the next year every unit has a value, read off the series before and after), at the
    -- levels it applies to; in every year and level when the catalogue changed (a weight, a
    -- role); in every level for a year with none stored yet. Their groups (one per unit,
    -- members read when the views are) follow here.
    IF rebuild OR EXISTS (SELECT FROM pg_temp.refresh_change c WHERE c.indicator IS NOT NULL) THEN
        similar_years := years;
    ELSE
        INSERT INTO pg_temp.similar_reach SELECT * FROM @extschema@._similar_reach();
        similar_years := ARRAY(SELECT y FROM unnest(years) y
                                WHERE EXISTS (SELECT FROM pg_temp.similar_reach r
                                               WHERE y >= r.year AND (r.until IS NULL OR y < r.until))
                                ORDER BY y);
        similar_levels := ARRAY(SELECT DISTINCT l.level FROM pg_temp.refresh_target t
                                  JOIN @extschema@.indicator i ON i.code = t.indicator AND i.similarity_weight IS NOT NULL
                                 CROSS JOIN unnest(i.levels) AS l(level) ORDER BY 1);
        stored_years := ARRAY(SELECT DISTINCT s.year FROM @extschema@.similar_unit_store s);
        IF NOT years <@ stored_years THEN
            similar_years := ARRAY(SELECT y FROM unnest(years) y
                                    WHERE y = ANY (similar_years) OR y <> ALL (stored_years) ORDER BY y);
            similar_levels := NULL;
        END IF;
    END IF;
    -- a year no longer stored (its values deleted: a target no longer observed) leaves
    IF NOT rebuild AND EXISTS (SELECT FROM pg_temp.refresh_target t WHERE NOT t.observed) THEN
        DELETE FROM @extschema@.similar_unit_store s WHERE s.year <> ALL (years);
    END IF;
    IF cardinality(similar_years) > 0 THEN
        n := @extschema@._store_similar_units(similar_years, similar_levels);
        IF NOT rebuild THEN
            CREATE TEMP TABLE new_similar_group ON COMMIT DROP AS SELECT * FROM @extschema@._similar_groups(similar_years);
            DELETE FROM @extschema@.comparison_group g
             WHERE g.comparison = 'similar' AND g.year = ANY (similar_years)
               AND NOT EXISTS (SELECT FROM pg_temp.new_similar_group x
                                WHERE (x.jst_id, x.year, x.group_id, x.group_name) = (g.jst_id, g.year, g.group_id, g.group_name));
            -- (the stored similar groups of these years only: not every group hashed)
            INSERT INTO @extschema@.comparison_group
            SELECT * FROM pg_temp.new_similar_group x
             WHERE NOT EXISTS (SELECT FROM @extschema@.comparison_group g
                                WHERE g.comparison = 'similar' AND g.year = ANY (similar_years)
                                  AND (x.jst_id, x.year, x.comparison, x.group_id) = (g.jst_id, g.year, g.comparison, g.group_id));
        END IF;
        object := 'similar_unit';
        method := CASE WHEN similar_years = years AND similar_levels IS NULL THEN 'full'
                       ELSE format('%s of %s years', cardinality(similar_years), cardinality(years))
                            || coalesce(', ' || array_to_string(similar_levels, ', '), '') END;
        rows := n;
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
        t0 := clock_timestamp();
    END IF;

    -- 2. comparison groups: replaced where they differ; changed memberships noted. Peer groups
    -- follow the register and the population, custom groups their members: what changed
    -- neither, and no year came or went, keeps its groups untouched.
    group_scope := CASE
        WHEN rebuild OR years IS DISTINCT FROM ARRAY(SELECT DISTINCT g.year FROM @extschema@.comparison_group g ORDER BY 1)
             OR EXISTS (SELECT FROM pg_temp.refresh_change c JOIN @extschema@.variable v ON v.code = 'ludnosc_ogolem'
                         WHERE c.variable = v.code OR c.variable = ANY (v.sum_of))
          THEN 'all'
        WHEN EXISTS (SELECT FROM pg_temp.refresh_change c WHERE c.custom_groups) THEN 'custom'
        ELSE 'none' END;
    CREATE TEMP TABLE new_comparison_group ON COMMIT DROP AS
    SELECT * FROM @extschema@._comparison_groups(years, group_scope = 'custom') WHERE group_scope <> 'none';
    IF rebuild THEN
        INSERT INTO @extschema@.comparison_group SELECT * FROM pg_temp.new_comparison_group;
        ANALYZE @extschema@.comparison_group;
        CREATE TEMP TABLE changed_group (group_id text, year int) ON COMMIT DROP;
        method := 'full';
    ELSE
        -- the stored rows in scope, to compare with the new ones
        CREATE TEMP TABLE old_comparison_group ON COMMIT DROP AS
        SELECT * FROM @extschema@.comparison_group g
         WHERE group_scope = 'all' OR (group_scope = 'custom' AND g.comparison = 'custom');
        CREATE TEMP TABLE changed_group ON COMMIT DROP AS
        SELECT DISTINCT x.group_id, x.year
          FROM ((SELECT g.jst_id, g.year, g.comparison, g.group_id FROM pg_temp.new_comparison_group g
                 EXCEPT SELECT g.jst_id, g.year, g.comparison, g.group_id FROM pg_temp.old_comparison_group g)
                UNION ALL
                (SELECT g.jst_id, g.year, g.comparison, g.group_id FROM pg_temp.old_comparison_group g
                 EXCEPT SELECT g.jst_id, g.year, g.comparison, g.group_id FROM pg_temp.new_comparison_group g)) x
         WHERE x.comparison NOT IN ('neighbours', 'similar');
        DELETE FROM @extschema@.comparison_group g
         WHERE (group_scope = 'all' OR (group_scope = 'custom' AND g.comparison = 'custom'))
           AND NOT EXISTS (SELECT FROM pg_temp.new_comparison_group x
                            WHERE (x.jst_id, x.year, x.comparison, x.group_id, x.group_name)
                                = (g.jst_id, g.year, g.comparison, g.group_id, g.group_name));
        INSERT INTO @extschema@.comparison_group
        SELECT * FROM pg_temp.new_comparison_group x
         WHERE NOT EXISTS (SELECT FROM @extschema@.comparison_group g
                            WHERE (x.jst_id, x.year, x.comparison, x.group_id, x.group_name)
                                = (g.jst_id, g.year, g.comparison, g.group_id, g.group_name));
        method := format('%s: %s groups changed', group_scope, (SELECT count(*) FROM pg_temp.changed_group));
    END IF;
    object := 'comparison_group';
    rows := (SELECT count(*) FROM @extschema@.comparison_group);
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;
    t0 := clock_timestamp();

    -- 3. group distributions: of the recomputed indicator-years, and of the changed groups
    IF NOT rebuild THEN
        DELETE FROM @extschema@.group_distribution d USING pg_temp.refresh_target t
         WHERE d.indicator = t.indicator AND d.year = t.year;
        DELETE FROM @extschema@.group_distribution d USING pg_temp.changed_group c
         WHERE d.group_id = c.group_id AND d.year = c.year;
    END IF;
    IF rebuild THEN
        -- every value into each of its groups: one pass over the values hashed against the small
        -- groups table (probing the values unit by unit would read their pages at random)
        nestloop := current_setting('enable_nestloop');
        PERFORM set_config('enable_nestloop', 'off', true);
        -- the gminy and powiaty of Poland are those of its województwa: their Poland group is the
        -- union of the voivodeship groups' sorted values (a merge), not another pass over values
        n := @extschema@._store_group_distributions($q$
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM @extschema@.comparison_group g
              JOIN @extschema@.indicator_value_store v ON v.jst_id = g.jst_id AND v.year = g.year
             WHERE v.status IN ('value', '-') AND g.comparison NOT IN ('neighbours', 'similar')
               AND NOT (g.comparison = 'poland' AND g.group_id IN ('PL:gmina', 'PL:powiat'))$q$, true);
        PERFORM set_config('enable_nestloop', nestloop, true);
        INSERT INTO @extschema@.group_distribution
               (indicator, year, group_id, distribution, n, min, q1, median, q3, max, mean, sd)
        SELECT x.indicator, x.year, x.group_id, x.distribution, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
          FROM (SELECT d.indicator, d.year, 'PL:' || split_part(d.group_id, ':', 2) AS group_id,
                       @extschema@.distribution(d.distribution) AS distribution
                  FROM @extschema@.group_distribution d
                 WHERE d.group_id ~ '^[0-9]{2}:(gmina|powiat)$'
                 GROUP BY 1, 2, 3) x
         CROSS JOIN LATERAL @extschema@.summary(x.distribution) s;
        GET DIAGNOSTICS n_poland = ROW_COUNT;
        n := n + n_poland;
    ELSE
        n := @extschema@._store_group_distributions($q$
            -- (each unit's value probed once, then its groups: not once per group it is in)
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM pg_temp.refresh_target t
             CROSS JOIN @extschema@.jst j
              JOIN @extschema@.indicator_value_store v ON v.jst_id = j.id AND v.year = t.year AND v.indicator = t.indicator
              JOIN @extschema@.comparison_group g ON g.jst_id = v.jst_id AND g.year = v.year
                   AND g.comparison NOT IN ('neighbours', 'similar')
             WHERE t.observed AND v.status IN ('value', '-')
            UNION ALL
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM pg_temp.changed_group c
              JOIN @extschema@.comparison_group g ON g.group_id = c.group_id AND g.year = c.year
              JOIN @extschema@.indicator_value_store v ON v.jst_id = g.jst_id AND v.year = g.year
             WHERE v.status IN ('value', '-')
               AND NOT EXISTS (SELECT FROM pg_temp.refresh_target t WHERE t.indicator = v.indicator AND t.year = v.year)$q$, false);
    END IF;
    object := 'group_distribution';
    method := CASE WHEN rebuild THEN 'full' ELSE 'incremental' END;
    rows := n;
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;
    t0 := clock_timestamp();

    IF rebuild THEN
        FOREACH stmt IN ARRAY index_sql LOOP
            EXECUTE stmt;
        END LOOP;
        ANALYZE @extschema@.group_distribution, @extschema@.similar_unit_store;
        object := 'indexes'; method := 'rebuilt'; rows := cardinality(index_sql);
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
    END IF;
END;
$$;

COMMENT ON FUNCTION @extschema@.refresh(boolean) IS
  'Przelicza SMUP / keeps everything derived up to date: the neighbour sets (when empty or the register changed), then the indicator values and the unit trends, the similar units (when a default context indicator or the catalogue changed), comparison groups and group distributions. Incremental by default: only the indicators and years that smup.refresh_queue says were touched by loads and catalogue edits since the last refresh, and only the groups whose membership changed (a custom group takes effect in well under a second). full => true (or a register change, or more than half of everything touched) rebuilds all of it, holding an exclusive lock on the derived tables until it commits; an incremental refresh never blocks readers. Reports each step, its method, rows and seconds. SECURITY DEFINER: grant EXECUTE to the roles that may refresh.';

-- ---- smup.observation_all: a unit's own value is probed by year, not compared with its sums of every year (issue 12) ----

CREATE OR REPLACE VIEW @extschema@.observation_all AS
SELECT o.jst_id, o.variable, o.year, o.value, o.status, o.source, o.derived
  FROM @extschema@._observation_unit o
UNION ALL
SELECT a.id, o.variable, o.year,
       CASE WHEN count(*) = a.gminy AND bool_and(o.status IN ('value', '-')) THEN sum(o.value) END,
       @extschema@._sum_status(count(*) = a.gminy, bool_or(o.status = '#'), bool_or(o.status = 'x'),
                               bool_or(o.status = '.'), bool_and(o.status = '-')),
       'sum of the gminy', true
  FROM @extschema@._observation_unit o
  JOIN @extschema@.variable v ON v.code = o.variable AND v.additive
  JOIN (SELECT g.id AS gmina_id, u.id, count(*) OVER (PARTITION BY u.id) AS gminy
          FROM @extschema@.jst g
         CROSS JOIN LATERAL (VALUES (g.parent_id), (left(g.id, 2)), ('PL')) AS u(id)
         WHERE g.level = 'gmina') a ON a.gmina_id = o.jst_id
 -- the unit has no value of its own, observed or a sum of its own parts: two probes of the
 -- observations by unit, variable and year (OFFSET 0 keeps each a probe: as an anti-join or a
 -- hashed subplan the planner may hash every observation; an anti-join with
 -- smup._observation_unit would compute the unit's sums in every year to compare)
 WHERE NOT EXISTS (SELECT FROM @extschema@.observation d
                    WHERE d.jst_id = a.id AND d.variable = o.variable AND d.year = o.year OFFSET 0)
   AND NOT EXISTS (SELECT FROM @extschema@.observation d
                    WHERE d.jst_id = a.id AND d.variable = ANY (v.sum_of) AND d.year = o.year OFFSET 0)
 GROUP BY a.id, a.gminy, o.variable, o.year;

-- ---- smup.benchmark: change_prev_year probes the previous year's value by key (issue 12) ----

CREATE OR REPLACE VIEW @extschema@.benchmark AS
SELECT b.jst_id, j.name AS jst_name, j.kind, j.level, b.indicator, i.name_pl AS indicator_name, i.area, i.polarity, i.unit,
       b.year, b.value, b.status, b.comparison, b.group_id, b.group_name,
       b.n AS group_n, (pos.p).rank, (pos.p).percentile,
       b.min AS group_min, b.q1 AS group_q1, b.median AS group_median, b.q3 AS group_q3, b.max AS group_max,
       b.mean AS group_mean,
       CASE WHEN b.sd > 0 THEN (b.value - b.mean) / b.sd END AS z_score,
       -- (one probe of the key per row read: a join would gather every year of the unit)
       b.value - (SELECT p.value FROM @extschema@.indicator_value_store p
                   WHERE p.jst_id = b.jst_id AND p.year = b.year - 1 AND p.indicator = b.indicator) AS change_prev_year,
       t.ols_slope AS trend_slope, t.theil_sen_slope AS trend_theil_sen, t.mann_kendall_p AS trend_mann_kendall_p,
       b.ci_lower, b.ci_upper,
       l.display_name AS jst_display_name, l.powiat_id, l.powiat_name, l.wojewodztwo_id, l.wojewodztwo_name,
       CASE i.polarity WHEN 'neutral' THEN 'highest' ELSE 'best' END AS direction
  FROM (SELECT v.jst_id, v.indicator, v.year, v.value, v.status, v.ci_lower, v.ci_upper,
               g.comparison, g.group_id, g.group_name,
               d.distribution, d.n, d.min, d.q1, d.median, d.q3, d.max, d.mean, d.sd
          FROM @extschema@.indicator_value_store v
          JOIN @extschema@.comparison_group g ON g.jst_id = v.jst_id AND g.year = v.year AND g.comparison NOT IN ('neighbours', 'similar')
          LEFT JOIN @extschema@.group_distribution d ON d.indicator = v.indicator AND d.year = v.year AND d.group_id = g.group_id
        UNION ALL
        SELECT v.jst_id, v.indicator, v.year, v.value, v.status, v.ci_lower, v.ci_upper,
               g.comparison, g.group_id, g.group_name,
               nd.distribution, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
          FROM @extschema@.indicator_value_store v
          JOIN @extschema@.comparison_group g ON g.jst_id = v.jst_id AND g.year = v.year AND g.comparison = 'neighbours'
          LEFT JOIN (SELECT c.id AS jst_id, m.indicator, m.year, @extschema@.distribution(m.value) AS distribution
                       FROM (SELECT j.id, j.id AS member_id FROM @extschema@.jst j
                             UNION ALL
                             SELECT n.id, n.neighbour_id FROM @extschema@.neighbour n WHERE n.rule = 'queen' AND n."order" = 1) c
                       JOIN @extschema@.indicator_value_store m ON m.jst_id = c.member_id AND m.status IN ('value', '-')
                      GROUP BY c.id, m.indicator, m.year) nd
                 ON nd.jst_id = v.jst_id AND nd.indicator = v.indicator AND nd.year = v.year
          LEFT JOIN LATERAL @extschema@.summary(nd.distribution) s ON true
        UNION ALL
        SELECT v.jst_id, v.indicator, v.year, v.value, v.status, v.ci_lower, v.ci_upper,
               g.comparison, g.group_id, g.group_name,
               sd.distribution, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
          FROM @extschema@.indicator_value_store v
          JOIN @extschema@.comparison_group g ON g.jst_id = v.jst_id AND g.year = v.year AND g.comparison = 'similar'
          LEFT JOIN (SELECT c.jst_id, m.indicator, m.year, @extschema@.distribution(m.value) AS distribution
                       FROM (SELECT u.jst_id, u.year, u.jst_id AS member_id FROM @extschema@.comparison_group u
                              WHERE u.comparison = 'similar'
                             UNION ALL
                             SELECT s.jst_id, s.year, unnest(s.peer_ids) FROM @extschema@.similar_unit_store s) c
                       JOIN @extschema@.indicator_value_store m
                         ON m.jst_id = c.member_id AND m.year = c.year AND m.status IN ('value', '-')
                      GROUP BY c.jst_id, m.indicator, m.year) sd
                 ON sd.jst_id = v.jst_id AND sd.indicator = v.indicator AND sd.year = v.year
          LEFT JOIN LATERAL @extschema@.summary(sd.distribution) s ON true) b
  JOIN @extschema@.jst j ON j.id = b.jst_id
  JOIN @extschema@.jst_label l ON l.id = b.jst_id
  JOIN @extschema@.indicator i ON i.code = b.indicator
  -- one call a row (OFFSET 0 keeps it from being inlined into one call per column)
  CROSS JOIN LATERAL (SELECT CASE WHEN b.status IN ('value', '-')
                                  THEN @extschema@.group_position(b.distribution, b.value, i.polarity) END AS p OFFSET 0) pos
  LEFT JOIN @extschema@.unit_trend t ON t.indicator = b.indicator AND t.jst_id = b.jst_id;

-- ---- smup.profile: reads the stored values a unit and year at a time, with its owner's rights (issue 12) ----

CREATE OR REPLACE FUNCTION @extschema@.profile(jst_id text, year int DEFAULT NULL)
RETURNS TABLE (area text, indicator text, indicator_name text, unit text, polarity text, value float8, status text,
               ci_lower float8, ci_upper float8,
               percentile_poland float8, percentile_voivodeship float8, percentile_peer float8,
               percentile_neighbours float8, percentile_custom text, peer_group text,
               change_prev_year float8, trend_slope float8, percentile_similar float8, value_year int, direction text)
-- the definer's rights: the card reads the stored values behind smup.benchmark directly, as the
-- view does with its owner's; EXECUTE is granted to the readers (smup.grant_reader)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0  -- a card reads a few hundred rows: starting workers costs more
SET jit = off  -- … and compiling its plan too
-- planned once a session: planning took longer than running the query
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    unit_id text;
    unit_label text;
    unit_level text;
    card_year constant int := profile.year;
    shown bigint;
BEGIN
    IF profile.jst_id IS NULL THEN
        RAISE EXCEPTION 'smup.profile: jst_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    unit_id := @extschema@.jst_id(profile.jst_id);  -- any form of the code: '2802033', ' 280203 '
    IF unit_id IS NULL THEN
        RAISE EXCEPTION 'unknown unit "%": not in smup.jst', profile.jst_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT l.display_name, l.level INTO unit_label, unit_level FROM @extschema@.jst_label l WHERE l.id = unit_id;
    -- The card is smup.benchmark's rows of the unit pivoted by comparison, read the way the view
    -- reads them (the tests compare the two) but a unit and year at a time: each stored group's
    -- distribution probed once per indicator, each gathered group's members (smup.comparison_member)
    -- read once per year, and the unit's own figures (change, trend) once per indicator.
    RETURN QUERY
    WITH v AS MATERIALIZED (  -- the unit's values: of the year asked, or of each indicator's latest year
        SELECT s.indicator, s.year, s.value, s.status, s.ci_lower, s.ci_upper, i.polarity
          FROM @extschema@.indicator_value_store s JOIN @extschema@.indicator i ON i.code = s.indicator
         WHERE s.jst_id = unit_id AND s.year = card_year
        UNION ALL
        SELECT s.indicator, s.year, s.value, s.status, s.ci_lower, s.ci_upper, i.polarity
          FROM (SELECT DISTINCT ON (x.indicator) x.* FROM @extschema@.indicator_value_store x
                 WHERE card_year IS NULL AND x.jst_id = unit_id ORDER BY x.indicator, x.year DESC) s
          JOIN @extschema@.indicator i ON i.code = s.indicator),
    g AS MATERIALIZED (  -- the unit's groups in those years
        SELECT c.year, c.comparison, c.group_id, c.group_name
          FROM (SELECT DISTINCT v.year FROM v) y
          JOIN @extschema@.comparison_group c ON c.jst_id = unit_id AND c.year = y.year),
    position AS (
        SELECT v.indicator, g.comparison, g.group_name,
               CASE WHEN v.status IN ('value', '-') THEN @extschema@.percentile_in_group(d.distribution, v.value, v.polarity) END AS percentile
          FROM v JOIN g ON g.year = v.year AND g.comparison NOT IN ('neighbours', 'similar')
          LEFT JOIN @extschema@.group_distribution d ON d.indicator = v.indicator AND d.year = v.year AND d.group_id = g.group_id
        UNION ALL
        SELECT v.indicator, m.comparison, m.group_name, @extschema@.percentile_in_group(m.distribution, v.value, v.polarity)
          FROM (SELECT g.year, g.comparison, g.group_name, x.indicator, @extschema@.distribution(x.value) AS distribution
                  FROM g
                 -- (OFFSET 0: the members of this group only, not the view's every group, joined later)
                 CROSS JOIN LATERAL (SELECT c.member_id FROM @extschema@.comparison_member c
                                      WHERE c.group_id = g.group_id AND c.year = g.year AND c.comparison = g.comparison
                                     OFFSET 0) c
                  JOIN @extschema@.indicator_value_store x
                    ON x.jst_id = c.member_id AND x.year = g.year AND x.status IN ('value', '-')
                 WHERE g.comparison IN ('neighbours', 'similar')
                 GROUP BY g.year, g.comparison, g.group_name, x.indicator) m
          JOIN v ON v.indicator = m.indicator AND v.year = m.year
         WHERE v.status IN ('value', '-')),
    by_indicator AS (
        SELECT p.indicator,
               max(p.percentile) FILTER (WHERE p.comparison = 'poland') AS poland,
               max(p.percentile) FILTER (WHERE p.comparison = 'voivodeship') AS voivodeship,
               max(p.percentile) FILTER (WHERE p.comparison = 'peer') AS peer,
               max(p.percentile) FILTER (WHERE p.comparison = 'neighbours') AS neighbours,
               string_agg(p.group_name || ': ' || coalesce(round(p.percentile::numeric, 1)::text, '–'), '; ' ORDER BY p.group_name)
                 FILTER (WHERE p.comparison = 'custom') AS custom,
               max(p.group_name) FILTER (WHERE p.comparison = 'peer') AS peer_group,
               max(p.percentile) FILTER (WHERE p.comparison = 'similar') AS similar
          FROM position p
         GROUP BY p.indicator)
    SELECT i.area, v.indicator, i.name_pl, i.unit, i.polarity, v.value, v.status, v.ci_lower, v.ci_upper,
           b.poland, b.voivodeship, b.peer, b.neighbours, b.custom, b.peer_group,
           v.value - (SELECT q.value FROM @extschema@.indicator_value_store q
                       WHERE q.jst_id = unit_id AND q.year = v.year - 1 AND q.indicator = v.indicator),
           (SELECT t.ols_slope FROM @extschema@.unit_trend t WHERE t.jst_id = unit_id AND t.indicator = v.indicator),
           b.similar, v.year,
           CASE i.polarity WHEN 'neutral' THEN 'highest' ELSE 'best' END
      FROM v JOIN @extschema@.indicator i ON i.code = v.indicator
      -- (a unit compared with no group, Poland itself, has no card)
      JOIN by_indicator b ON b.indicator = v.indicator
     -- within an area, the indicators judged best or worst first, then the neutral ones
     ORDER BY i.area, i.polarity = 'neutral', v.indicator;
    GET DIAGNOSTICS shown = ROW_COUNT;
    IF shown = 0 THEN
        RAISE NOTICE '%', CASE
            WHEN unit_level = 'kraj' THEN format('%s (%s) is compared with no group: read its values in smup.indicator_value', unit_label, unit_id)
            WHEN NOT EXISTS (SELECT FROM @extschema@.indicator i WHERE unit_level = ANY (i.levels))
              THEN format('no indicator applies at level %s, so %s (%s) has no card (smup.indicator.levels)', unit_level, unit_label, unit_id)
            WHEN profile.year IS NOT NULL
              THEN format('%s (%s) has no indicator values in %s: see the years in smup.indicator_catalogue, or omit the year for each indicator''s latest', unit_label, unit_id, profile.year)
            ELSE format('%s (%s) has no indicator values yet: has smup.refresh() run since the data was loaded?', unit_label, unit_id) END;
    END IF;
END;
$$;

COMMENT ON FUNCTION @extschema@.profile(text, int) IS
  'Karta jednostki / one unit''s card: every indicator with its value, status, confidence interval and mid-rank percentile against Poland, the województwo, the peer group, the neighbours, each custom group and its 15 most similar units (percentile_similar, smup.similar_units) (direction: 100 = best by polarity, or highest for a neutral indicator), its change since the previous year and its trend. jst_id takes any form smup.jst_id accepts; with no year, each indicator''s latest year (value_year). Ordered by area, judged indicators before neutral ones. An unknown unit raises 22023, a NULL one 22004; a card with no rows says why in a NOTICE. Runs with its owner''s rights, as the views do: any role smup.grant_reader names may call it.';

REVOKE ALL ON FUNCTION @extschema@.profile(text, int) FROM PUBLIC;  -- the readers keep the EXECUTE smup.grant_reader gave them

-- ---- smup.similar_unit: a view of smup.similar_unit_store, one row per peer as before (issue 12) ----

CREATE OR REPLACE VIEW @extschema@.comparison_member AS
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
 WHERE g.comparison = 'neighbours'
UNION ALL
SELECT g.comparison, g.group_id, g.year, g.jst_id
  FROM @extschema@.comparison_group g WHERE g.comparison = 'similar'
UNION ALL
SELECT g.comparison, g.group_id, g.year, p.peer_id
  FROM @extschema@.comparison_group g
  JOIN @extschema@.similar_unit_store s ON s.jst_id = g.jst_id AND s.year = g.year
 CROSS JOIN LATERAL unnest(s.peer_ids) AS p (peer_id)
 WHERE g.comparison = 'similar';

DROP TABLE @extschema@.similar_unit;

CREATE VIEW @extschema@.similar_unit AS
SELECT s.jst_id, s.year, p.rank::int AS rank, p.peer_id, p.distance
  FROM @extschema@.similar_unit_store s
 CROSS JOIN LATERAL unnest(s.peer_ids, s.distances) WITH ORDINALITY AS p (peer_id, distance, rank);
COMMENT ON VIEW @extschema@.similar_unit IS
  'Jednostki podobne / each unit''s 15 most similar units of its level per year, over the default context indicators (smup.similar_units with its defaults): the members, with the unit itself, of its similar comparison group. Kept by smup.refresh().';
COMMENT ON COLUMN @extschema@.similar_unit.jst_id IS 'Unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@.similar_unit.year IS 'Year of the context values.';
COMMENT ON COLUMN @extschema@.similar_unit.rank IS '1 = most similar; equal distances ranked by id.';
COMMENT ON COLUMN @extschema@.similar_unit.peer_id IS 'A similar unit.';
COMMENT ON COLUMN @extschema@.similar_unit.distance IS 'Weighted Euclidean distance over the standardised context indicators.';

-- the readers of the views read this one too, as a fresh install grants (smup.grant_reader)
DO $$
DECLARE
    reader regrole;
BEGIN
    FOR reader IN SELECT DISTINCT a.grantee::regrole
                    FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
                   WHERE c.oid = '@extschema@.comparison_member'::regclass AND a.privilege_type = 'SELECT'
                     AND a.grantee <> c.relowner AND a.grantee <> 0 LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.similar_unit TO %s', reader);
    END LOOP;
END;
$$;
