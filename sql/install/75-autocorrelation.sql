-- Autokorelacja przestrzenna / spatial autocorrelation: global Moran's I and Geary's C, local
-- Moran (LISA), Getis-Ord Gi/Gi*, Empirical Bayes rates (C++ core, extension/autocorrelation.c),
-- and the LISA map and global test of one SMUP indicator. The query forms run the caller's SQL
-- with the caller's rights (never SECURITY DEFINER).

CREATE FUNCTION @extschema@.moran_i(values_sql text, neighbours_sql text, style text DEFAULT 'W',
                                   permutations int DEFAULT 999, seed bigint DEFAULT 0,
                                   OUT n bigint, OUT i float8, OUT expected float8,
                                   OUT variance_normal float8, OUT z_normal float8, OUT p_normal float8,
                                   OUT variance_random float8, OUT z_random float8, OUT p_random float8,
                                   OUT p_permutation float8)
AS 'MODULE_PATHNAME', 'smup_moran_i_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.moran_i(text, text, text, int, bigint) IS
  'Globalny I Morana / global Moran''s I of the values values_sql returns (id, value) over the pairs neighbours_sql returns (id, neighbour_id[, weight]); style W (row-standardised) or B (weights as given). Moments under normality and randomisation as spdep moran.test and PySAL Moran (units without neighbours: zero.policy, n reduced by them), p one-sided in the direction of z; p_permutation = (extremes + 1) / (permutations + 1) from a seeded permutation test. NULL where undefined (constant values).';

CREATE FUNCTION @extschema@.geary_c(values_sql text, neighbours_sql text, style text DEFAULT 'W',
                                   permutations int DEFAULT 999, seed bigint DEFAULT 0,
                                   OUT n bigint, OUT c float8, OUT expected float8,
                                   OUT variance_normal float8, OUT z_normal float8, OUT p_normal float8,
                                   OUT variance_random float8, OUT z_random float8, OUT p_random float8,
                                   OUT p_permutation float8)
AS 'MODULE_PATHNAME', 'smup_geary_c_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.geary_c(text, text, text, int, bigint) IS
  'Globalny C Geary''ego / global Geary''s C, same arguments as smup.moran_i. Moments as spdep geary.test; z = (c - 1) / sd (negative: positive autocorrelation; spdep prints the opposite sign), p one-sided in the direction of z; p_permutation from a seeded permutation test.';

CREATE FUNCTION @extschema@.local_moran(values_sql text, neighbours_sql text, style text DEFAULT 'W',
                                       permutations int DEFAULT 999, seed bigint DEFAULT 0,
                                       significance float8 DEFAULT 0.05)
RETURNS TABLE (id text, value float8, lag float8, ii float8, expected float8, variance float8,
               z float8, p_permutation float8, cluster text)
AS 'MODULE_PATHNAME', 'smup_local_moran_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 2500;
COMMENT ON FUNCTION @extschema@.local_moran(text, text, text, int, bigint, float8) IS
  'Lokalny I Morana (LISA) / local Moran of every unit, in values_sql''s order: lag = weighted sum of the neighbours'' values, ii scaled as spdep localmoran and GeoDa (its mean is the global I under W; × (n - 1) / n for PySAL), expected and variance conditional (spdep, conditional = TRUE), z, p_permutation by conditional permutation, cluster HH, LL, HL, LH or ns (p above significance; islands are ns with no lag).';

CREATE FUNCTION @extschema@.getis_ord(values_sql text, neighbours_sql text, star boolean DEFAULT true,
                                     permutations int DEFAULT 999, seed bigint DEFAULT 0)
RETURNS TABLE (id text, g float8, z float8, p_normal float8, p_permutation float8)
AS 'MODULE_PATHNAME', 'smup_getis_ord_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 2500;
COMMENT ON FUNCTION @extschema@.getis_ord(text, text, boolean, int, bigint) IS
  'Gorące punkty / Getis-Ord Gi* (star, the unit counted with weight 1) or Gi of every unit: g = Σ w x over the sum of the values (of the others for Gi), weights as given; z as spdep localG (hot spot > 0, cold spot < 0), p_normal one-sided, p_permutation by conditional permutation.';

CREATE FUNCTION @extschema@.eb_rate(events_sql text)
RETURNS TABLE (id text, raw_rate float8, eb_rate float8)
AS 'MODULE_PATHNAME', 'smup_eb_rate_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 2500;
COMMENT ON FUNCTION @extschema@.eb_rate(text) IS
  'Wygładzanie empiryczne bayesowskie / global Empirical Bayes rates (Marshall 1991, spdep EBest): events_sql returns (id, events, population); raw_rate = events / population, eb_rate pulled toward the overall rate in proportion to the noise of a small population. Negative events, population <= 0, NULLs, duplicate ids: errors naming the id.';

-- ---- on the SMUP's own data -------------------------------------------------------------------

