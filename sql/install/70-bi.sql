-- What BI tools read: map-ready and catalogue views, and the read-only role smup_reader that may
-- read the views, the register and the catalogues (views run with their owner's rights, so the
-- tables behind them stay closed).

CREATE VIEW @extschema@.jst_map AS
SELECT j.id, j.level, j.kind, j.name, j.parent_id,
       ST_AsGeoJSON(ST_Transform(j.geom, 4326), 6) AS geojson,
       ST_Y(p.pt) AS latitude, ST_X(p.pt) AS longitude
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

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smup_reader') THEN
        CREATE ROLE smup_reader NOLOGIN;
        COMMENT ON ROLE smup_reader IS 'Reads the smup views (BI tools): grant it to a login role.';
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA @extschema@ TO smup_reader;
-- every view and materialized view of the schema (they are the BI surface), no base table
DO $$
DECLARE rel regclass;
BEGIN
    FOR rel IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('v', 'm') LOOP
        EXECUTE format('GRANT SELECT ON %s TO smup_reader', rel);
    END LOOP;
END;
$$;
GRANT SELECT ON @extschema@.comparison_group TO smup_reader;  -- a table the refresh keeps, part of the BI surface
-- the register and the catalogues are public data that the docs point readers to (and that
-- smup.jst_id, smup.neighbours and smup.islands read with the caller's rights); the load log,
-- the refresh queue and the stored values behind the views stay closed
GRANT SELECT ON @extschema@.jst, @extschema@.jst_teryt, @extschema@.neighbour, @extschema@.area, @extschema@.service,
                @extschema@.variable, @extschema@.indicator, @extschema@.custom_group, @extschema@.custom_group_member
   TO smup_reader;
GRANT EXECUTE ON FUNCTION @extschema@.profile(text, int) TO smup_reader;
