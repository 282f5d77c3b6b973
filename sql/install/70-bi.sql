-- What BI tools read: map-ready and catalogue views, and the read-only role smup_reader that may
-- read the views, the register and the catalogues (views run with their owner's rights, so the
-- tables behind them stay closed).

CREATE VIEW @extschema@.jst_map AS
SELECT j.id, j.level, j.kind, j.name, j.parent_id,
       ST_AsGeoJSON(ST_Transform(j.geom, 4326), 6) AS geojson,
       ST_Y(p.pt) AS latitude, ST_X(p.pt) AS longitude,
       @extschema@.jst_display_name(j.level, j.kind, j.name) AS display_name
  FROM @extschema@.jst j
 CROSS JOIN LATERAL (SELECT ST_Transform(ST_PointOnSurface(j.geom), 4326) AS pt) p;
COMMENT ON VIEW @extschema@.jst_map IS 'Mapa JST / every unit with its boundary as GeoJSON and a representative point, in WGS 84 (EPSG:4326), for BI maps. Źródło: PRG, GUGiK.';
COMMENT ON COLUMN @extschema@.jst_map.id IS 'Unit id (TERYT); joins indicator_value.jst_id and benchmark.jst_id.';
COMMENT ON COLUMN @extschema@.jst_map.level IS 'kraj, wojewodztwo, powiat, gmina.';
COMMENT ON COLUMN @extschema@.jst_map.kind IS 'Unit kind as TERYT writes it.';
COMMENT ON COLUMN @extschema@.jst_map.name IS 'Unit name.';
COMMENT ON COLUMN @extschema@.jst_map.parent_id IS 'Parent unit id.';
COMMENT ON COLUMN @extschema@.jst_map.geojson IS 'Boundary as a GeoJSON MultiPolygon geometry in WGS 84 lon/lat (RFC 7946), 6 decimals (about 0.1 m).';
COMMENT ON COLUMN @extschema@.jst_map.latitude IS 'Latitude of a point inside the unit (ST_PointOnSurface), WGS 84.';
COMMENT ON COLUMN @extschema@.jst_map.display_name IS 'Name with its kind, telling namesakes apart: "Braniewo (gmina miejska)", "powiat m. Elbląg" (smup.jst_display_name).';
COMMENT ON COLUMN @extschema@.jst_map.longitude IS 'Longitude of a point inside the unit (ST_PointOnSurface), WGS 84.';

CREATE VIEW @extschema@.indicator_catalogue AS
SELECT i.code, i.name_pl, i.name_en, i.area, a.name_pl AS area_name_pl, a.name_en AS area_name_en,
       i.service, s.name_pl AS service_name_pl, s.name_en AS service_name_en, i.dimension, i.role,
       i.numerator, i.denominator, i.multiplier, i.value_offset, i.denominator_year, i.unit, i.polarity,
       array_to_string(i.levels, ', ') AS levels, i.ci_method, i.source, i.description,
       c.first_year, c.last_year, c.years, c.units
  FROM @extschema@.indicator i
  JOIN @extschema@.area a ON a.code = i.area
  JOIN @extschema@.service s ON s.code = i.service
  -- coverage, from the Poland groups' distributions smup.refresh() keeps: a few rows an indicator
  LEFT JOIN LATERAL (
      SELECT min(y.year) AS first_year, max(y.year) AS last_year, array_agg(y.year ORDER BY y.year) AS years,
             (array_agg(y.units ORDER BY y.year DESC))[1] AS units
        FROM (SELECT d.year, sum(d.n)::int AS units FROM @extschema@.group_distribution d
               WHERE d.indicator = i.code AND d.group_id LIKE 'PL:%' GROUP BY d.year) y) c ON true;
COMMENT ON VIEW @extschema@.indicator_catalogue IS 'Katalog wskaźników / the indicator catalogue with area and service names, for BI tools.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.code IS 'Indicator code.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.name_pl IS 'Nazwa wskaźnika.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.name_en IS 'Indicator name.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.area IS 'Area code.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.area_name_pl IS 'Nazwa obszaru.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.area_name_en IS 'Area name.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.service IS 'Service code.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.service_name_pl IS 'Nazwa usługi.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.service_name_en IS 'Service name.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.dimension IS 'ilość, jakość, dostępność, efektywność kosztowa.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.role IS 'monitoring or context.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.numerator IS 'Numerator variable.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.denominator IS 'Denominator variable.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.multiplier IS 'Multiplier.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.value_offset IS 'Offset added after multiplying.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.denominator_year IS 'Fixed denominator year, if any.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.unit IS 'Unit of the value.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.polarity IS 'higher_is_better, lower_is_better, neutral.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.levels IS 'Levels it applies to, comma-separated.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.ci_method IS 'poisson, wilson or empty.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.source IS 'Data source.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.description IS 'What it measures and its formula.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.first_year IS 'First year any unit has a value (as of the last smup.refresh()).';
COMMENT ON COLUMN @extschema@.indicator_catalogue.last_year IS 'Latest year any unit has a value: the year smup.profile shows when no year is given.';
COMMENT ON COLUMN @extschema@.indicator_catalogue.years IS 'Every year with values (gaps show: finance 2010–2019, births 2024 only).';
COMMENT ON COLUMN @extschema@.indicator_catalogue.units IS 'How many units (gminy, powiaty and województwa together) have a value in last_year.';

