-- Sąsiedztwo / spatial neighbour sets: queen and rook contiguity (C++, exact or with a snapping
-- tolerance), higher orders, k nearest and distance bands, the stored smup.neighbour table.

-- ---- the internal C entry points (no input checks beyond the core's) ----------------------

CREATE FUNCTION @extschema@._contiguity(ids text[], wkb bytea[], rule text, tolerance float8, "order" int)
RETURNS TABLE (id text, neighbour_id text, shared_border_m float8)
AS 'MODULE_PATHNAME', 'smup_contiguity_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION @extschema@._contiguity(text[], bytea[], text, float8, int) IS
  'Internal: contiguity of polygons given as WKB (C++ core); use smup.contiguity.';

CREATE FUNCTION @extschema@._nearest(ids text[], x float8[], y float8[], k int)
RETURNS TABLE (id text, neighbour_id text, distance_m float8)
AS 'MODULE_PATHNAME', 'smup_nearest_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION @extschema@._nearest(text[], float8[], float8[], int) IS
  'Internal: k nearest points (C++ core, rtree); use smup.nearest.';

CREATE FUNCTION @extschema@._within_distance(ids text[], x float8[], y float8[], metres float8)
RETURNS TABLE (id text, neighbour_id text, distance_m float8)
AS 'MODULE_PATHNAME', 'smup_within_distance_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION @extschema@._within_distance(text[], float8[], float8[], float8) IS
  'Internal: pairs of points within a distance (C++ core, rtree); use smup.within_distance.';

-- ---- contiguity over any layer ------------------------------------------------------------
-- Both forms read the layer through one cursor in C (extension/spatial.c): NULLs and validity
-- (ST_IsValid) are checked there, the rest by the C++ core. Any SRID (0, geographic): queen and
-- rook are topological; lengths and tolerance are in the layer's units. SET
-- client_min_messages: ST_IsValid's own NOTICE about an invalid polygon is left out, the error says it.

CREATE FUNCTION @extschema@.contiguity(ids text[], geoms geometry[], rule text DEFAULT 'queen',
                                       tolerance float8 DEFAULT 0, "order" int DEFAULT 1,
                                       check_valid boolean DEFAULT true)
RETURNS TABLE (id text, neighbour_id text, shared_border_m float8)
AS 'MODULE_PATHNAME', 'smup_contiguity_arrays_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10000
SET client_min_messages = warning;
COMMENT ON FUNCTION @extschema@.contiguity(text[], geometry[], text, float8, int, boolean) IS
  'Sąsiedztwo / contiguity of any polygon layer given as two parallel arrays (array_agg(id), array_agg(geom)): directed pairs (both ways) of units that touch. rule queen = a shared point (as ST_Intersects), rook = a shared boundary of positive length (as ST_Relate ''F***1****''); tolerance (in the layer''s units, metres for a projected SRID; 0 = exact) lets boundaries closer than it count as shared; order 2 = neighbours of neighbours that are not first-order (spdep nblag), shared_border_m NULL. shared_border_m = length of the common boundary in the layer''s units (0 for a point contact). One SRID, any (0 and geographic too: queen and rook are topological); NULL, empty, non-polygonal or invalid geometries (ST_IsValid; check_valid => false skips that test for data known to be valid), duplicate ids raise 22023/22004 naming the id. NULL arguments give no rows.';

CREATE FUNCTION @extschema@.contiguity(polygons_sql text, rule text DEFAULT 'queen',
                                       tolerance float8 DEFAULT 0, "order" int DEFAULT 1,
                                       check_valid boolean DEFAULT true)
RETURNS TABLE (id text, neighbour_id text, shared_border_m float8)
AS 'MODULE_PATHNAME', 'smup_contiguity_query_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 10000
SET client_min_messages = warning;
COMMENT ON FUNCTION @extschema@.contiguity(text, text, float8, int, boolean) IS
  'Sąsiedztwo / contiguity of the polygons a query returns: polygons_sql yields two columns (id, geom), e.g. ''SELECT code, geom FROM my_layer''. Same rules, result and errors as smup.contiguity(text[], geometry[], ...). Runs the query with the caller''s rights.';

-- ---- the register's levels ------------------------------------------------------------------

CREATE FUNCTION @extschema@._check_level(level text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF level IS NULL OR level NOT IN ('kraj', 'wojewodztwo', 'powiat', 'gmina') THEN
        RAISE EXCEPTION 'unknown level "%": use gmina, powiat, wojewodztwo or kraj', level
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@._check_level(text) IS 'Internal: raises 22023 for a level smup.jst does not have.';

CREATE FUNCTION @extschema@.neighbours(level text, rule text DEFAULT 'queen', "order" int DEFAULT 1)
RETURNS TABLE (id text, neighbour_id text, shared_border_m float8)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 15000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._check_level(level);
    RETURN QUERY
    SELECT c.id, c.neighbour_id, c.shared_border_m
      -- in id order: the shared border lengths are sums whose last bits follow the input order
      FROM (SELECT array_agg(j.id ORDER BY j.id) AS ids, array_agg(j.geom ORDER BY j.id) AS geoms
              FROM @extschema@.jst j WHERE j.level = neighbours.level) s
     -- the register's boundaries are checked when loaded
     CROSS JOIN LATERAL @extschema@.contiguity(s.ids, s.geoms, rule, 0, "order", check_valid => false) c;
END;
$$;
COMMENT ON FUNCTION @extschema@.neighbours(text, text, int) IS
  'Sąsiedzi / neighbours of the units of smup.jst at a level (gmina, powiat, wojewodztwo): directed pairs, each both ways. rule queen = a shared point, rook = a shared boundary of positive length (exact, identical to PostGIS ST_Intersects / ST_Relate ''F***1****''); order 2 = neighbours of neighbours that are not first-order neighbours (spdep nblag), order k likewise. shared_border_m = length of the common boundary in metres, 0 for a point contact, NULL for order >= 2. Unknown level or rule, order < 1: 22023.';

-- The representative points (ST_PointOnSurface) of the units of a level, as arrays for the core.
CREATE FUNCTION @extschema@._level_points(level text, OUT ids text[], OUT x float8[], OUT y float8[])
LANGUAGE sql STABLE STRICT PARALLEL SAFE
-- a SQL-standard body, bound at install time to PostGIS wherever it lives (see 10-jst.sql)
BEGIN ATOMIC
    SELECT pg_catalog.array_agg(p.id ORDER BY p.id), pg_catalog.array_agg(ST_X(p.pt) ORDER BY p.id),
           pg_catalog.array_agg(ST_Y(p.pt) ORDER BY p.id)
      FROM (SELECT j.id, ST_PointOnSurface(j.geom) AS pt FROM @extschema@.jst j WHERE j.level = _level_points.level) p;
END;
COMMENT ON FUNCTION @extschema@._level_points(text) IS
  'Internal: ids and representative points (ST_PointOnSurface) of the units of a level, ordered by id, for smup.nearest and smup.within_distance.';

CREATE FUNCTION @extschema@.nearest(level text, k int)
RETURNS TABLE (id text, neighbour_id text, distance_m float8)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 10000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._check_level(level);
    RETURN QUERY
    SELECT c.id, c.neighbour_id, c.distance_m
      FROM @extschema@._level_points(level) s
     CROSS JOIN LATERAL @extschema@._nearest(s.ids, s.x, s.y, k) c;
END;
$$;
COMMENT ON FUNCTION @extschema@.nearest(text, int) IS
  'Najbliżsi sąsiedzi / the k nearest units of each unit of smup.jst at a level, by the distance in metres between representative points (ST_PointOnSurface), nearest first; ties at the k-th place go to the smaller id. Directed (not symmetric). k < 1 or an unknown level: 22023.';

CREATE FUNCTION @extschema@.within_distance(level text, metres float8)
RETURNS TABLE (id text, neighbour_id text, distance_m float8)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 10000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._check_level(level);
    RETURN QUERY
    SELECT c.id, c.neighbour_id, c.distance_m
      FROM @extschema@._level_points(level) s
     CROSS JOIN LATERAL @extschema@._within_distance(s.ids, s.x, s.y, metres) c;
END;
$$;
COMMENT ON FUNCTION @extschema@.within_distance(text, float8) IS
  'Sąsiedzi w promieniu / pairs of units of smup.jst at a level whose representative points (ST_PointOnSurface) are at most metres apart (as ST_DWithin), each both ways, nearest first. Negative or non-finite metres, unknown level: 22023.';

CREATE FUNCTION @extschema@.islands(level text, rule text DEFAULT 'queen')
RETURNS TABLE (id text, name text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT j.id, j.name FROM @extschema@.jst j
     WHERE j.level = islands.level
       AND j.id NOT IN (SELECT n.id FROM @extschema@.neighbours(islands.level, rule) n)
     ORDER BY j.id;
END;
$$;
COMMENT ON FUNCTION @extschema@.islands(text, text) IS
  'Wyspy / units of smup.jst at a level without any neighbour under rule (queen or rook). Spatial weights need them listed, never dropped: on the shipped boundaries no gmina, powiat or województwo is an island; kraj is one by definition.';

CREATE FUNCTION @extschema@.islands(ids text[], geoms geometry[], rule text DEFAULT 'queen', tolerance float8 DEFAULT 0)
RETURNS TABLE (id text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.id FROM unnest(ids) AS u(id)
     WHERE u.id NOT IN (SELECT c.id FROM @extschema@.contiguity(ids, geoms, rule, tolerance) c)
     ORDER BY u.id;
$$;
COMMENT ON FUNCTION @extschema@.islands(text[], geometry[], text, float8) IS
  'Wyspy / the ids of a polygon layer (parallel arrays, as smup.contiguity takes them) without any neighbour under rule and tolerance. Same errors as smup.contiguity.';

-- ---- stored neighbour sets --------------------------------------------------------------------

CREATE TABLE @extschema@.neighbour (
    id              text NOT NULL REFERENCES @extschema@.jst (id) ON DELETE CASCADE,
    neighbour_id    text NOT NULL REFERENCES @extschema@.jst (id) ON DELETE CASCADE,
    rule            text NOT NULL CHECK (rule IN ('queen', 'rook')),
    "order"         int  NOT NULL CHECK ("order" >= 1),
    shared_border_m float8 CHECK (shared_border_m >= 0),
    PRIMARY KEY (id, neighbour_id, rule, "order"),
    CHECK (id <> neighbour_id),
    CHECK ((("order" = 1) = (shared_border_m IS NOT NULL)))
);
CREATE INDEX neighbour_neighbour_idx ON @extschema@.neighbour (neighbour_id);
COMMENT ON TABLE @extschema@.neighbour IS
  'Sąsiedztwo JST / stored neighbour sets of smup.jst, filled by smup.refresh_neighbours(): for gminy, powiaty and województwa, queen and rook, orders 1 and 2, each pair both ways.';
COMMENT ON COLUMN @extschema@.neighbour.id IS 'The unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@.neighbour.neighbour_id IS 'Its neighbour, a unit of the same level.';
COMMENT ON COLUMN @extschema@.neighbour.rule IS 'queen (a shared point) or rook (a shared boundary of positive length).';
COMMENT ON COLUMN @extschema@.neighbour."order" IS '1 = contiguous; 2 = neighbour of a neighbour, not contiguous.';
COMMENT ON COLUMN @extschema@.neighbour.shared_border_m IS 'Długość wspólnej granicy / length of the common boundary in metres (0 for a point contact); NULL for order 2.';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.neighbour', '');

-- In C (extension/spatial.c): per level one contiguity pass gives queen and rook, the core
-- derives the second orders, and only what differs from the stored rows is written (one DELETE
-- by ctid, one INSERT ... SELECT from arrays). The foreign keys above check every inserted row.
CREATE FUNCTION @extschema@.refresh_neighbours()
RETURNS TABLE (level text, rule text, "order" int, pairs bigint)
AS 'MODULE_PATHNAME', 'smup_refresh_neighbours_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 12
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.refresh_neighbours() IS
  'Przelicza sąsiedztwo / recomputes smup.neighbour from smup.jst in the caller''s transaction (readers see the old sets until it commits; a second refresh waits for the first): gminy, powiaty, województwa × queen, rook × orders 1, 2, one contiguity pass per level, the second orders derived in memory; only the rows that differ are deleted or inserted. Returns the directed pairs stored per level, rule and order.';
