-- Groups of similar units: each unit's nearest units of its level by weighted Euclidean distance
-- over standardised context indicators (CIPFA's "nearest neighbours", Kolada's similar
-- municipalities). The core computes a whole level at once (one standardisation, then the k
-- nearest of every unit); smup.similar_unit_store keeps the default peer sets (shown a row per
-- peer by smup.similar_unit) that the 'similar' comparison of smup.benchmark reads (see
-- 60-benchmark.sql).

-- ---- the catalogue: which context indicators describe a unit's situation ----------------------

ALTER TABLE @extschema@.indicator
    ADD COLUMN similarity_weight float8
        CHECK (similarity_weight > 0 AND similarity_weight NOT IN ('Infinity', 'NaN')),
    ADD CONSTRAINT indicator_similarity_is_context CHECK (similarity_weight IS NULL OR role = 'context');
COMMENT ON COLUMN @extschema@.indicator.similarity_weight IS
  'Waga w doborze jednostek podobnych / weight of a context indicator in the default set of smup.similar_units and the similar comparison group; NULL: not in the default set (only role context may have one).';

INSERT INTO @extschema@.service (code, area, name_pl, name_en, builtin) VALUES
  ('SPO.OBY', 'SPO', 'partycypacja obywatelska (kontekst)', 'civic participation (context)', true);

INSERT INTO @extschema@.variable (code, name_pl, name_en, unit, source, bdl_dimension, sum_of, builtin) VALUES
  ('wyborcy_uprawnieni', 'liczba wyborców uprawnionych do głosowania (wybory do Sejmu)', 'eligible voters (Sejm election)', 'osoba',
   'PKW, wyniki wyborów do Sejmu według gmin (2011, 2015, 2019, 2023)', NULL, NULL, true),
  ('karty_wazne', 'liczba kart ważnych (wybory do Sejmu)', 'valid ballot cards (Sejm election)', 'osoba',
   'PKW, wyniki wyborów do Sejmu według gmin (2011, 2015, 2019, 2023)', NULL, NULL, true);

INSERT INTO @extschema@.indicator (code, area, service, name_pl, name_en, dimension, role, numerator, denominator,
                                   multiplier, value_offset, denominator_year, unit, polarity, ci_method, source, description, builtin) VALUES
  ('liczba_ludnosci', 'SPO', 'SPO.DEM', 'liczba ludności', 'population', 'ilość', 'context',
   'ludnosc_ogolem', NULL, 1, 0, NULL, 'osoby', 'neutral', NULL, 'GUS BDL, GUS Tabl. IV',
   'Ludność ogółem, stan 31 XII. Total population on 31 December: ludnosc_ogolem.', true),
  ('frekwencja_wyborcza', 'SPO', 'SPO.OBY', 'frekwencja wyborcza (wybory do Sejmu)', 'election turnout (Sejm)', 'ilość', 'context',
   'karty_wazne', 'wyborcy_uprawnieni', 100, 0, NULL, '%', 'higher_is_better', NULL, 'PKW',
   'Frekwencja w wyborach do Sejmu, metodą PKW: karty ważne / wyborcy uprawnieni × 100, w gminie, w której oddano głos. Turnout in the Sejm election as PKW computes it: karty_wazne / wyborcy_uprawnieni × 100 (election years only: 2011, 2015, 2019, 2023).', true);

-- the default description of a unit's situation: size, density, age structure, fiscal capacity,
-- civic participation (equal weights; the working-age share is 100 minus the other two)
UPDATE @extschema@.indicator SET similarity_weight = 1
 WHERE code IN ('liczba_ludnosci', 'gestosc_zaludnienia', 'udzial_ludnosci_przedprodukcyjnej',
                'udzial_ludnosci_poprodukcyjnej', 'dochody_wlasne_na_mieszkanca', 'frekwencja_wyborcza');

-- ---- the computation ------------------------------------------------------------------------------

CREATE FUNCTION @extschema@._similar_peers(ids text[], vals float8[], weights float8[], k int, method text,
                                           answer_for text[] DEFAULT '{}')
RETURNS TABLE (jst_id text, rank int, peer_id text, distance float8, contributions float8[])
AS 'MODULE_PATHNAME', 'smup_similar_peers_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40000;
COMMENT ON FUNCTION @extschema@._similar_peers(text[], float8[], float8[], int, text, text[]) IS
  'Internal: the k nearest units of each unit (or of the units in answer_for) by weighted Euclidean distance over indicators standardised across all the units given (C++ core): vals is a units × indicators array, NULL = missing; contributions are each indicator''s share of the squared distance. Use smup.similar_units.';