-- ---- roles a DBA can trust ---------------------------------------------------------------------
-- Privileges are granted by two functions, the one place each role's rights are written: to the
-- roles smup creates, and to any role a DBA names.

CREATE FUNCTION @extschema@.grant_reader(grantee regrole) RETURNS void
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel regclass;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA @extschema@ TO %s', grantee);
    -- every view (the BI surface), and the register and the catalogues: public data the docs
    -- point readers to, which smup.jst_id, smup.neighbours and smup.islands read with the
    -- caller's rights. The observations, the load log, the refresh queue and the stored values
    -- behind the views stay closed.
    FOR rel IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('v', 'm')
               UNION ALL
               SELECT unnest(ARRAY['@extschema@.comparison_group', '@extschema@.jst', '@extschema@.jst_teryt',
                                   '@extschema@.neighbour', '@extschema@.area', '@extschema@.service', '@extschema@.variable',
                                   '@extschema@.indicator', '@extschema@.custom_group', '@extschema@.custom_group_member']::regclass[]) LOOP
        EXECUTE format('GRANT SELECT ON %s TO %s', rel, grantee);
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION @extschema@.profile(text, int) TO %s', grantee);
END;
$$;
REVOKE ALL ON FUNCTION @extschema@.grant_reader(regrole) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.grant_reader(regrole) IS
  'Gives a role what smup_reader has: read the views, the register and the catalogues, call smup.profile (and the functions every role may call). For the extension''s owner or a superuser.';

CREATE FUNCTION @extschema@.grant_loader(grantee regrole) RETURNS void
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.grant_reader(grantee);
    -- the loaders run with the caller's rights: they write observations, the load log and the
    -- register; a loader also keeps the custom groups, and refreshes
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.observation, @extschema@.load_log, '
                   '@extschema@.load_reject, @extschema@.jst, @extschema@.jst_teryt, @extschema@.custom_group, '
                   '@extschema@.custom_group_member TO %s', grantee);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s, %s TO %s', pg_get_serial_sequence('@extschema@.load_log', 'load_id'),
                   pg_get_serial_sequence('@extschema@.load_reject', 'reject_id'), grantee);
    EXECUTE format('GRANT EXECUTE ON FUNCTION @extschema@.refresh(boolean) TO %s', grantee);
END;
$$;
REVOKE ALL ON FUNCTION @extschema@.grant_loader(regrole) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.grant_loader(regrole) IS
  'Gives a role what smup_loader has: a reader''s rights, plus running the loaders (smup.load_bdl, smup.load_table, smup.load_jst), keeping the custom groups and smup.refresh(). For the extension''s owner or a superuser.';

-- smup_reader and smup_loader are created when absent and marked as smup's. A role of that name
-- that smup did not create (roles are shared by every database of the cluster) is not trusted
-- with anything: the DBA grants it explicitly, if it is theirs.
DO $$
DECLARE
    marker constant text := 'created by the smup extension';
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('smup_reader', 'Reads the smup views, register and catalogues (BI tools): grant it to a login role.'),
                                   ('smup_loader', 'Runs the smup loaders and smup.refresh(): grant it to the role that loads data.')) AS v(name, what) LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r.name) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.what || ' (' || marker || ')');
        ELSIF pg_catalog.shobj_description(pg_catalog.to_regrole(r.name), 'pg_authid') IS DISTINCT FROM r.what || ' (' || marker || ')' THEN
            RAISE WARNING 'role % exists and was not created by smup: it gets no privileges', r.name
                  USING HINT = pg_catalog.format('If it is yours: SELECT smup.grant_%s(%L);', CASE r.name WHEN 'smup_reader' THEN 'reader' ELSE 'loader' END, r.name);
            CONTINUE;
        END IF;
        IF r.name = 'smup_reader' THEN
            PERFORM @extschema@.grant_reader('smup_reader');
        ELSE
            PERFORM @extschema@.grant_loader('smup_loader');
        END IF;
    END LOOP;
END;
$$;