-- The two queries of one indicator, year and level: the units with a value, and the stored
-- first-order pairs (smup.neighbour) between such units.
CREATE FUNCTION @extschema@._indicator_queries(indicator text, year int, level text, rule text,
                                               OUT values_sql text, OUT neighbours_sql text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._check_level(level);
    IF rule NOT IN ('queen', 'rook') THEN
        RAISE EXCEPTION 'unknown rule "%": use queen or rook', rule USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.indicator i WHERE i.code = _indicator_queries.indicator) THEN
        RAISE EXCEPTION 'unknown indicator "%"', indicator USING ERRCODE = 'invalid_parameter_value',
              HINT = 'The codes are in smup.indicator_catalogue.';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.indicator_value v WHERE v.indicator = _indicator_queries.indicator
                      AND v.year = _indicator_queries.year AND v.level = _indicator_queries.level AND v.value IS NOT NULL) THEN
        RAISE EXCEPTION 'indicator "%" has no values for % at level %', indicator, year, level
              USING ERRCODE = 'invalid_parameter_value', HINT = 'smup.refresh() computes them; the years are in smup.indicator_value.';
    END IF;
    values_sql := format('SELECT v.jst_id, v.value FROM @extschema@.indicator_value v '
                         'WHERE v.indicator = %L AND v.year = %s AND v.level = %L AND v.value IS NOT NULL',
                         indicator, year, level);
    neighbours_sql := format('SELECT n.id, n.neighbour_id FROM @extschema@.neighbour n '
                             'JOIN @extschema@.indicator_value a ON a.jst_id = n.id AND a.indicator = %1$L AND a.year = %2$s '
                             'AND a.level = %3$L AND a.value IS NOT NULL '
                             'JOIN @extschema@.indicator_value b ON b.jst_id = n.neighbour_id AND b.indicator = %1$L '
                             'AND b.year = %2$s AND b.value IS NOT NULL '
                             'WHERE n.rule = %4$L AND n."order" = 1',
                             indicator, year, level, rule);
END;
$$;
COMMENT ON FUNCTION @extschema@._indicator_queries(text, int, text, text) IS
  'Internal: the values_sql and neighbours_sql of smup.indicator_lisa and smup.indicator_moran (units with a value, stored first-order pairs between them); checks level, rule, indicator and that values exist (22023).';

-- With the caller's rights: the fixed queries above read only what smup_reader may read (the
-- register, the neighbour sets and smup.indicator_value), so a BI role can draw the map.
CREATE FUNCTION @extschema@.indicator_lisa(indicator text, year int, level text DEFAULT 'gmina',
                                          rule text DEFAULT 'queen')
RETURNS TABLE (jst_id text, jst_name text, value float8, lag float8, ii float8, z float8, p float8,
               cluster text, geom geometry)
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE ROWS 2500
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE q record;
BEGIN
    q := @extschema@._indicator_queries(indicator, year, level, rule);
    RETURN QUERY
    SELECT j.id, j.name, l.value, l.lag, l.ii, l.z, l.p_permutation, l.cluster, j.geom
      FROM @extschema@.jst j
      LEFT JOIN @extschema@.local_moran(q.values_sql, q.neighbours_sql, 'W', 999, 0, 0.05) l ON l.id = j.id
     WHERE j.level = indicator_lisa.level
     ORDER BY j.id;
END;
$$;
COMMENT ON FUNCTION @extschema@.indicator_lisa(text, int, text, text) IS
  'Mapa LISA / local Moran of one indicator in one year over the units of a level (smup.indicator_value) and their stored neighbours (smup.neighbour, order 1, rule queen or rook), row-standardised, 999 permutations, seed 0: every unit of the level with its value, lag, ii, z, pseudo p and cluster (HH, LL, HL, LH, ns; NULL without a value) and its boundary (EPSG:2180), for a map in Metabase or QGIS.';

CREATE FUNCTION @extschema@.indicator_moran(indicator text, year int, level text DEFAULT 'gmina',
                                           rule text DEFAULT 'queen')
RETURNS TABLE (n bigint, i float8, expected float8, variance_normal float8, z_normal float8, p_normal float8,
               variance_random float8, z_random float8, p_random float8, p_permutation float8)
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE q record;
BEGIN
    q := @extschema@._indicator_queries(indicator, year, level, rule);
    RETURN QUERY SELECT m.* FROM @extschema@.moran_i(q.values_sql, q.neighbours_sql, 'W', 999, 0) m;
END;
$$;
COMMENT ON FUNCTION @extschema@.indicator_moran(text, int, text, text) IS
  'Czy wskaźnik tworzy skupiska? / global Moran''s I of one indicator in one year over the units of a level and their stored neighbours (as smup.indicator_lisa): the columns of smup.moran_i, row-standardised, 999 permutations, seed 0.';