CREATE FUNCTION @extschema@._similar_peer_sets(ids text[], vals float8[], weights float8[], k int, method text)
RETURNS TABLE (jst_id text, peer_ids text[], distances float8[])
AS 'MODULE_PATHNAME', 'smup_similar_peer_sets_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2500;
COMMENT ON FUNCTION @extschema@._similar_peer_sets(text[], float8[], float8[], int, text) IS
  'Internal: smup._similar_peers of every unit, one row a unit with its peers and distances in rank order (smup.similar_unit_store).';

-- The values each unit of a level has in each year, one array per unit in the order of
-- indicators. A year without an observation of an indicator (an election every four years, a
-- population figure not yet published) reads the unit's latest value at or before it; NULL
-- when the unit has none (or only later ones). A unit without any value in a year has no row.
CREATE FUNCTION @extschema@._context_values(level text, years int[], indicators text[])
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

-- The indicators and weights of a comparison, checked; the default: the catalogue's context
-- indicators with a similarity weight that apply to the level.
CREATE FUNCTION @extschema@._similarity_indicators(level text, indicators text[], weights float8[],
                                                   OUT codes text[], OUT weight float8[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wanted text;
    wanted_role text;
    w float8;
BEGIN
    IF indicators IS NULL THEN
        SELECT array_agg(i.code ORDER BY i.code), array_agg(i.similarity_weight ORDER BY i.code) INTO codes, weight
          FROM @extschema@.indicator i
         WHERE i.similarity_weight IS NOT NULL AND _similarity_indicators.level = ANY (i.levels);
        IF codes IS NULL THEN
            RAISE EXCEPTION 'no context indicator has a similarity weight for level %', level
                  USING ERRCODE = 'invalid_parameter_value',
                        HINT = 'Set smup.indicator.similarity_weight, or pass indicators.';
        END IF;
    ELSE
        IF cardinality(indicators) = 0 OR array_position(indicators, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'indicators must be a non-empty array without NULLs' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOREACH wanted IN ARRAY indicators LOOP
            SELECT i.role INTO wanted_role FROM @extschema@.indicator i WHERE i.code = wanted;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'unknown indicator "%": not in smup.indicator', wanted USING ERRCODE = 'invalid_parameter_value';
            ELSIF wanted_role <> 'context' THEN
                RAISE EXCEPTION 'indicator "%" is not a context indicator (role %)', wanted, wanted_role
                      USING ERRCODE = 'invalid_parameter_value',
                            HINT = 'Similarity is measured on context indicators only (smup.indicator.role = ''context'').';
            ELSIF NOT EXISTS (SELECT FROM @extschema@.indicator i WHERE i.code = wanted AND _similarity_indicators.level = ANY (i.levels)) THEN
                RAISE EXCEPTION 'indicator "%" does not apply to level %', wanted, level USING ERRCODE = 'invalid_parameter_value';
            ELSIF cardinality(array_positions(indicators, wanted)) > 1 THEN
                RAISE EXCEPTION 'indicator "%" is given twice', wanted USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END LOOP;
        codes := indicators;
        weight := coalesce(weights, array_fill(1::float8, ARRAY[cardinality(indicators)]));
    END IF;
    IF weights IS NOT NULL THEN
        IF cardinality(weights) <> cardinality(codes) OR array_ndims(weights) <> 1 THEN
            RAISE EXCEPTION '% weights for % indicators: one weight per indicator is needed', cardinality(weights), cardinality(codes)
                  USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOREACH w IN ARRAY weights LOOP
            IF w IS NULL OR w < 0 OR w IN ('NaN', 'Infinity') THEN
                RAISE EXCEPTION 'weight % is not a finite number >= 0', coalesce(w::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END LOOP;
        IF NOT EXISTS (SELECT FROM unnest(weights) x WHERE x > 0) THEN
            RAISE EXCEPTION 'the weights are all zero' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        weight := weights;
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@._similarity_indicators(text, text[], float8[]) IS
  'Internal: checks the indicators and weights of smup.similar_units (known, context, applicable to the level, once each; weights one per indicator, finite, >= 0, not all zero) or gives the default set (similarity_weight).';

CREATE FUNCTION @extschema@.similar_units(jst_id text, year int, k int DEFAULT 15, indicators text[] DEFAULT NULL,
                                          weights float8[] DEFAULT NULL, method text DEFAULT 'z')
RETURNS TABLE (rank int, peer_id text, peer_name text, distance float8, contributions jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unit_id text;
    unit_level text;
    level_size bigint;
    chosen record;
    ids text[];
    vals float8[];
BEGIN
    IF similar_units.jst_id IS NULL OR similar_units.year IS NULL OR similar_units.k IS NULL OR similar_units.method IS NULL THEN
        RAISE EXCEPTION 'jst_id, year, k and method must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    unit_id := @extschema@.jst_id(similar_units.jst_id);  -- any form of the code: '2802033', ' 280203 '
    SELECT j.level INTO unit_level FROM @extschema@.jst j WHERE j.id = unit_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown unit "%": not in smup.jst', similar_units.jst_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF similar_units.method NOT IN ('z', 'robust') THEN
        RAISE EXCEPTION 'unknown standardisation method "%"', similar_units.method
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Use ''z'' (mean and standard deviation) or ''robust'' (median and MAD).';
    END IF;
    level_size := (SELECT count(*) FROM @extschema@.jst j WHERE j.level = unit_level);
    IF similar_units.k <= 0 OR similar_units.k >= level_size THEN
        RAISE EXCEPTION 'k = % is out of range: between 1 and %, the other units of level %', similar_units.k, level_size - 1, unit_level
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO chosen FROM @extschema@._similarity_indicators(unit_level, similar_units.indicators, similar_units.weights);
    SELECT array_agg(c.jst_id ORDER BY c.jst_id), array_agg(c.vals ORDER BY c.jst_id) INTO ids, vals
      FROM @extschema@._context_values(unit_level, ARRAY[similar_units.year], chosen.codes) c;
    RETURN QUERY
    SELECT p.rank, p.peer_id, j.name, p.distance,
           (SELECT jsonb_object_agg(x.code, x.share) FROM unnest(chosen.codes, p.contributions) x (code, share))
      FROM @extschema@._similar_peers(ids, vals, chosen.weight, similar_units.k, similar_units.method, ARRAY[unit_id]) p
      JOIN @extschema@.jst j ON j.id = p.peer_id
     ORDER BY p.rank;
END;
$$;
COMMENT ON FUNCTION @extschema@.similar_units(text, int, int, text[], float8[], text) IS
  'Jednostki podobne / the k units of the same level most similar to a unit in a year: weighted Euclidean distance over context indicators standardised across the level and year (method z: mean and sample sd; robust: median and 1.4826 × MAD). Default indicators and weights: the catalogue''s context indicators with a similarity_weight. A year without a value reads the unit''s latest earlier one (turnout holds from one election to the next). Missing values: the distance is taken over the indicators both units have and scaled by total weight / weight present; a unit missing more than half of the indicators is nobody''s peer (and has none: no rows). Ties in distance go to the smaller id. contributions: each indicator''s share of the squared distance (NULL: one of the two lacks it). jst_id takes any form smup.jst_id accepts. Bad input (unknown unit or indicator, a non-context indicator, k outside 1 .. units − 1, weights of the wrong length, negative or all zero, unknown method) raises 22023.';

-- ---- the stored default peer sets (the 'similar' comparison) ---------------------------------------

-- One row per unit and year, its peers in rank order: a year of the gminy is 2,477 rows to
-- write, not 37,155 (an incremental refresh rewrites whole years of them); the view below
-- shows one row per peer.
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

-- k of the stored peer sets, as CIPFA's nearest neighbours
CREATE FUNCTION @extschema@.similar_k() RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 15;
COMMENT ON FUNCTION @extschema@.similar_k() IS 'Number of similar units in the stored similar comparison groups (15).';

-- Recomputes the default peer sets of these years (a level at a time, a year a call): of every
-- level with default context indicators, or of the levels given.
CREATE FUNCTION @extschema@._store_similar_units(years int[], levels text[]) RETURNS bigint
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

-- The years whose similar units a corrected context value reaches, from each unit's stored
-- series: a value in year t holds until the unit's next value, so a change at t reaches t up to
-- the latest such next year over the units that have a value at t (every later year when one
-- of them has none). smup.refresh() reads it before and after recomputing the values: a value
-- that appeared shows in the new series, one that went in the old.
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

-- The similar comparison groups of these years: one per unit with stored peers (its group is
-- itself and its peers); rows of smup.comparison_group.
CREATE FUNCTION @extschema@._similar_groups(years int[])
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
COMMENT ON FUNCTION @extschema@._similar_groups(int[]) IS
  'Internal: the similar comparison groups (smup.comparison_group rows) of the units with stored similar units in these years (smup.refresh()).';
