-- smup 0.1 as released (commit 86618c3), kept so that a 0.1 database can still be created and
-- updated: test/upgrade.sh installs it and runs ALTER EXTENSION smup UPDATE. Never edit it.
\echo Use "CREATE EXTENSION smup CASCADE" to load this file. \quit

-- ==== sql/install/00-core.sql ====
-- Core objects: the TERYT code parser (C++), shared by every loader.

-- A schema smup that someone else created first would let its owner replace smup's objects:
-- refuse it (CREATE EXTENSION creates the schema itself when it is absent).
DO $$
BEGIN
    IF (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = '@extschema@')
       IS DISTINCT FROM (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'schema @extschema@ exists and is owned by role %, not by %, who installs smup',
              (SELECT n.nspowner::regrole FROM pg_catalog.pg_namespace n WHERE n.nspname = '@extschema@'), current_user
              USING ERRCODE = 'insufficient_privilege',
                    HINT = 'Drop or rename that schema, or install as its owner.';
    END IF;
END;
$$;

CREATE TYPE @extschema@.teryt_code AS (
    id     text,
    level  text,
    teryt7 text,
    rodz   int
);
COMMENT ON TYPE @extschema@.teryt_code IS
  'A parsed TERYT (TERC) code: id is the stable key (PL, WW, WWPP, WWPPGG), level kraj/wojewodztwo/powiat/gmina, teryt7 the 7-digit gmina code when a RODZ digit was given, rodz the TERC unit type (1 miejska, 2 wiejska, 3 miejsko-wiejska, 4 miasto, 5 obszar wiejski, 8 dzielnica, 9 delegatura).';

CREATE FUNCTION @extschema@.teryt_parse(code text, width int DEFAULT NULL)
RETURNS @extschema@.teryt_code
AS 'MODULE_PATHNAME', 'smup_teryt_parse_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE CALLED ON NULL INPUT;
COMMENT ON FUNCTION @extschema@.teryt_parse(text, int) IS
  'Parses a TERYT code as sources write it. width = digits the source uses (2, 4, 6, 7) restores one dropped leading zero (BDL writes 0201011 as 201011); NULL infers the level from the length. NULL code gives NULL; a malformed code raises 22P02 naming it.';

CREATE FUNCTION @extschema@.csv_parse(content text, delimiter text DEFAULT ',')
RETURNS TABLE (line int, fields text[])
AS 'MODULE_PATHNAME', 'smup_csv_parse_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT ROWS 1000;
COMMENT ON FUNCTION @extschema@.csv_parse(text, text) IS
  'Splits delimited text (a whole file passed as text) into records: RFC 4180 quoting with a one-byte delimiter (BDL CTAB exports use ";" and quote header cells that contain ";"), LF or CRLF, blank lines at the end ignored. line is the physical line where the record starts. An unterminated or stray quote raises 22P02 naming the line.';

-- ==== sql/install/10-jst.sql ====
-- The JST register: units, their boundaries (EPSG:2180) and their 7-digit TERYT codes over time.

CREATE TABLE @extschema@.jst (
    id        text PRIMARY KEY,
    level     text NOT NULL CHECK (level IN ('kraj', 'wojewodztwo', 'powiat', 'gmina')),
    kind      text NOT NULL CHECK (kind IN ('kraj', 'województwo', 'powiat', 'miasto na prawach powiatu',
                                            'gmina miejska', 'gmina wiejska', 'gmina miejsko-wiejska')),
    name      text NOT NULL,
    parent_id text REFERENCES @extschema@.jst (id) DEFERRABLE INITIALLY DEFERRED,  -- a restore copies rows in any order
    geom      geometry(MultiPolygon, 2180) NOT NULL,
    CHECK ((level = 'kraj') = (parent_id IS NULL)),
    CHECK (length(id) = CASE level WHEN 'kraj' THEN 2 WHEN 'wojewodztwo' THEN 2 WHEN 'powiat' THEN 4 ELSE 6 END)
);
CREATE INDEX jst_parent_idx ON @extschema@.jst (parent_id);
CREATE INDEX jst_level_idx ON @extschema@.jst (level);
CREATE INDEX jst_geom_idx ON @extschema@.jst USING gist (geom);
COMMENT ON TABLE @extschema@.jst IS
  'Rejestr JST / register of local government units: Poland, 16 województwa, 380 powiaty (66 miasta na prawach powiatu), 2477 gminy, with PRG boundaries in EPSG:2180. Źródło: PRG, GUGiK; GUS, rejestr TERYT (TERC).';
COMMENT ON COLUMN @extschema@.jst.id IS 'Stable TERYT key: PL (kraj), WW (województwo), WWPP (powiat), WWPPGG (gmina; the 7th digit RODZ varies over time, see jst_teryt).';
COMMENT ON COLUMN @extschema@.jst.level IS 'Poziom / level: kraj, wojewodztwo, powiat, gmina.';
COMMENT ON COLUMN @extschema@.jst.kind IS 'Rodzaj jednostki as TERYT writes it: gmina miejska, gmina wiejska, gmina miejsko-wiejska, miasto na prawach powiatu (for the city gmina and its city powiat), powiat, województwo, kraj.';
COMMENT ON COLUMN @extschema@.jst.name IS 'Nazwa / official name as in TERC (województwa in capitals, as GUS writes them).';
COMMENT ON COLUMN @extschema@.jst.parent_id IS 'Jednostka nadrzędna / parent: gmina → powiat (a miasto na prawach powiatu → its city powiat) → województwo → PL.';
COMMENT ON COLUMN @extschema@.jst.geom IS 'Granica / boundary, MultiPolygon in EPSG:2180 (PUWG 1992), simplified PRG; levels nest exactly. Do not use its area as the official area.';

CREATE TABLE @extschema@.jst_teryt (
    id         text NOT NULL REFERENCES @extschema@.jst (id) ON DELETE CASCADE,
    teryt7     text NOT NULL CHECK (teryt7 ~ '^[0-9]{7}$'),
    valid_from date,
    valid_to   date,
    sources    text[] NOT NULL,
    PRIMARY KEY (id, teryt7),
    CHECK (left(teryt7, 6) = id),
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE UNIQUE INDEX jst_teryt_code_idx ON @extschema@.jst_teryt (teryt7);
COMMENT ON TABLE @extschema@.jst_teryt IS
  'Kody TERYT gmin w czasie / the 7-digit TERYT code of each gmina over time (the RODZ digit changes, e.g. 2→3 when a town gets town rights). Use it to resolve a source''s 7-digit code to the stable 6-digit id.';
COMMENT ON COLUMN @extschema@.jst_teryt.id IS 'The gmina''s stable 6-digit id (smup.jst.id).';
COMMENT ON COLUMN @extschema@.jst_teryt.teryt7 IS '7-digit TERYT code WWPPGGR.';
COMMENT ON COLUMN @extschema@.jst_teryt.valid_from IS 'Earliest date an official source shows this code; NULL when it is the oldest known code (valid since before the sources).';
COMMENT ON COLUMN @extschema@.jst_teryt.valid_to IS 'Latest date an official source shows this code; NULL when it is the current code.';
COMMENT ON COLUMN @extschema@.jst_teryt.sources IS 'The dated sources that show this code (prg_2019, terc_2020_01_01, bdl_2020, gus_2024_12_31, gugik_2025_01_01).';

CREATE FUNCTION @extschema@.jst_id(code text, width int DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parsed @extschema@.teryt_code := @extschema@.teryt_parse(code, width);
    found text;
BEGIN
    SELECT j.id INTO found FROM @extschema@.jst j WHERE j.id = parsed.id;
    -- an odd number of digits was read as a code that lost its leading zero: when that is no
    -- unit either, the code was more likely cut short, and a NULL would hide it
    IF found IS NULL AND parsed.id IS NOT NULL AND width IS NULL AND length(btrim(code)) % 2 = 1 AND length(btrim(code)) < 7 THEN
        RAISE EXCEPTION 'no unit has the code "%": read as "%" (a dropped leading zero restored), which is not registered', code, parsed.id
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'A TERYT code has 2 (województwo), 4 (powiat), 6 (gmina) or 7 (gmina and its RODZ digit) digits, e.g. ''2802'' or ''280203''; search smup.jst_label by name.';
    END IF;
    RETURN found;
END;
$$;
COMMENT ON FUNCTION @extschema@.jst_id(text, int) IS
  'Resolves any source''s TERYT code (2, 4, 6 or 7 digits, surrounding spaces, a dropped leading zero restored, any RODZ digit) to the unit id of smup.jst; NULL when a well-formed code names no registered unit, 22P02 when the code is malformed, 22023 (with a hint) when a code of an odd length names no unit even with its leading zero restored.';

-- How a unit is named to a reader: the name alone is ambiguous (Braniewo is a town and a rural gmina).
CREATE FUNCTION @extschema@.jst_display_name(level text, kind text, name text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE level
         WHEN 'gmina' THEN name || ' (' || kind || ')'
         WHEN 'powiat' THEN CASE WHEN kind = 'miasto na prawach powiatu' THEN 'powiat m. ' ELSE 'powiat ' END || name
         WHEN 'wojewodztwo' THEN 'województwo ' || lower(name)
         ELSE name END;
COMMENT ON FUNCTION @extschema@.jst_display_name(text, text, text) IS
  'A unit''s name as a reader tells it apart: "Braniewo (gmina miejska)", "Elbląg (miasto na prawach powiatu)" (the city gmina), "powiat braniewski", "powiat m. Elbląg" (the city powiat), "województwo warmińsko-mazurskie", "Polska".';

CREATE VIEW @extschema@.jst_label AS
SELECT j.id, j.level, j.kind, j.name, @extschema@.jst_display_name(j.level, j.kind, j.name) AS display_name,
       p.id AS powiat_id, @extschema@.jst_display_name(p.level, p.kind, p.name) AS powiat_name,
       w.id AS wojewodztwo_id, @extschema@.jst_display_name(w.level, w.kind, w.name) AS wojewodztwo_name
  FROM @extschema@.jst j
  LEFT JOIN @extschema@.jst p ON p.id = CASE j.level WHEN 'gmina' THEN j.parent_id WHEN 'powiat' THEN j.id END
  LEFT JOIN @extschema@.jst w ON w.id = CASE WHEN j.level <> 'kraj' THEN left(j.id, 2) END;
COMMENT ON VIEW @extschema@.jst_label IS
  'Nazwy JST / every unit with a display name that tells namesakes apart and the ids and names of its powiat and województwo, for filters and labels in BI tools.';
COMMENT ON COLUMN @extschema@.jst_label.id IS 'Unit id (TERYT).';
COMMENT ON COLUMN @extschema@.jst_label.level IS 'kraj, wojewodztwo, powiat, gmina.';
COMMENT ON COLUMN @extschema@.jst_label.kind IS 'Unit kind as TERYT writes it.';
COMMENT ON COLUMN @extschema@.jst_label.name IS 'Official name (TERC).';
COMMENT ON COLUMN @extschema@.jst_label.display_name IS 'Name with its kind (smup.jst_display_name): "Braniewo (gmina miejska)", "powiat braniewski".';
COMMENT ON COLUMN @extschema@.jst_label.powiat_id IS 'The powiat of a gmina (for a miasto na prawach powiatu, its city powiat); a powiat''s own id; NULL above.';
COMMENT ON COLUMN @extschema@.jst_label.powiat_name IS 'Display name of that powiat.';
COMMENT ON COLUMN @extschema@.jst_label.wojewodztwo_id IS 'The województwo (2 digits); NULL for Poland.';
COMMENT ON COLUMN @extschema@.jst_label.wojewodztwo_name IS 'Display name of the województwo ("województwo warmińsko-mazurskie").';

-- PostGIS is reached only through these SQL-standard bodies: parsed once, at install time, where
-- CREATE EXTENSION puts PostGIS's schema (whichever it is) on the path; the loaders that call
-- them then run with search_path = pg_catalog, pg_temp, so no schema writable by others is searched.
CREATE FUNCTION @extschema@._geojson_to_2180(geometry jsonb) RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326), 2180));
COMMENT ON FUNCTION @extschema@._geojson_to_2180(jsonb) IS 'Internal: a GeoJSON geometry in WGS 84 as a MultiPolygon in EPSG:2180 (loaders).';

CREATE FUNCTION @extschema@._boundary_problem(geom geometry) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN GeometryType(geom) <> 'MULTIPOLYGON' OR ST_IsEmpty(geom) OR NOT ST_IsValid(geom)
            THEN pg_catalog.format('geometry is %s and must be a valid, non-empty polygon (%s)', GeometryType(geom), ST_IsValidReason(geom)) END;
COMMENT ON FUNCTION @extschema@._boundary_problem(geometry) IS 'Internal: why a boundary cannot be loaded (not a valid, non-empty MultiPolygon), or NULL (loaders).';

-- Parses one GeoJSON FeatureCollection of PRG boundaries into (feature, terc, name, geom 2180).
CREATE FUNCTION @extschema@._prg_features(file text, content text, width int)
RETURNS TABLE (feature int, id text, name text, geom geometry)
-- STABLE: ST_Transform reads spatial_ref_sys; PARALLEL UNSAFE: its EXCEPTION blocks start
-- subtransactions, which PostgreSQL does not allow in parallel mode
LANGUAGE plpgsql STABLE PARALLEL UNSAFE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    doc jsonb;
    f record;
    code text;
BEGIN
    BEGIN
        doc := content::jsonb;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'file %: not valid JSON (truncated or corrupt): %', file, SQLERRM
              USING ERRCODE = 'invalid_text_representation';
    END;
    IF jsonb_typeof(doc) <> 'object' OR doc->>'type' IS DISTINCT FROM 'FeatureCollection'
       OR jsonb_typeof(doc->'features') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'file %: not a GeoJSON FeatureCollection', file USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR f IN SELECT e.value AS v, e.n::int AS n FROM jsonb_array_elements(doc->'features') WITH ORDINALITY AS e(value, n) LOOP
        feature := f.n;
        code := f.v #>> '{properties,terc}';
        name := f.v #>> '{properties,name}';
        IF code IS NULL OR name IS NULL OR jsonb_typeof(f.v->'geometry') IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'file %, feature %: needs properties terc and name and a geometry', file, f.n
                  USING ERRCODE = 'invalid_parameter_value';
        END IF;
        BEGIN
            id := (@extschema@.teryt_parse(code, width)).id;
        EXCEPTION WHEN invalid_text_representation THEN
            RAISE EXCEPTION 'file %, feature %: %', file, f.n, SQLERRM USING ERRCODE = 'invalid_text_representation';
        END;
        BEGIN
            geom := @extschema@._geojson_to_2180(f.v->'geometry');
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'file %, feature % (terc %): bad geometry: %', file, f.n, code, SQLERRM
                  USING ERRCODE = 'invalid_parameter_value';
        END;
        IF @extschema@._boundary_problem(geom) IS NOT NULL THEN
            RAISE EXCEPTION 'file %, feature % (terc %): %', file, f.n, code, @extschema@._boundary_problem(geom)
                  USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@._prg_features(text, text, int) IS 'Internal: features of a PRG GeoJSON file, transformed to EPSG:2180 and checked (loaders).';

CREATE FUNCTION @extschema@.load_jst(terc text, crosswalk text, gminy text, powiaty text,
                                     wojewodztwa text, kraj text)
RETURNS TABLE (item text, loaded bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    r record;
    current_line int;
    current_file text;
    v_changed bigint;
BEGIN
    DROP TABLE IF EXISTS pg_temp._terc, pg_temp._prg, pg_temp._jst, pg_temp._cw;
    -- 1. TERC (GUS register): header, field count and codes, reported by line number.
    CREATE TEMP TABLE pg_temp._terc (line int, code @extschema@.teryt_code, name text, descr text) ON COMMIT DROP;
    current_file := 'TERC';
    BEGIN
        FOR r IN SELECT * FROM @extschema@.csv_parse(terc, ';') LOOP
            current_line := r.line;
            IF r.line = 1 THEN
                IF array_to_string(r.fields, ';') <> 'WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA' THEN
                    RAISE EXCEPTION 'header must be WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA, found "%"',
                          array_to_string(r.fields, ';') USING ERRCODE = 'invalid_text_representation';
                END IF;
                CONTINUE;
            END IF;
            IF cardinality(r.fields) <> 7 THEN
                RAISE EXCEPTION 'expected 7 fields, found %', cardinality(r.fields)
                      USING ERRCODE = 'invalid_text_representation';
            END IF;
            INSERT INTO pg_temp._terc VALUES (r.line, @extschema@.teryt_parse(r.fields[1] || r.fields[2] || r.fields[3] || r.fields[4]),
                                      r.fields[5], r.fields[6]);
        END LOOP;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'file %, %', current_file,
              CASE WHEN current_line IS NULL THEN SQLERRM ELSE format('line %s: %s', current_line, SQLERRM) END
              USING ERRCODE = 'invalid_text_representation';
    END;
    IF NOT EXISTS (SELECT FROM pg_temp._terc) THEN
        RAISE EXCEPTION 'file TERC: no data rows' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT min(t.line) AS line, (t.code).id AS id INTO r FROM pg_temp._terc t
     WHERE (t.code).rodz IS NULL OR (t.code).rodz IN (1, 2, 3)
     GROUP BY (t.code).id HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file TERC, line %: unit % appears more than once', r.line, r.id USING ERRCODE = 'unique_violation';
    END IF;

    -- 2. Boundaries (PRG GeoJSON), one file per level.
    -- (created from the first file: its geometry type is PostGIS's, wherever that lives)
    CREATE TEMP TABLE pg_temp._prg ON COMMIT DROP AS
    SELECT 'gmina'::text AS level, f.* FROM @extschema@._prg_features('gminy', gminy, 7) f;
    INSERT INTO pg_temp._prg SELECT 'powiat', f.* FROM @extschema@._prg_features('powiaty', powiaty, 4) f;
    INSERT INTO pg_temp._prg SELECT 'wojewodztwo', f.* FROM @extschema@._prg_features('wojewodztwa', wojewodztwa, 2) f;
    INSERT INTO pg_temp._prg SELECT 'kraj', f.* FROM @extschema@._prg_features('kraj', kraj, 2) f;
    SELECT p.level, p.id, min(p.feature) AS feature INTO r FROM pg_temp._prg p GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file %, feature %: unit % appears more than once', r.level, r.feature, r.id USING ERRCODE = 'unique_violation';
    END IF;
    SELECT p.level, p.feature, p.id INTO r FROM pg_temp._prg p
     WHERE p.level <> 'kraj' AND NOT EXISTS (SELECT FROM pg_temp._terc t WHERE (t.code).id = p.id AND (t.code).level = p.level
                                              AND ((t.code).rodz IS NULL OR (t.code).rodz IN (1, 2, 3)))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file %, feature %: unit % is not in TERC', r.level, r.feature, r.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT t.line, (t.code).id AS id INTO r FROM pg_temp._terc t
     WHERE ((t.code).rodz IS NULL OR (t.code).rodz IN (1, 2, 3))
       AND NOT EXISTS (SELECT FROM pg_temp._prg p WHERE p.id = (t.code).id AND p.level = (t.code).level)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file TERC, line %: unit % has no boundary (incomplete boundary file?)', r.line, r.id
              USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF (SELECT count(*) FROM pg_temp._prg WHERE level = 'kraj') <> 1 THEN
        RAISE EXCEPTION 'file kraj: expected exactly one feature (the country)' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- 3. The register itself: upsert, then drop units that are gone (fails if data still refers to them).
    CREATE TEMP TABLE pg_temp._jst ON COMMIT DROP AS
    SELECT 'PL'::text AS id, 'kraj'::text AS level, 'kraj'::text AS kind, 'Polska'::text AS name,
           NULL::text AS parent_id, p.geom
      FROM pg_temp._prg p WHERE p.level = 'kraj'
    UNION ALL
    SELECT (t.code).id, (t.code).level,
           CASE
             WHEN (t.code).level = 'wojewodztwo' THEN 'województwo'
             WHEN t.descr LIKE '%na prawach powiatu%' THEN 'miasto na prawach powiatu'
             WHEN (t.code).level = 'powiat' THEN 'powiat'
             WHEN EXISTS (SELECT FROM pg_temp._terc c WHERE (c.code).id = left((t.code).id, 4)
                            AND c.descr LIKE '%na prawach powiatu%') THEN 'miasto na prawach powiatu'
             ELSE split_part(t.descr, ',', 1)
           END,
           t.name,
           CASE (t.code).level WHEN 'wojewodztwo' THEN 'PL' WHEN 'powiat' THEN left((t.code).id, 2)
                               ELSE left((t.code).id, 4) END,
           p.geom
      FROM pg_temp._terc t JOIN pg_temp._prg p ON p.id = (t.code).id AND p.level = (t.code).level
     WHERE (t.code).rodz IS NULL OR (t.code).rodz IN (1, 2, 3);

    INSERT INTO @extschema@.jst AS j (id, level, kind, name, parent_id, geom)
    SELECT id, level, kind, name, parent_id, geom FROM pg_temp._jst ORDER BY length(id), id
    ON CONFLICT (id) DO UPDATE SET level = excluded.level, kind = excluded.kind, name = excluded.name,
                                   parent_id = excluded.parent_id, geom = excluded.geom
     WHERE (j.level, j.kind, j.name, j.parent_id) IS DISTINCT FROM (excluded.level, excluded.kind, excluded.name, excluded.parent_id)
        OR j.geom::bytea IS DISTINCT FROM excluded.geom::bytea;  -- a cast, found by type, not by name
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    DELETE FROM @extschema@.jst j WHERE NOT EXISTS (SELECT FROM pg_temp._jst n WHERE n.id = j.id);

    -- 4. Crosswalk of 7-digit codes (derived from the dated official sources).
    CREATE TEMP TABLE pg_temp._cw (line int, id text, source text, seen date, teryt7 text) ON COMMIT DROP;
    current_file := 'crosswalk';
    current_line := NULL;
    BEGIN
        FOR r IN SELECT * FROM @extschema@.csv_parse(crosswalk, ',') LOOP
            current_line := r.line;
            IF r.line = 1 THEN
                IF array_to_string(r.fields, ',') <> 'gmina6,name,teryt7_prg_jusuff_2019,teryt7_terc_2020_01_01,teryt7_bdl_export_2021,teryt7_gus_2024_12_31,teryt7_gugik_area_2025_01_01,type_changed,exists_in_all' THEN
                    RAISE EXCEPTION 'unexpected header "%"', array_to_string(r.fields, ',') USING ERRCODE = 'invalid_text_representation';
                END IF;
                CONTINUE;
            END IF;
            IF cardinality(r.fields) <> 9 THEN
                RAISE EXCEPTION 'expected 9 fields, found %', cardinality(r.fields) USING ERRCODE = 'invalid_text_representation';
            END IF;
            INSERT INTO pg_temp._cw
            SELECT r.line, (@extschema@.teryt_parse(r.fields[1], 6)).id, s.source, s.seen, (@extschema@.teryt_parse(r.fields[s.col], 7)).teryt7
              FROM (VALUES (3, 'prg_2019', date '2019-12-31'), (4, 'terc_2020_01_01', date '2020-01-01'),
                           (5, 'bdl_2020', date '2020-12-31'), (6, 'gus_2024_12_31', date '2024-12-31'),
                           (7, 'gugik_2025_01_01', date '2025-01-01')) AS s(col, source, seen)
             WHERE r.fields[s.col] <> '';
            IF EXISTS (SELECT FROM pg_temp._cw c WHERE c.line = r.line AND left(c.teryt7, 6) <> c.id) THEN
                RAISE EXCEPTION 'a 7-digit code does not start with gmina6 %', r.fields[1] USING ERRCODE = 'invalid_text_representation';
            END IF;
        END LOOP;
    EXCEPTION WHEN invalid_text_representation THEN
        RAISE EXCEPTION 'file %, %', current_file,
              CASE WHEN current_line IS NULL THEN SQLERRM ELSE format('line %s: %s', current_line, SQLERRM) END
              USING ERRCODE = 'invalid_text_representation';
    END;
    DELETE FROM @extschema@.jst_teryt;
    INSERT INTO @extschema@.jst_teryt (id, teryt7, valid_from, valid_to, sources)
    SELECT c.id, c.teryt7,
           CASE WHEN min(c.seen) > (SELECT min(o.seen) FROM pg_temp._cw o WHERE o.id = c.id) THEN min(c.seen) END,
           CASE WHEN max(c.seen) < (SELECT max(o.seen) FROM pg_temp._cw o WHERE o.id = c.id) THEN max(c.seen) END,
           array_agg(c.source ORDER BY c.seen)
      FROM pg_temp._cw c
     WHERE EXISTS (SELECT FROM @extschema@.jst j WHERE j.id = c.id AND j.level = 'gmina')
     GROUP BY c.id, c.teryt7;

    RETURN QUERY
    SELECT rep.item, rep.n FROM (
        SELECT 'jst ' || j.level AS item, count(*) AS n, min(length(j.id)) + (j.level = 'kraj')::int * -10 AS ord
          FROM @extschema@.jst j GROUP BY j.level
        UNION ALL SELECT 'jst rows inserted or changed', v_changed, 100
        UNION ALL SELECT 'jst_teryt codes', count(*), 101 FROM @extschema@.jst_teryt
        UNION ALL SELECT 'crosswalk gminy not in the boundaries (skipped)', count(DISTINCT c.id), 102
                    FROM pg_temp._cw c WHERE NOT EXISTS (SELECT FROM @extschema@.jst j WHERE j.id = c.id)) rep
     ORDER BY rep.ord, rep.item;
END;
$$;
COMMENT ON FUNCTION @extschema@.load_jst(text, text, text, text, text, text) IS
  'Loads the JST register from file contents passed as text (read client-side, e.g. psql \set x `gzip -dc file`): TERC (GUS, ;-separated), the gmina TERYT crosswalk (CSV), and PRG GeoJSON boundaries of gminy, powiaty, województwa and the country (EPSG:4326, transformed to 2180). All or nothing: any malformed line or feature aborts with its file and line/feature number. Returns what was loaded.';

-- ==== sql/install/20-stats.sql ====
-- Statistics in C++: group distributions (percentile ranks, quantiles, summaries), trends of a
-- yearly series, and exact confidence intervals of rates and proportions.

-- ---- smup.distribution: a group's sorted values -----------------------------------------------

CREATE TYPE @extschema@.distribution;

CREATE FUNCTION @extschema@.distribution_in(cstring) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_out(@extschema@.distribution) RETURNS cstring
AS 'MODULE_PATHNAME', 'smup_distribution_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_recv(internal) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_send(@extschema@.distribution) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_distribution_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.distribution (
    INPUT = @extschema@.distribution_in,
    OUTPUT = @extschema@.distribution_out,
    RECEIVE = @extschema@.distribution_recv,
    SEND = @extschema@.distribution_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = external
);
COMMENT ON TYPE @extschema@.distribution IS
  'Rozkład grupy / a group''s distribution: its finite float8 values, sorted (8 bytes a value). Built by the aggregate smup.distribution(float8), read in O(log n) by smup.percentile_rank, smup.cume_dist, smup.quantile, smup.summary, smup.z_score. Text form {v1,v2,...} (shortest round-trip digits). Storage external (uncompressed out of line), so reading costs no decompression.';
COMMENT ON FUNCTION @extschema@.distribution_in(cstring) IS
  'Text input of smup.distribution: {v1,v2,...}, at least one finite value, any order (stored sorted); NaN or Infinity raises 22000, bad syntax 22P02.';
COMMENT ON FUNCTION @extschema@.distribution_out(@extschema@.distribution) IS
  'Text output of smup.distribution: {v1,v2,...} in ascending order, float8 shortest round-trip digits.';
COMMENT ON FUNCTION @extschema@.distribution_recv(internal) IS
  'Binary input of smup.distribution: version byte 1, int8 count, count float8 values (finite, ascending; anything else is rejected).';
COMMENT ON FUNCTION @extschema@.distribution_send(@extschema@.distribution) IS
  'Binary output of smup.distribution: version byte 1, int8 count, the float8 values in ascending order.';

-- The aggregate: internal state (an array of doubles), parallel with combine and (de)serialise.
CREATE FUNCTION @extschema@.distribution_sfunc(internal, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_final(internal) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_serial(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_distribution_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_deserial(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_deserial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.distribution_sfunc(internal, float8) IS
  'Transition function of smup.distribution(float8): appends a value (NULL skipped; NaN or Infinity raises 22000).';
COMMENT ON FUNCTION @extschema@.distribution_final(internal) IS
  'Final function of smup.distribution(float8): sorts the values (C++ core) into a smup.distribution, consuming the state (large states are moved block by block, so the values are held once); no values gives NULL.';
COMMENT ON FUNCTION @extschema@.distribution_combine(internal, internal) IS
  'Combine function of smup.distribution(float8) for parallel and partial aggregation: concatenates two states.';
COMMENT ON FUNCTION @extschema@.distribution_serial(internal) IS
  'Serialise function of smup.distribution(float8): the state as bytea, to pass between parallel workers.';
COMMENT ON FUNCTION @extschema@.distribution_deserial(bytea, internal) IS
  'Deserialise function of smup.distribution(float8).';

CREATE AGGREGATE @extschema@.distribution(float8) (
    SFUNC = @extschema@.distribution_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.distribution_final,
    COMBINEFUNC = @extschema@.distribution_combine,
    SERIALFUNC = @extschema@.distribution_serial,
    DESERIALFUNC = @extschema@.distribution_deserial,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.distribution(float8) IS
  'Rozkład wartości grupy / the distribution of a group''s values, computed once and queried in O(log n). NULL ignored; NaN or ±Infinity raises 22000 naming the value; no values gives NULL. Parallel safe (combine, serialise, deserialise).';

-- The union of distributions: smup.distribution over smup.distribution values.
CREATE FUNCTION @extschema@.distribution_union_sfunc(internal, @extschema@.distribution) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_union_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.distribution_union_sfunc(internal, @extschema@.distribution) IS
  'Transition function of smup.distribution(smup.distribution): merges a sorted distribution into the state (NULL skipped).';

CREATE AGGREGATE @extschema@.distribution(@extschema@.distribution) (
    SFUNC = @extschema@.distribution_union_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.distribution_final,
    COMBINEFUNC = @extschema@.distribution_combine,
    SERIALFUNC = @extschema@.distribution_serial,
    DESERIALFUNC = @extschema@.distribution_deserial,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.distribution(@extschema@.distribution) IS
  'Suma rozkładów / the union of distributions (all their values, as one distribution): a larger group from its parts, e.g. Poland from its województwa, without reading the values again. NULL ignored; no input gives NULL. Parallel safe.';

CREATE FUNCTION @extschema@.percentile_rank(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_percentile_rank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.percentile_rank(@extschema@.distribution, float8) IS
  'Ranga percentylowa / for a member of the group (a value equal to one of its values): (number of values below value) / (n - 1), 0 when n = 1, exactly percent_rank() OVER (ORDER BY v) (ties share the lowest rank); for any other value: (number below) / n, exactly the hypothetical-set percent_rank(value) WITHIN GROUP (ORDER BY v). Always in [0, 1]; NaN raises 22000.';

CREATE FUNCTION @extschema@.cume_dist(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_cume_dist' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cume_dist(@extschema@.distribution, float8) IS
  'Dystrybuanta empiryczna / (number of values <= value) / n: for a member exactly cume_dist() OVER (ORDER BY v). NaN raises 22000.';

CREATE FUNCTION @extschema@.rank_in_group(d @extschema@.distribution, value float8,
                                           polarity text DEFAULT 'higher_is_better') RETURNS bigint
AS 'MODULE_PATHNAME', 'smup_rank_in_group' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rank_in_group(@extschema@.distribution, float8, text) IS
  'Pozycja w grupie / 1 + the number of values strictly better than value by polarity (higher_is_better and neutral: higher is first; lower_is_better: lower is first), so ties share the best rank: rank() OVER (ORDER BY v DESC) for higher_is_better. Two binary searches. An unknown polarity raises 22023, NaN 22000.';

CREATE FUNCTION @extschema@.percentile_in_group(d @extschema@.distribution, value float8,
                                                 polarity text DEFAULT 'higher_is_better') RETURNS float8
AS 'MODULE_PATHNAME', 'smup_percentile_in_group' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.percentile_in_group(@extschema@.distribution, float8, text) IS
  'Percentyl w grupie (mid-rank) / 100 = best by polarity (neutral: highest): for a member, 100 × (worse + ½ × (tied − 1)) / (n − 1), tied counting the value itself, so tied members share the mean of the positions they span and without ties it equals 100 × percent_rank(); an all-equal group gives 50; a group of one gives NULL. For a value not in the group, 100 × worse / n. An unknown polarity raises 22023, NaN 22000.';

CREATE TYPE @extschema@.group_position AS (rank bigint, percentile float8);
COMMENT ON TYPE @extschema@.group_position IS
  'Pozycja w grupie / a value''s rank and mid-rank percentile in its group (smup.group_position).';
CREATE FUNCTION @extschema@.group_position(d @extschema@.distribution, value float8,
                                            polarity text DEFAULT 'higher_is_better') RETURNS @extschema@.group_position
AS 'MODULE_PATHNAME', 'smup_group_position' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.group_position(@extschema@.distribution, float8, text) IS
  'Pozycja w grupie / smup.rank_in_group and smup.percentile_in_group in one call (one read of the group''s values): (rank, percentile).';

CREATE FUNCTION @extschema@.quantile(d @extschema@.distribution, p float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile(@extschema@.distribution, float8) IS
  'Kwantyl / exactly percentile_cont(p) WITHIN GROUP (ORDER BY v): linear interpolation at position p (n - 1). p outside [0, 1] or NaN raises 22003 naming it.';

CREATE FUNCTION @extschema@.quantile(d @extschema@.distribution, p float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'smup_distribution_quantiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile(@extschema@.distribution, float8[]) IS
  'Kwantyle / exactly percentile_cont(p[]) WITHIN GROUP (ORDER BY v): an array of the same shape, NULL elements give NULL. Any p outside [0, 1] or NaN raises 22003.';

CREATE TYPE @extschema@.distribution_summary AS (
    n      bigint,
    min    float8,
    q1     float8,
    median float8,
    q3     float8,
    max    float8,
    mean   float8,
    sd     float8,
    mad    float8
);
COMMENT ON TYPE @extschema@.distribution_summary IS
  'Podsumowanie rozkładu / summary of a distribution: n, min, q1, median, q3 (percentile_cont 0.25, 0.5, 0.75), max, mean, sd (sample standard deviation, NULL when n = 1), mad (median absolute deviation from the median, unscaled: multiply by 1.4826 for a normal-consistent scale).';

CREATE FUNCTION @extschema@.summary(d @extschema@.distribution) RETURNS @extschema@.distribution_summary
AS 'MODULE_PATHNAME', 'smup_distribution_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summary(@extschema@.distribution) IS
  'Podsumowanie rozkładu / n, min, q1, median, q3, max, mean, sd (sample, NULL when n = 1), mad (unscaled median absolute deviation) of a distribution.';

CREATE FUNCTION @extschema@.z_score(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_z_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.z_score(@extschema@.distribution, float8) IS
  'Wynik standaryzowany / (value - mean) / sd with the sample standard deviation; NULL when n < 2 or sd = 0. A non-finite value raises 22000. O(n) a call.';

CREATE FUNCTION @extschema@.robust_z_score(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_robust_z_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.robust_z_score(@extschema@.distribution, float8) IS
  'Odporny wynik standaryzowany / (value - median) / (1.4826 × MAD), MAD the unscaled median absolute deviation; NULL when MAD = 0. A non-finite value raises 22000. O(n) a call.';

-- ---- smup.trend: the trend of a yearly series ---------------------------------------------------

CREATE TYPE @extschema@.trend_result AS (
    n                bigint,
    first_year       int,
    last_year        int,
    ols_slope        float8,
    ols_slope_se     float8,
    theil_sen_slope  float8,
    mann_kendall_tau float8,
    mann_kendall_p   float8,
    cagr             float8
);
COMMENT ON TYPE @extschema@.trend_result IS
  'Trend szeregu rocznego / trend of a yearly series: n points, first and last year, OLS slope (per year) and its standard error (NULL when n < 3), Theil–Sen slope (median of pairwise slopes), Mann–Kendall tau (S / (n(n-1)/2)) and two-sided p (normal approximation, tie-corrected variance, continuity correction), compound annual growth rate (last/first)^(1/(last_year - first_year)) - 1 (NULL when first <= 0 or last < 0). Slopes, tau, p and cagr are NULL when n = 1.';

CREATE FUNCTION @extschema@.trend_sfunc(internal, int, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_final(internal) RETURNS @extschema@.trend_result
AS 'MODULE_PATHNAME', 'smup_trend_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_serial(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_trend_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_deserial(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_deserial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_sfunc(internal, int, float8) IS
  'Transition function of smup.trend(int, float8): appends a (year, value) point; a NULL year or value is skipped, NaN or Infinity raises 22000 naming the year.';
COMMENT ON FUNCTION @extschema@.trend_final(internal) IS
  'Final function of smup.trend(int, float8): the C++ core computes the trend; a duplicate year raises 22023 naming it; no points gives NULL.';
COMMENT ON FUNCTION @extschema@.trend_combine(internal, internal) IS
  'Combine function of smup.trend(int, float8) for parallel and partial aggregation.';
COMMENT ON FUNCTION @extschema@.trend_serial(internal) IS
  'Serialise function of smup.trend(int, float8).';
COMMENT ON FUNCTION @extschema@.trend_deserial(bytea, internal) IS
  'Deserialise function of smup.trend(int, float8).';

CREATE AGGREGATE @extschema@.trend(year int, value float8) (
    SFUNC = @extschema@.trend_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.trend_final,
    COMBINEFUNC = @extschema@.trend_combine,
    SERIALFUNC = @extschema@.trend_serial,
    DESERIALFUNC = @extschema@.trend_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend(int, float8) IS
  'Trend szeregu rocznego / trend of a yearly series → smup.trend_result (OLS slope and SE, Theil–Sen slope, Mann–Kendall tau and p, CAGR). NULL values skipped; a duplicate year raises 22023 naming it; at most 10000 points (pairwise statistics are O(n²)). Parallel safe.';

-- ---- confidence intervals -------------------------------------------------------------------

CREATE TYPE @extschema@.rate_interval AS (rate float8, lower float8, upper float8);
COMMENT ON TYPE @extschema@.rate_interval IS
  'Współczynnik z przedziałem ufności / a rate (events / exposure × per) with the lower and upper limits of its confidence interval.';

CREATE FUNCTION @extschema@.rate_ci(events float8, exposure float8, per float8 DEFAULT 1000,
                                    level float8 DEFAULT 0.95)
RETURNS @extschema@.rate_interval
AS 'MODULE_PATHNAME', 'smup_rate_ci_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(float8, float8, float8, float8) IS
  'Przedział ufności współczynnika / exact Poisson (Garwood 1936) interval of events / exposure × per: lower = chi2(alpha/2; 2x)/2, upper = chi2(1 - alpha/2; 2x + 2)/2 (Boost.Math gamma quantiles), scaled by per / exposure. events >= 0 (non-integer counts allowed, the gamma form is continuous), exposure > 0, per > 0, 0 < level < 1, else 22003 naming the value; NaN or Infinity 22000.';

CREATE TYPE @extschema@.proportion_interval AS (p float8, lower float8, upper float8);
COMMENT ON TYPE @extschema@.proportion_interval IS
  'Odsetek z przedziałem ufności / a proportion successes / trials with the lower and upper limits of its confidence interval.';

CREATE FUNCTION @extschema@.proportion_ci(successes float8, trials float8, level float8 DEFAULT 0.95,
                                          method text DEFAULT 'wilson')
RETURNS @extschema@.proportion_interval
AS 'MODULE_PATHNAME', 'smup_proportion_ci_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.proportion_ci(float8, float8, float8, text) IS
  'Przedział ufności odsetka / confidence interval of successes / trials: method wilson (score interval), clopper-pearson (exact, beta quantiles) or jeffreys (beta(x + 1/2, n - x + 1/2) quantiles); Boost.Math. trials > 0 and 0 <= successes <= trials, 0 < level < 1, else 22003; an unknown method 22023 naming it.';

-- ==== sql/install/30-neighbours.sql ====
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

-- ==== sql/install/40-catalogue.sql ====
-- The SMUP indicator catalogue: areas, services, variables, indicators. Bilingual: Polish names
-- as GUS writes them, English alongside. Rows shipped with the extension have builtin = true;
-- rows users add are dumped by pg_dump (pg_extension_config_dump below).

CREATE TABLE @extschema@.area (
    code    text PRIMARY KEY,
    name_pl text NOT NULL UNIQUE,
    name_en text NOT NULL UNIQUE,
    builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.area IS 'Obszary SMUP / the 10 SMUP areas of local public services.';
COMMENT ON COLUMN @extschema@.area.code IS 'Short code of the area (EDU, SRO, NIE, SPO, KUL, INW, POD, DRO, GEO, FIN).';
COMMENT ON COLUMN @extschema@.area.name_pl IS 'Nazwa obszaru (Polish).';
COMMENT ON COLUMN @extschema@.area.name_en IS 'Area name (English).';
COMMENT ON COLUMN @extschema@.area.builtin IS 'true for rows shipped with smup; user rows have false and survive pg_dump.';

INSERT INTO @extschema@.area (code, name_pl, name_en, builtin) VALUES
  ('EDU', 'edukacja', 'education', true),
  ('SRO', 'ochrona środowiska', 'environmental protection', true),
  ('NIE', 'gospodarowanie nieruchomościami', 'property management', true),
  ('SPO', 'lokalna polityka społeczna', 'local social policy', true),
  ('KUL', 'kultura i rekreacja', 'culture and recreation', true),
  ('INW', 'inwestycje i budownictwo', 'investment and construction', true),
  ('POD', 'podatki i opłaty lokalne', 'local taxes and fees', true),
  ('DRO', 'drogownictwo i transport', 'roads and transport', true),
  ('GEO', 'geodezja i kartografia', 'geodesy and cartography', true),
  ('FIN', 'finanse JST', 'local government finance', true);

CREATE TABLE @extschema@.service (
    code    text PRIMARY KEY,
    area    text NOT NULL REFERENCES @extschema@.area (code),
    name_pl text NOT NULL,
    name_en text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,
    UNIQUE (area, name_pl)
);
COMMENT ON TABLE @extschema@.service IS 'Usługi publiczne / public services, each in one SMUP area.';
COMMENT ON COLUMN @extschema@.service.code IS 'Service code, AREA.XXX.';
COMMENT ON COLUMN @extschema@.service.area IS 'The SMUP area (smup.area.code).';
COMMENT ON COLUMN @extschema@.service.name_pl IS 'Nazwa usługi (Polish).';
COMMENT ON COLUMN @extschema@.service.name_en IS 'Service name (English).';
COMMENT ON COLUMN @extschema@.service.builtin IS 'true for rows shipped with smup.';

INSERT INTO @extschema@.service (code, area, name_pl, name_en, builtin) VALUES
  ('SPO.DEM', 'SPO', 'demografia (kontekst)', 'demography (context)', true),
  ('SPO.RAT', 'SPO', 'bezpieczeństwo i ratownictwo (kontekst)', 'safety and rescue (context)', true),
  ('FIN.DOW', 'FIN', 'dochody własne', 'own revenues', true),
  ('POD.NIE', 'POD', 'podatek od nieruchomości', 'property tax', true),
  ('POD.ROL', 'POD', 'podatki rolny i leśny', 'agricultural and forest taxes', true),
  ('NIE.MIE', 'NIE', 'gospodarowanie mieniem komunalnym', 'municipal property management', true),
  ('GEO.ZAL', 'GEO', 'powierzchnia i zaludnienie', 'area and settlement', true);

CREATE TABLE @extschema@.variable (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_pl       text NOT NULL,
    name_en       text NOT NULL,
    unit          text NOT NULL,
    source        text NOT NULL,
    bdl_dimension text UNIQUE,
    sum_of        text[],
    additive      boolean NOT NULL DEFAULT false,
    builtin       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.variable IS 'Zmienne / the statistical variables observations are recorded for (the inputs of indicators).';
COMMENT ON COLUMN @extschema@.variable.code IS 'Variable code (lower-case ASCII).';
COMMENT ON COLUMN @extschema@.variable.name_pl IS 'Nazwa zmiennej, as the source writes it.';
COMMENT ON COLUMN @extschema@.variable.name_en IS 'Variable name (English).';
COMMENT ON COLUMN @extschema@.variable.unit IS 'Unit of measure (osoba, zł, km², zdarzenie, ...).';
COMMENT ON COLUMN @extschema@.variable.source IS 'Where it comes from, e.g. the BDL subject and variable group.';
COMMENT ON COLUMN @extschema@.variable.bdl_dimension IS 'The dimension path of a BDL CTAB export header ("dimension;dimension" without year and unit) that smup.load_bdl maps to this variable by default.';
COMMENT ON COLUMN @extschema@.variable.sum_of IS 'For a derived variable: the variables whose sum it is, where it is not observed directly (see smup.observation_all).';
COMMENT ON COLUMN @extschema@.variable.additive IS 'true when the value of a powiat, województwo or Poland is the sum of its gminy (counts of people or events, areas, amounts of the gminy''s budgets): smup.observation_all then sums the gminy up the register wherever the higher unit is not observed, and a missing part makes the sum missing, never a partial sum.';
COMMENT ON COLUMN @extschema@.variable.builtin IS 'true for rows shipped with smup.';

INSERT INTO @extschema@.variable (code, name_pl, name_en, unit, source, bdl_dimension, sum_of, builtin) VALUES
  ('ludnosc_przedprodukcyjna', 'ludność w wieku przedprodukcyjnym', 'population of pre-working age (0-17)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku przedprodukcyjnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna', 'ludność w wieku produkcyjnym', 'population of working age (18-64 men, 18-59 women)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku produkcyjnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna_mobilna', 'ludność w wieku produkcyjnym mobilnym', 'population of mobile working age (18-44)', 'osoba',
   'GUS BDL, LUDNOŚĆ', 'w wieku produkcyjnym mobilnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna_niemobilna', 'ludność w wieku produkcyjnym niemobilnym', 'population of non-mobile working age', 'osoba',
   'GUS BDL, LUDNOŚĆ', 'w wieku produkcyjnym niemobilnym;ogółem', NULL, true),
  ('ludnosc_poprodukcyjna', 'ludność w wieku poprodukcyjnym', 'population of post-working age (65+ men, 60+ women)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku poprodukcyjnym;ogółem', NULL, true),
  ('ludnosc_ogolem', 'ludność ogółem', 'total population', 'osoba',
   'GUS: BDL P2137 (2020), Tabl. IV (2024), otherwise the sum of the economic age groups; stan 31 XII', NULL,
   ARRAY['ludnosc_przedprodukcyjna', 'ludnosc_produkcyjna', 'ludnosc_poprodukcyjna'], true),
  ('ludnosc_nieprodukcyjna', 'ludność w wieku nieprodukcyjnym', 'population of non-working age', 'osoba',
   'derived: pre-working + post-working age', NULL, ARRAY['ludnosc_przedprodukcyjna', 'ludnosc_poprodukcyjna'], true),
  ('dochody_wlasne', 'dochody własne razem', 'own revenues, total', 'zł',
   'GUS BDL, FINANSE PUBLICZNE: dochody budżetów gmin (gminy łącznie z miastami na prawach powiatu)', 'gminy łącznie z miastami na prawach powiatu;razem', NULL, true),
  ('podatek_rolny', 'dochody podatkowe - podatek rolny', 'agricultural tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek rolny', NULL, true),
  ('podatek_lesny', 'dochody podatkowe - podatek leśny', 'forest tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek leśny', NULL, true),
  ('podatek_od_nieruchomosci', 'dochody podatkowe - podatek od nieruchomości', 'property tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od nieruchomości', NULL, true),
  ('podatek_od_srodkow_transportowych', 'dochody podatkowe - podatek od środków transportowych', 'vehicle tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od środków transportowych', NULL, true),
  ('karta_podatkowa', 'dochody podatkowe - podatek od działalności gospodarczej osób fizycznych, opłacany w formie karty podatkowej',
   'flat-rate business tax (karta podatkowa) revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od działalności gospodarczej osób fizycznych, opłacany w formie karty podatkowej', NULL, true),
  ('wplywy_z_uslug', 'wpływy z usług', 'revenue from services', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;wpływy z usług', NULL, true),
  ('dochody_z_majatku', 'dochody z majątku', 'property income', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody z majątku', NULL, true),
  ('dochody_z_najmu_i_dzierzawy', 'dochody z majątku - dochody z najmu i dzierżawy składników majątkowych JST oraz innych umów o podobnym charakterze',
   'income from renting and leasing municipal property', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody z majątku - dochody z najmu i dzierżawy składników majątkowych JST oraz innych umów o podobnym charakterze', NULL, true),
  ('srodki_na_inwestycje_z_innych_zrodel', 'pozostałe dochody - środki na dofinansowanie własnych zadań pozyskane z innych źródeł - inwestycyjne',
   'co-financing of own investment tasks from other sources', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;pozostałe dochody - środki na dofinansowanie własnych zadań pozyskane z innych źródeł - inwestycyjne', NULL, true),
  ('powierzchnia_km2', 'powierzchnia', 'area (BDL, whole km²)', 'km²', 'GUS BDL, powierzchnia (2010-2019)', NULL, NULL, true),
  ('powierzchnia_geodezyjna_ha', 'powierzchnia geodezyjna', 'official geodetic area', 'ha', 'GUGiK, wykaz pól powierzchni geodezyjnych, stan 1 I', NULL, NULL, true),
  ('powierzchnia_geodezyjna_km2', 'powierzchnia geodezyjna', 'official geodetic area', 'km²', 'GUGiK, wykaz pól powierzchni geodezyjnych, stan 1 I', NULL, NULL, true),
  ('malzenstwa', 'małżeństwa', 'marriages', 'małżeństwo', 'GUS, Tabl. IV: ludność, ruch naturalny oraz migracje ludności według gmin', NULL, NULL, true),
  ('urodzenia_zywe', 'urodzenia żywe', 'live births', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('zgony', 'zgony ogółem', 'deaths', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('zgony_niemowlat', 'zgony niemowląt', 'infant deaths', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('przyrost_naturalny', 'przyrost naturalny', 'natural increase', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('saldo_migracji', 'saldo migracji ogółem', 'total net migration', 'osoba', 'GUS, Tabl. IV (internal and international)', NULL, NULL, true),
  ('psp_zdarzenia', 'zdarzenia ogółem', 'State Fire Service interventions, total', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_pozary', 'pożary', 'fires', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_miejscowe_zagrozenia', 'miejscowe zagrożenia', 'local hazards', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_alarmy_falszywe', 'alarmy fałszywe', 'false alarms', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true);

-- Every shipped variable counts people, events or area, or is an amount of a gmina's budget: each
-- adds up from gminy to powiat, województwo and Poland.
UPDATE @extschema@.variable SET additive = true WHERE builtin;

CREATE TABLE @extschema@.indicator (
    code              text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    area              text NOT NULL REFERENCES @extschema@.area (code),
    service           text NOT NULL REFERENCES @extschema@.service (code),
    name_pl           text NOT NULL,
    name_en           text NOT NULL,
    dimension         text NOT NULL CHECK (dimension IN ('ilość', 'jakość', 'dostępność', 'efektywność kosztowa')),
    role              text NOT NULL CHECK (role IN ('monitoring', 'context')),
    numerator         text NOT NULL REFERENCES @extschema@.variable (code),
    denominator       text REFERENCES @extschema@.variable (code),
    multiplier        float8 NOT NULL DEFAULT 1 CHECK (multiplier <> 0 AND multiplier = multiplier AND multiplier NOT IN ('Infinity', '-Infinity')),
    value_offset      float8 NOT NULL DEFAULT 0 CHECK (value_offset = value_offset AND value_offset NOT IN ('Infinity', '-Infinity')),
    denominator_year  int,
    denominator_nearest_year boolean NOT NULL DEFAULT false CHECK (NOT (denominator_nearest_year AND denominator_year IS NOT NULL)),
    unit              text NOT NULL,
    polarity          text NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better', 'neutral')),
    levels            text[] NOT NULL DEFAULT ARRAY['gmina'] CHECK (levels <@ ARRAY['kraj', 'wojewodztwo', 'powiat', 'gmina'] AND cardinality(levels) > 0),
    ci_method         text CHECK (ci_method IN ('poisson', 'wilson')),
    source            text NOT NULL,
    description       text NOT NULL,
    builtin           boolean NOT NULL DEFAULT false
);
CREATE INDEX indicator_area_idx ON @extschema@.indicator (area);
CREATE INDEX indicator_service_idx ON @extschema@.indicator (service);
COMMENT ON TABLE @extschema@.indicator IS
  'Wskaźniki SMUP / indicator catalogue. value = numerator / denominator × multiplier + value_offset, per unit and year. Adding an indicator is one INSERT, then smup.refresh().';
COMMENT ON COLUMN @extschema@.indicator.code IS 'Indicator code (lower-case ASCII).';
COMMENT ON COLUMN @extschema@.indicator.area IS 'SMUP area (smup.area.code); must be the area of the service.';
COMMENT ON COLUMN @extschema@.indicator.service IS 'Public service measured (smup.service.code).';
COMMENT ON COLUMN @extschema@.indicator.name_pl IS 'Nazwa wskaźnika (Polish).';
COMMENT ON COLUMN @extschema@.indicator.name_en IS 'Indicator name (English).';
COMMENT ON COLUMN @extschema@.indicator.dimension IS 'Wymiar: ilość (quantity), jakość (quality), dostępność (accessibility), efektywność kosztowa (cost-efficiency).';
COMMENT ON COLUMN @extschema@.indicator.role IS 'monitoring (a service indicator) or context (describes the conditions of the unit).';
COMMENT ON COLUMN @extschema@.indicator.numerator IS 'Numerator variable (smup.variable.code).';
COMMENT ON COLUMN @extschema@.indicator.denominator IS 'Denominator variable; NULL means the numerator itself (times multiplier).';
COMMENT ON COLUMN @extschema@.indicator.multiplier IS 'Multiplier: 100 for a percentage, 1000 for per mille, 10000 per 10 thousand inhabitants.';
COMMENT ON COLUMN @extschema@.indicator.value_offset IS 'Added after multiplying (e.g. -100 for a change in % from a base-year ratio).';
COMMENT ON COLUMN @extschema@.indicator.denominator_year IS 'Fixed year of the denominator (a base year, e.g. 2010); NULL means the same year as the numerator.';
COMMENT ON COLUMN @extschema@.indicator.denominator_nearest_year IS 'For a slowly changing denominator (an area): when it is not observed in the numerator''s year, use its nearest observed year (the earlier on a tie); smup.indicator_value.denominator shows the value used. false: no denominator that year, no value.';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'Unit of the indicator value.';
COMMENT ON COLUMN @extschema@.indicator.polarity IS 'higher_is_better, lower_is_better or neutral: orders percentiles so that the best value gets 100 (neutral: ascending).';
COMMENT ON COLUMN @extschema@.indicator.levels IS 'Levels of units the indicator applies to (gmina, powiat, wojewodztwo, kraj).';
COMMENT ON COLUMN @extschema@.indicator.ci_method IS 'Confidence interval of the value: poisson (exact Garwood limits of a rate, smup.rate_ci), wilson (a proportion, smup.proportion_ci) or NULL.';
COMMENT ON COLUMN @extschema@.indicator.source IS 'Data source of the inputs.';
COMMENT ON COLUMN @extschema@.indicator.description IS 'What the indicator measures and how to read it, with its formula.';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for rows shipped with smup.';

-- A service belongs to one area: an indicator's area must be its service's.
CREATE FUNCTION @extschema@._indicator_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM @extschema@.service s WHERE s.code = NEW.service AND s.area = NEW.area) THEN
        RAISE EXCEPTION 'indicator %: service % is not in area %', NEW.code, NEW.service, NEW.area
              USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@._indicator_check() IS 'Internal: keeps an indicator''s area equal to its service''s area.';
CREATE TRIGGER indicator_area_matches_service BEFORE INSERT OR UPDATE ON @extschema@.indicator
    FOR EACH ROW EXECUTE FUNCTION @extschema@._indicator_check();

INSERT INTO @extschema@.indicator (code, area, service, name_pl, name_en, dimension, role, numerator, denominator,
                                   multiplier, value_offset, denominator_year, unit, polarity, ci_method, source, description, builtin) VALUES
  ('gestosc_zaludnienia', 'GEO', 'GEO.ZAL', 'gęstość zaludnienia', 'population density', 'ilość', 'context',
   'ludnosc_ogolem', 'powierzchnia_km2', 1, 0, NULL, 'osoby/km²', 'neutral', NULL, 'GUS BDL',
   'Ludność ogółem (31 XII) na 1 km² powierzchni (BDL). Population per km²: ludnosc_ogolem / powierzchnia_km2; in a year without an observed area (after 2019) the nearest year''s area.', true),
  ('udzial_ludnosci_przedprodukcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku przedprodukcyjnym', 'share of pre-working age population',
   'ilość', 'context', 'ludnosc_przedprodukcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku 0-17 lat. ludnosc_przedprodukcyjna / ludnosc_ogolem × 100.', true),
  ('udzial_ludnosci_produkcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku produkcyjnym', 'share of working age population',
   'ilość', 'context', 'ludnosc_produkcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku produkcyjnym. ludnosc_produkcyjna / ludnosc_ogolem × 100.', true),
  ('udzial_ludnosci_poprodukcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku poprodukcyjnym', 'share of post-working age population',
   'ilość', 'context', 'ludnosc_poprodukcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku poprodukcyjnym. ludnosc_poprodukcyjna / ludnosc_ogolem × 100.', true),
  ('wspolczynnik_obciazenia_demograficznego', 'SPO', 'SPO.DEM', 'ludność w wieku nieprodukcyjnym na 100 osób w wieku produkcyjnym',
   'demographic dependency ratio', 'ilość', 'context', 'ludnosc_nieprodukcyjna', 'ludnosc_produkcyjna', 100, 0, NULL,
   'osoby na 100 osób w wieku produkcyjnym', 'lower_is_better', NULL, 'GUS BDL',
   'Współczynnik obciążenia demograficznego. (ludnosc_przedprodukcyjna + ludnosc_poprodukcyjna) / ludnosc_produkcyjna × 100.', true),
  ('zmiana_liczby_ludnosci_od_2010', 'SPO', 'SPO.DEM', 'zmiana liczby ludności od 2010 r.', 'population change since 2010',
   'ilość', 'context', 'ludnosc_ogolem', 'ludnosc_ogolem', 100, -100, 2010, '%', 'higher_is_better', NULL, 'GUS BDL, GUS Tabl. IV',
   'Zmiana liczby ludności względem 31 XII 2010 w %. ludnosc_ogolem(rok) / ludnosc_ogolem(2010) × 100 − 100.', true),
  ('dochody_wlasne_na_mieszkanca', 'FIN', 'FIN.DOW', 'dochody własne na 1 mieszkańca', 'own revenues per capita',
   'ilość', 'context', 'dochody_wlasne', 'ludnosc_ogolem', 1, 0, NULL, 'zł', 'higher_is_better', NULL, 'GUS BDL',
   'Dochody własne budżetu gminy na mieszkańca (31 XII). dochody_wlasne / ludnosc_ogolem.', true),
  ('podatek_od_nieruchomosci_na_mieszkanca', 'POD', 'POD.NIE', 'dochody z podatku od nieruchomości na 1 mieszkańca',
   'property tax revenue per capita', 'ilość', 'monitoring', 'podatek_od_nieruchomosci', 'ludnosc_ogolem', 1, 0, NULL, 'zł',
   'neutral', NULL, 'GUS BDL', 'podatek_od_nieruchomosci / ludnosc_ogolem.', true),
  ('udzial_podatku_od_nieruchomosci_w_dochodach_wlasnych', 'POD', 'POD.NIE', 'udział podatku od nieruchomości w dochodach własnych',
   'share of property tax in own revenues', 'ilość', 'monitoring', 'podatek_od_nieruchomosci', 'dochody_wlasne', 100, 0, NULL, '%',
   'neutral', NULL, 'GUS BDL', 'podatek_od_nieruchomosci / dochody_wlasne × 100.', true),
  ('podatek_rolny_na_mieszkanca', 'POD', 'POD.ROL', 'dochody z podatku rolnego na 1 mieszkańca',
   'agricultural tax revenue per capita', 'ilość', 'monitoring', 'podatek_rolny', 'ludnosc_ogolem', 1, 0, NULL, 'zł',
   'neutral', NULL, 'GUS BDL', 'podatek_rolny / ludnosc_ogolem.', true),
  ('dochody_z_majatku_na_mieszkanca', 'NIE', 'NIE.MIE', 'dochody z majątku na 1 mieszkańca', 'property income per capita',
   'efektywność kosztowa', 'monitoring', 'dochody_z_majatku', 'ludnosc_ogolem', 1, 0, NULL, 'zł', 'higher_is_better', NULL, 'GUS BDL',
   'Dochody z majątku gminy (sprzedaż, najem, dzierżawa) na mieszkańca. dochody_z_majatku / ludnosc_ogolem.', true),
  ('urodzenia_zywe_na_1000', 'SPO', 'SPO.DEM', 'urodzenia żywe na 1000 ludności', 'live births per 1000 population',
   'ilość', 'context', 'urodzenia_zywe', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', 'poisson', 'GUS Tabl. IV',
   'urodzenia_zywe / ludnosc_ogolem (31 XII) × 1000. GUS publishes the rate on the mid-year population, so it differs slightly.', true),
  ('zgony_na_1000', 'SPO', 'SPO.DEM', 'zgony na 1000 ludności', 'deaths per 1000 population',
   'ilość', 'context', 'zgony', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'lower_is_better', 'poisson', 'GUS Tabl. IV',
   'zgony / ludnosc_ogolem (31 XII) × 1000.', true),
  ('przyrost_naturalny_na_1000', 'SPO', 'SPO.DEM', 'przyrost naturalny na 1000 ludności', 'natural increase per 1000 population',
   'ilość', 'context', 'przyrost_naturalny', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', NULL, 'GUS Tabl. IV',
   'przyrost_naturalny / ludnosc_ogolem (31 XII) × 1000 (can be negative: no Poisson interval).', true),
  ('saldo_migracji_na_1000', 'SPO', 'SPO.DEM', 'saldo migracji na 1000 ludności', 'net migration per 1000 population',
   'ilość', 'context', 'saldo_migracji', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', NULL, 'GUS Tabl. IV',
   'saldo_migracji / ludnosc_ogolem (31 XII) × 1000.', true),
  ('interwencje_psp_na_10_tys', 'SPO', 'SPO.RAT', 'zdarzenia (interwencje PSP) na 10 tys. ludności', 'fire service interventions per 10,000 population',
   'ilość', 'context', 'psp_zdarzenia', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_zdarzenia / ludnosc_ogolem × 10000. Years without a population figure (2023) have no value.', true),
  ('pozary_na_10_tys', 'SPO', 'SPO.RAT', 'pożary na 10 tys. ludności', 'fires per 10,000 population',
   'ilość', 'context', 'psp_pozary', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_pozary / ludnosc_ogolem × 10000.', true),
  ('miejscowe_zagrozenia_na_10_tys', 'SPO', 'SPO.RAT', 'miejscowe zagrożenia na 10 tys. ludności', 'local hazards per 10,000 population',
   'ilość', 'context', 'psp_miejscowe_zagrozenia', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_miejscowe_zagrozenia / ludnosc_ogolem × 10000.', true),
  ('udzial_alarmow_falszywych', 'SPO', 'SPO.RAT', 'udział alarmów fałszywych w zdarzeniach', 'share of false alarms among interventions',
   'jakość', 'context', 'psp_alarmy_falszywe', 'psp_zdarzenia', 100, 0, NULL, '%', 'lower_is_better', 'wilson', 'KG PSP',
   'psp_alarmy_falszywe / psp_zdarzenia × 100.', true);

-- The indicators of people, area and events read the same at every level once their variables
-- are summed up the register. Those of the gminy's budgets stay at gmina level: a powiat and a
-- województwo have budgets of their own, which the sum of their gminy's would be mistaken for.
UPDATE @extschema@.indicator SET levels = ARRAY['gmina', 'powiat', 'wojewodztwo', 'kraj']
 WHERE builtin AND area IN ('GEO', 'SPO');
-- The area is observed until 2019 (BDL) and in 2025 (GUGiK): a density reads the nearest year's.
UPDATE @extschema@.indicator SET denominator_nearest_year = true WHERE code = 'gestosc_zaludnienia';

-- A shipped row the user edits becomes the user's (builtin = false), so pg_dump keeps the edit;
-- restoring it finds the shipped row CREATE EXTENSION just inserted and updates that instead.
CREATE FUNCTION @extschema@._catalogue_row_edit() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cols text;
    updated bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.builtin AND NEW.builtin AND to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW) THEN
            NEW.builtin := false;
        END IF;
        RETURN NEW;
    END IF;
    IF NOT NEW.builtin THEN
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('UPDATE %1$s t SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::%1$s, $1)) '
                       'WHERE t.code = $2 AND t.builtin', TG_RELID::regclass, cols)
          USING to_jsonb(NEW), NEW.code;
        GET DIAGNOSTICS updated = ROW_COUNT;  -- (EXECUTE leaves FOUND alone)
        IF updated > 0 THEN
            RETURN NULL;  -- the shipped row now holds the user's edit
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@._catalogue_row_edit() IS
  'Internal: an edited shipped catalogue row becomes the user''s (builtin = false, dumped by pg_dump); inserting a user''s row over a shipped one of the same code (a restore) updates it.';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.area', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.variable', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.indicator', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jst', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jst_teryt', '');

-- ==== sql/install/50-observations.sql ====
-- Observations of variables for units and years, and the loaders of official files.
-- Status keeps GUS's own distinctions: 'value' (a number), '-' (phenomenon did not occur: a
-- true zero), '.' (data not available), 'x' (not applicable), '#' (confidential).

CREATE TABLE @extschema@.observation (
    jst_id   text NOT NULL REFERENCES @extschema@.jst (id),
    variable text NOT NULL REFERENCES @extschema@.variable (code) ON UPDATE CASCADE,
    year     int  NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    value    float8,
    status   text NOT NULL CHECK (status IN ('value', '-', '.', 'x', '#')),
    source   text NOT NULL,
    PRIMARY KEY (jst_id, variable, year),
    CHECK (CASE status WHEN 'value' THEN value IS NOT NULL AND value = value AND value NOT IN ('Infinity', '-Infinity')
                       WHEN '-' THEN value = 0 ELSE value IS NULL END)
);
CREATE INDEX observation_variable_year_idx ON @extschema@.observation (variable, year);
COMMENT ON TABLE @extschema@.observation IS 'Obserwacje / observed values of variables per unit and year, with GUS status symbols.';
COMMENT ON COLUMN @extschema@.observation.jst_id IS 'Unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@.observation.variable IS 'Variable (smup.variable.code).';
COMMENT ON COLUMN @extschema@.observation.year IS 'Reference year (state on 31 XII or the whole year, as the variable says).';
COMMENT ON COLUMN @extschema@.observation.value IS 'The value; 0 when status is "-", NULL when it is ".", "x" or "#".';
COMMENT ON COLUMN @extschema@.observation.status IS 'value = a number; "-" phenomenon did not occur (true zero); "." data not available; "x" not applicable; "#" confidential.';
COMMENT ON COLUMN @extschema@.observation.source IS 'The file it was loaded from.';

CREATE TABLE @extschema@.load_log (
    load_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file         text NOT NULL,
    loader       text NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    outcome      text NOT NULL CHECK (outcome IN ('loaded', 'rejected')),
    observations bigint NOT NULL,
    rejected     bigint NOT NULL,
    skipped      bigint NOT NULL,
    note         text
);
COMMENT ON TABLE @extschema@.load_log IS 'Dziennik wczytań / one row per file a loader processed: outcome, counts, notes.';
COMMENT ON COLUMN @extschema@.load_log.load_id IS 'Load identifier (smup.load_reject.load_id).';
COMMENT ON COLUMN @extschema@.load_log.file IS 'File name given to the loader.';
COMMENT ON COLUMN @extschema@.load_log.loader IS 'Loader function.';
COMMENT ON COLUMN @extschema@.load_log.loaded_at IS 'When.';
COMMENT ON COLUMN @extschema@.load_log.outcome IS 'loaded, or rejected (more rejected lines than max_rejects: nothing was loaded).';
COMMENT ON COLUMN @extschema@.load_log.observations IS 'Observations inserted or updated.';
COMMENT ON COLUMN @extschema@.load_log.rejected IS 'Lines rejected (see smup.load_reject).';
COMMENT ON COLUMN @extschema@.load_log.skipped IS 'Lines deliberately skipped (parts of gminy: RODZ 4, 5, 8, 9).';
COMMENT ON COLUMN @extschema@.load_log.note IS 'Columns that map to no variable, and other remarks.';

CREATE TABLE @extschema@.load_reject (
    reject_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id bigint NOT NULL REFERENCES @extschema@.load_log (load_id) ON DELETE CASCADE,
    file    text NOT NULL,
    line    int,
    reason  text NOT NULL,
    raw     text
);
CREATE INDEX load_reject_load_idx ON @extschema@.load_reject (load_id);
COMMENT ON TABLE @extschema@.load_reject IS 'Odrzucone wiersze / every line a loader rejected, with the reason.';
COMMENT ON COLUMN @extschema@.load_reject.reject_id IS 'Row identifier.';
COMMENT ON COLUMN @extschema@.load_reject.load_id IS 'The load (smup.load_log).';
COMMENT ON COLUMN @extschema@.load_reject.file IS 'File name.';
COMMENT ON COLUMN @extschema@.load_reject.line IS 'Line number in the file (1 = header).';
COMMENT ON COLUMN @extschema@.load_reject.reason IS 'Why it was rejected.';
COMMENT ON COLUMN @extschema@.load_reject.raw IS 'The line''s fields as read.';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.observation', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.load_log', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.load_reject', '');
-- their identity sequences too, or the first load after a restore reuses load_id 1
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.load_log', 'load_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('@extschema@.load_reject', 'reject_id')::regclass, '');

CREATE TYPE @extschema@.load_report AS (
    load_id      bigint,
    file         text,
    outcome      text,
    observations bigint,
    rejected     bigint,
    skipped      bigint,
    note         text
);
COMMENT ON TYPE @extschema@.load_report IS 'What a loader did with one file (the row it wrote to smup.load_log).';

-- Resolves a source's unit code to a register id, or says why not (loaders collect the reason).
CREATE FUNCTION @extschema@._resolve_code(code text, width int, OUT id text, OUT rodz int, OUT reason text)
-- STABLE: reads smup.jst; PARALLEL UNSAFE: its EXCEPTION block starts a subtransaction
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parsed @extschema@.teryt_code;
    c text := btrim(coalesce(code, ''));
BEGIN
    -- BDL writes powiaty as WWPP000 and województwa as WW00000 in its 7-character code column.
    IF width = 7 AND c ~ '^[0-9]{6,7}$' AND lpad(c, 7, '0') ~ '000$' THEN
        c := lpad(c, 7, '0');
        c := CASE WHEN c ~ '00000$' THEN left(c, 2) ELSE left(c, 4) END;
        width := NULL;
    END IF;
    BEGIN
        parsed := @extschema@.teryt_parse(c, width);
    EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
        reason := SQLERRM;
        RETURN;
    END;
    rodz := parsed.rodz;
    IF parsed.rodz IN (4, 5, 8, 9) THEN
        RETURN;  -- a part of a gmina (town/rural part, dzielnica, delegatura): skipped, not an error
    END IF;
    SELECT j.id INTO id FROM @extschema@.jst j WHERE j.id = parsed.id;
    IF id IS NULL THEN
        reason := format('unit %s (code %s) is not in the register', parsed.id, code);
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@._resolve_code(text, int) IS 'Internal: a source code → register id, RODZ, or the reason it cannot be resolved (loaders).';

-- Parses a cell of a statistical table: a number (decimal comma or point) or a GUS symbol.
CREATE FUNCTION @extschema@._cell(cell text, OUT value float8, OUT status text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN c ~ '^-?[0-9]+([.,][0-9]+)?([eE][-+]?[0-9]+)?$' THEN replace(c, ',', '.')::float8
                WHEN c = '-' THEN 0 END,
           CASE WHEN c ~ '^-?[0-9]+([.,][0-9]+)?([eE][-+]?[0-9]+)?$' THEN 'value'
                WHEN c IN ('-', '.', 'x', '#') THEN c
                WHEN c = '' THEN '.' END
      FROM btrim(cell) AS c;
END;
COMMENT ON FUNCTION @extschema@._cell(text) IS 'Internal: a table cell → (value, status); status NULL means the cell is not a number nor a GUS symbol (loaders reject the line). An empty cell is "." (not available).';

-- Shared end of every loader: the staging tables _obs and _rej (created by the loader) become
-- observations, or, when more lines were rejected than allowed, nothing but the report.
CREATE FUNCTION @extschema@._finish_load(p_file text, p_loader text, p_max_rejects int, p_skipped bigint, p_note text)
RETURNS @extschema@.load_report
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rep @extschema@.load_report;
    n_obs bigint := 0;
BEGIN
    -- Two lines giving one unit, variable and year: a number wins over an empty cell (a gmina
    -- listed under its old and new 7-digit code with complementary empty years); two different
    -- numbers are a conflict and both lines are rejected.
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT o.line, format('conflicting values for unit %s, %s, %s: %s', o.jst_id, o.variable, o.year, c.seen), NULL
      FROM pg_temp._obs o
      JOIN (SELECT jst_id, variable, year, string_agg(DISTINCT coalesce(value::text, status), ' vs ') AS seen
              FROM pg_temp._obs WHERE status <> '.'
             GROUP BY jst_id, variable, year
            HAVING count(DISTINCT (value, status)) > 1) c USING (jst_id, variable, year);
    DELETE FROM pg_temp._obs o USING pg_temp._rej r WHERE r.line = o.line;

    rep.file := p_file;
    rep.rejected := (SELECT count(DISTINCT line) FROM pg_temp._rej);
    rep.skipped := p_skipped;
    rep.note := p_note;
    rep.outcome := CASE WHEN rep.rejected > p_max_rejects THEN 'rejected' ELSE 'loaded' END;

    IF rep.outcome = 'loaded' THEN
        INSERT INTO @extschema@.observation AS t (jst_id, variable, year, value, status, source)
        SELECT DISTINCT ON (jst_id, variable, year) jst_id, variable, year, value, status, p_file
          FROM pg_temp._obs
         ORDER BY jst_id, variable, year, (status = '.'), line
        ON CONFLICT (jst_id, variable, year) DO UPDATE
           SET value = excluded.value, status = excluded.status, source = excluded.source
         WHERE (t.value, t.status, t.source) IS DISTINCT FROM (excluded.value, excluded.status, excluded.source);
        GET DIAGNOSTICS n_obs = ROW_COUNT;
    END IF;
    rep.observations := n_obs;

    INSERT INTO @extschema@.load_log (file, loader, outcome, observations, rejected, skipped, note)
    VALUES (p_file, p_loader, rep.outcome, rep.observations, rep.rejected, rep.skipped, rep.note)
    RETURNING load_id INTO rep.load_id;
    INSERT INTO @extschema@.load_reject (load_id, file, line, reason, raw)
    SELECT rep.load_id, p_file, line, reason, raw FROM pg_temp._rej ORDER BY line;

    IF rep.outcome = 'rejected' THEN
        RAISE WARNING 'file %: % lines rejected (max_rejects %), nothing loaded; see smup.load_reject where load_id = %',
              p_file, rep.rejected, p_max_rejects, rep.load_id;
    ELSIF rep.rejected > 0 THEN
        RAISE NOTICE 'file %: % lines rejected and not loaded; see smup.load_reject where load_id = %',
              p_file, rep.rejected, rep.load_id;
    END IF;
    DROP TABLE pg_temp._obs, pg_temp._rej;
    RETURN rep;
END;
$$;
COMMENT ON FUNCTION @extschema@._finish_load(text, text, int, bigint, text) IS 'Internal: merges and stores what a loader staged, records rejects and the load (loaders).';

CREATE FUNCTION @extschema@._start_load() RETURNS void
LANGUAGE plpgsql VOLATILE
SET client_min_messages = warning
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp._obs, pg_temp._rej;
    CREATE TEMP TABLE pg_temp._obs (line int, jst_id text, variable text, year int, value float8, status text);
    CREATE TEMP TABLE pg_temp._rej (line int, reason text, raw text);
END;
$$;
COMMENT ON FUNCTION @extschema@._start_load() IS 'Internal: creates the staging tables of a load (loaders).';

CREATE FUNCTION @extschema@.load_bdl(file text, content text, year int DEFAULT NULL, mapping jsonb DEFAULT NULL,
                                     max_rejects int DEFAULT 0)
RETURNS @extschema@.load_report
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    hdr text[];
    col record;
    n_fields int;
    skipped bigint;
    unmapped text;
BEGIN
    IF max_rejects IS NULL OR max_rejects < 0 THEN
        RAISE EXCEPTION 'max_rejects must be 0 or more, not %', max_rejects USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM @extschema@._start_load();
    CREATE TEMP TABLE pg_temp._rows ON COMMIT DROP AS SELECT * FROM @extschema@.csv_parse(content, ';');
    SELECT r.fields INTO hdr FROM pg_temp._rows r WHERE r.line = 1;
    IF hdr IS NULL OR cardinality(hdr) < 3 OR lower(hdr[1]) <> 'kod' OR lower(hdr[2]) <> 'nazwa' THEN
        RAISE EXCEPTION 'file %, line 1: a BDL CTAB header starts with Kod;Nazwa and has data columns, found "%"',
              file, left(array_to_string(hdr, ';'), 200) USING ERRCODE = 'invalid_text_representation';
    END IF;
    -- A trailing ';' ends every BDL line: an empty last header cell is not a column.
    n_fields := cardinality(hdr);
    IF hdr[n_fields] = '' THEN n_fields := n_fields - 1; END IF;

    -- Columns: "dimension;dimension;YEAR;[unit]" → (variable, year).
    CREATE TEMP TABLE pg_temp._cols ON COMMIT DROP AS
    SELECT c.n::int + 2 AS col, c.cell, d.dimension, d.col_year,
           coalesce(mapping ->> d.dimension, mapping ->> '*',
                    (SELECT v.code FROM @extschema@.variable v WHERE v.bdl_dimension = d.dimension)) AS variable
      FROM unnest(hdr[3:n_fields]) WITH ORDINALITY AS c(cell, n)
      CROSS JOIN LATERAL (
          SELECT CASE WHEN c.cell ~* '^rok_[0-9]{4}$' THEN ''
                      ELSE regexp_replace(regexp_replace(c.cell, ';\[[^;]*\]$', ''), '(^|;)[0-9]{4}$', '') END AS dimension,
                 coalesce(substring(c.cell FROM '(?:^|;|rok_)([0-9]{4})(?:;\[[^;]*\])?$')::int, year) AS col_year
      ) d;

    SELECT c.col, c.cell INTO col FROM pg_temp._cols c WHERE c.col_year IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file %, line 1: column % ("%") has no year; pass year => ...', file, col.col, col.cell
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.variable INTO col FROM pg_temp._cols c WHERE c.variable IS NOT NULL
       AND NOT EXISTS (SELECT FROM @extschema@.variable v WHERE v.code = c.variable) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file %: mapping names variable "%", which is not in smup.variable', file, col.variable
              USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT string_agg(DISTINCT format('"%s"', c.dimension), ', ') INTO unmapped FROM pg_temp._cols c WHERE c.variable IS NULL;

    -- Lines: field count, code, cells.
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT r.line, format('expected %s fields, found %s', cardinality(hdr), cardinality(r.fields)), array_to_string(r.fields, ';')
      FROM pg_temp._rows r WHERE r.line > 1 AND cardinality(r.fields) NOT IN (cardinality(hdr), n_fields);

    CREATE TEMP TABLE pg_temp._units ON COMMIT DROP AS
    SELECT r.line, r.fields, rc.id, rc.rodz, rc.reason
      FROM pg_temp._rows r CROSS JOIN LATERAL @extschema@._resolve_code(r.fields[1], 7) rc
     WHERE r.line > 1 AND cardinality(r.fields) IN (cardinality(hdr), n_fields);
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT u.line, u.reason, array_to_string(u.fields, ';') FROM pg_temp._units u WHERE u.reason IS NOT NULL;
    SELECT count(*) INTO skipped FROM pg_temp._units u WHERE u.id IS NULL AND u.reason IS NULL;

    CREATE TEMP TABLE pg_temp._cells ON COMMIT DROP AS
    SELECT u.line, u.id, c.variable, c.col_year, c.col, u.fields[c.col] AS cell, x.value, x.status
      FROM pg_temp._units u JOIN pg_temp._cols c ON c.variable IS NOT NULL
      CROSS JOIN LATERAL @extschema@._cell(u.fields[c.col]) x
     WHERE u.id IS NOT NULL;
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT DISTINCT ON (c.line) c.line, format('column %s: "%s" is neither a number nor a GUS symbol (- . x #)', c.col, c.cell), NULL
      FROM pg_temp._cells c WHERE c.status IS NULL ORDER BY c.line, c.col;
    INSERT INTO pg_temp._obs (line, jst_id, variable, year, value, status)
    SELECT c.line, c.id, c.variable, c.col_year, c.value, c.status
      FROM pg_temp._cells c WHERE NOT EXISTS (SELECT FROM pg_temp._rej r WHERE r.line = c.line);

    DROP TABLE pg_temp._rows, pg_temp._cols, pg_temp._units, pg_temp._cells;
    RETURN @extschema@._finish_load(file, 'load_bdl', max_rejects, skipped,
                        CASE WHEN unmapped IS NOT NULL THEN 'columns mapped to no variable, not loaded: ' || unmapped END);
END;
$$;
COMMENT ON FUNCTION @extschema@.load_bdl(text, text, int, jsonb, int) IS
  'Loads a GUS BDL CTAB CSV export (";"-separated, decimal comma, header cells "dimension;...;YEAR;[unit]") passed as text into smup.observation. Columns map to variables through mapping (jsonb {"dimension": "variable", "*": "default"}) or smup.variable.bdl_dimension; year is for exports whose header has none. Codes (7 digits, a dropped leading zero restored, BDL powiat/województwo forms) resolve to the 6-digit unit whatever the RODZ digit; the two rows of a gmina whose RODZ changed are merged; parts of gminy are skipped. Rejected lines go to smup.load_reject; with more than max_rejects (default 0) nothing is loaded. Returns the load report.';

CREATE FUNCTION @extschema@.load_table(file text, content text, code_column text, columns jsonb,
                                       code_width int DEFAULT NULL, delimiter text DEFAULT ',',
                                       name_column text DEFAULT NULL, max_rejects int DEFAULT 0)
RETURNS @extschema@.load_report
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    hdr text[];
    code_pos int;
    name_pos int;
    bad text;
    skipped bigint;
BEGIN
    IF max_rejects IS NULL OR max_rejects < 0 THEN
        RAISE EXCEPTION 'max_rejects must be 0 or more, not %', max_rejects USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(columns) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'columns must be a jsonb object {"column": {"variable": "...", "year": 2024}}' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM @extschema@._start_load();
    CREATE TEMP TABLE pg_temp._rows ON COMMIT DROP AS SELECT * FROM @extschema@.csv_parse(content, delimiter);
    SELECT r.fields INTO hdr FROM pg_temp._rows r WHERE r.line = 1;
    code_pos := array_position(hdr, code_column);
    name_pos := array_position(hdr, name_column);
    IF code_pos IS NULL THEN
        RAISE EXCEPTION 'file %, line 1: no column "%" in the header', file, code_column USING ERRCODE = 'invalid_text_representation';
    END IF;
    IF name_column IS NOT NULL AND name_pos IS NULL THEN
        RAISE EXCEPTION 'file %, line 1: no column "%" in the header', file, name_column USING ERRCODE = 'invalid_text_representation';
    END IF;

    CREATE TEMP TABLE pg_temp._cols ON COMMIT DROP AS
    SELECT array_position(hdr, c.key) AS col, c.key AS name, c.value ->> 'variable' AS variable,
           (c.value ->> 'year')::int AS col_year
      FROM jsonb_each(columns) c;
    SELECT string_agg(format('%s', c.name), ', ') INTO bad FROM pg_temp._cols c WHERE c.col IS NULL;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'file %, line 1: columns not in the header: %', file, bad USING ERRCODE = 'invalid_text_representation';
    END IF;
    SELECT string_agg(format('%s → %s', c.name, coalesce(c.variable, 'no variable')), ', ') INTO bad FROM pg_temp._cols c
     WHERE c.col_year IS NULL OR NOT EXISTS (SELECT FROM @extschema@.variable v WHERE v.code = c.variable);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'file %: each column needs a variable of smup.variable and a year: %', file, bad
              USING ERRCODE = 'invalid_parameter_value';
    END IF;

    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT r.line, format('expected %s fields, found %s', cardinality(hdr), cardinality(r.fields)), array_to_string(r.fields, delimiter)
      FROM pg_temp._rows r WHERE r.line > 1 AND cardinality(r.fields) <> cardinality(hdr);

    CREATE TEMP TABLE pg_temp._units ON COMMIT DROP AS
    SELECT r.line, r.fields, rc.id, rc.rodz,
           coalesce(rc.reason,
                    CASE WHEN name_pos IS NOT NULL AND rc.id IS NOT NULL
                          AND lower(btrim(r.fields[name_pos])) <> lower((SELECT j.name FROM @extschema@.jst j WHERE j.id = rc.id))
                         THEN format('name "%s" does not match the register''s "%s" for unit %s (mis-coded at source?)',
                                     r.fields[name_pos], (SELECT j.name FROM @extschema@.jst j WHERE j.id = rc.id), rc.id) END) AS reason
      FROM pg_temp._rows r CROSS JOIN LATERAL @extschema@._resolve_code(r.fields[code_pos], code_width) rc
     WHERE r.line > 1 AND cardinality(r.fields) = cardinality(hdr);
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT u.line, u.reason, array_to_string(u.fields, delimiter) FROM pg_temp._units u WHERE u.reason IS NOT NULL;
    SELECT count(*) INTO skipped FROM pg_temp._units u WHERE u.id IS NULL AND u.reason IS NULL;
    DELETE FROM pg_temp._units u WHERE u.reason IS NOT NULL OR u.id IS NULL;

    CREATE TEMP TABLE pg_temp._cells ON COMMIT DROP AS
    SELECT u.line, u.id, c.variable, c.col_year, c.name, u.fields[c.col] AS cell, x.value, x.status
      FROM pg_temp._units u CROSS JOIN pg_temp._cols c CROSS JOIN LATERAL @extschema@._cell(u.fields[c.col]) x;
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT DISTINCT ON (c.line) c.line, format('column %s: "%s" is neither a number nor a GUS symbol (- . x #)', c.name, c.cell), NULL
      FROM pg_temp._cells c WHERE c.status IS NULL ORDER BY c.line, c.name;
    -- The same unit on two lines (after the name check) is a duplicate, whatever the values.
    INSERT INTO pg_temp._rej (line, reason, raw)
    SELECT u.line, format('unit %s appears on lines %s', u.id, string_agg(u.line::text, ', ') OVER (PARTITION BY u.id)), NULL
      FROM (SELECT *, count(*) OVER (PARTITION BY id) AS n FROM pg_temp._units) u WHERE u.n > 1;
    INSERT INTO pg_temp._obs (line, jst_id, variable, year, value, status)
    SELECT c.line, c.id, c.variable, c.col_year, c.value, c.status
      FROM pg_temp._cells c WHERE NOT EXISTS (SELECT FROM pg_temp._rej r WHERE r.line = c.line);

    DROP TABLE pg_temp._rows, pg_temp._cols, pg_temp._units, pg_temp._cells;
    RETURN @extschema@._finish_load(file, 'load_table', max_rejects, skipped, NULL);
END;
$$;
COMMENT ON FUNCTION @extschema@.load_table(text, text, text, jsonb, int, text, text, int) IS
  'Loads a flat table of units (one row per unit, one column per variable and year: GUS tables, GUGiK areas, KG PSP statistics) passed as text into smup.observation. code_column holds the TERYT code (code_width digits, or inferred), columns maps each loaded column to {"variable": ..., "year": ...}; name_column, when given, must match the register''s name (a mis-coded row is rejected, not guessed). Units not in the register, duplicated units, wrong field counts and cells that are neither numbers nor GUS symbols are rejected lines (smup.load_reject); with more than max_rejects (default 0) nothing is loaded. Parts of gminy (RODZ 4, 5, 8, 9) are skipped. Returns the load report.';

-- The status of a sum from its parts: the worst part (# > x > .), "." when a part is missing
-- (never a partial sum), "-" only when every part is "-".
CREATE FUNCTION @extschema@._sum_status(complete boolean, confidential boolean, not_applicable boolean,
                                        not_available boolean, all_zero boolean)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN confidential THEN '#'
            WHEN not_applicable THEN 'x'
            WHEN NOT complete OR not_available THEN '.'
            WHEN all_zero THEN '-'
            ELSE 'value' END;
COMMENT ON FUNCTION @extschema@._sum_status(boolean, boolean, boolean, boolean, boolean) IS
  'Internal: the GUS status of a sum (smup.observation_all): # if a part is confidential, else x if one is not applicable, else . if a part is missing or not available, else - if every part is -, else value.';

-- Each unit's observed values plus its derived sums (smup.variable.sum_of) where a unit-year is
-- not observed directly.
CREATE VIEW @extschema@._observation_unit AS
SELECT o.jst_id, o.variable, o.year, o.value, o.status, o.source, false AS derived
  FROM @extschema@.observation o
UNION ALL
SELECT o.jst_id, v.code, o.year,
       CASE WHEN count(DISTINCT o.variable) = cardinality(v.sum_of) AND bool_and(o.status IN ('value', '-'))
            THEN sum(o.value) END,
       @extschema@._sum_status(count(DISTINCT o.variable) = cardinality(v.sum_of), bool_or(o.status = '#'),
                               bool_or(o.status = 'x'), bool_or(o.status = '.'), bool_and(o.status = '-')),
       'sum of ' || array_to_string(v.sum_of, ' + '), true
  FROM @extschema@.variable v
  JOIN @extschema@.observation o ON o.variable = ANY (v.sum_of)
 WHERE v.sum_of IS NOT NULL
   AND NOT EXISTS (SELECT FROM @extschema@.observation d
                    WHERE d.jst_id = o.jst_id AND d.variable = v.code AND d.year = o.year)
 GROUP BY o.jst_id, v.code, v.sum_of, o.year;
COMMENT ON VIEW @extschema@._observation_unit IS 'Internal: observations plus each unit''s own derived sums (smup.variable.sum_of); smup.observation_all adds the sums up the register.';
COMMENT ON COLUMN @extschema@._observation_unit.jst_id IS 'Unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@._observation_unit.variable IS 'Variable (smup.variable.code).';
COMMENT ON COLUMN @extschema@._observation_unit.year IS 'Reference year.';
COMMENT ON COLUMN @extschema@._observation_unit.value IS 'Value (0 for "-", NULL for ".", "x", "#").';
COMMENT ON COLUMN @extschema@._observation_unit.status IS 'GUS status: value, -, ., x, #.';
COMMENT ON COLUMN @extschema@._observation_unit.source IS 'File loaded from, or the sum it is derived as.';
COMMENT ON COLUMN @extschema@._observation_unit.derived IS 'true when computed as a sum of other variables.';

-- ... plus the sums of additive variables up the register: a powiat, województwo or Poland not
-- observed (nor derived) in a year gets the sum of all its gminy, missing when any gmina is.
CREATE VIEW @extschema@.observation_all AS
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
 WHERE NOT EXISTS (SELECT FROM @extschema@._observation_unit d
                    WHERE d.jst_id = a.id AND d.variable = o.variable AND d.year = o.year)
 GROUP BY a.id, a.gminy, o.variable, o.year;
COMMENT ON VIEW @extschema@.observation_all IS 'Observations plus derived values where not observed directly: sums of other variables (smup.variable.sum_of), and for additive variables (smup.variable.additive) the sum of a powiat''s, województwo''s or Poland''s gminy. A sum is missing (".") when any part is; its status is the worst of its parts''.';
COMMENT ON COLUMN @extschema@.observation_all.jst_id IS 'Unit (smup.jst.id).';
COMMENT ON COLUMN @extschema@.observation_all.variable IS 'Variable (smup.variable.code).';
COMMENT ON COLUMN @extschema@.observation_all.year IS 'Reference year.';
COMMENT ON COLUMN @extschema@.observation_all.value IS 'Value (0 for "-", NULL for ".", "x", "#").';
COMMENT ON COLUMN @extschema@.observation_all.status IS 'GUS status: value, -, ., x, #.';
COMMENT ON COLUMN @extschema@.observation_all.source IS 'File loaded from, or the sum it is derived as ("sum of a + b", "sum of the gminy").';
COMMENT ON COLUMN @extschema@.observation_all.derived IS 'true when computed as a sum (of other variables, or of the gminy).';

-- The status of numerator / denominator: missing input → "." ; worst input status wins;
-- a zero denominator → "x" (not applicable); a "-" numerator → "-" (true zero).
CREATE FUNCTION @extschema@.ratio_status(numerator_status text, denominator_status text,
                                         denominator_value float8, has_denominator boolean DEFAULT true)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE
             WHEN numerator_status IS NULL OR (has_denominator AND denominator_status IS NULL) THEN '.'
             -- plain comparisons, not IN (...): this runs once per stored value
             WHEN numerator_status = '#' OR denominator_status = '#' THEN '#'
             WHEN numerator_status = 'x' OR denominator_status = 'x' THEN 'x'
             WHEN numerator_status = '.' OR denominator_status = '.' THEN '.'
             WHEN has_denominator AND denominator_value = 0 THEN 'x'
             WHEN numerator_status = '-' THEN '-'
             ELSE 'value'
           END;
END;
COMMENT ON FUNCTION @extschema@.ratio_status(text, text, float8, boolean) IS
  'Status of an indicator value from the statuses of its inputs: a missing input gives "." (not available), otherwise the worst input status (# confidential > x not applicable > . not available); a zero denominator gives "x"; a "-" numerator (phenomenon did not occur) gives "-" with value 0.';


-- ==== sql/install/55-similarity.sql ====
-- Groups of similar units: each unit's nearest units of its level by weighted Euclidean distance
-- over standardised context indicators (CIPFA's "nearest neighbours", Kolada's similar
-- municipalities). The core computes a whole level at once (one standardisation, then the k
-- nearest of every unit); smup.similar_unit keeps the default peer sets that the 'similar'
-- comparison of smup.benchmark reads (see 60-benchmark.sql).

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

-- The values each unit of a level has in each year, one array per unit in the order of
-- indicators. A year without an observation of an indicator (an election every four years, a
-- population figure not yet published) reads the unit's latest value at or before it; NULL
-- when the unit has none (or only later ones). Units without any value have no row.
CREATE FUNCTION @extschema@._context_values(level text, years int[], indicators text[])
RETURNS TABLE (year int, jst_id text, vals float8[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
WITH observed AS (
    -- each value of the level's units, with the year the unit's next value of it comes (one read
    -- of the values, whatever the number of years asked)
    SELECT s.jst_id, s.indicator, s.year, s.value,
           lead(s.year) OVER (PARTITION BY s.jst_id, s.indicator ORDER BY s.year) AS next_year
      FROM @extschema@.indicator_value_store s
      JOIN @extschema@.jst j ON j.id = s.jst_id AND j.level = _context_values.level
     WHERE s.indicator = ANY (indicators) AND s.status IN ('value', '-')
),
latest AS (
    -- per year, unit and indicator, the value of the latest year at or before it: the one whose
    -- span [year, next_year) holds the year
    SELECT y.year, o.jst_id, o.indicator, o.value
      FROM observed o
      JOIN unnest(years) y (year) ON y.year >= o.year AND (o.next_year IS NULL OR y.year < o.next_year)
),
held AS (
    SELECT l.year, l.jst_id, array_agg(l.indicator) AS codes, array_agg(l.value) AS vals
      FROM latest l GROUP BY l.year, l.jst_id
)
SELECT h.year, h.jst_id,
       ARRAY(SELECT h.vals[array_position(h.codes, i.code)] FROM unnest(indicators) WITH ORDINALITY i (code, ord) ORDER BY i.ord)
  FROM held h
$$;
COMMENT ON FUNCTION @extschema@._context_values(text, int[], text[]) IS
  'Internal: for each year and unit of a level, the values of the indicators (in their order), each the unit''s latest value at or before the year (an election year''s turnout holds until the next election); NULL where it has none; units with no value at all are left out (smup.similar_units).';

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

CREATE TABLE @extschema@.similar_unit (
    jst_id   text   NOT NULL,
    year     int    NOT NULL,
    rank     int    NOT NULL,
    peer_id  text   NOT NULL,
    distance float8 NOT NULL,
    PRIMARY KEY (jst_id, year, rank)
);
COMMENT ON TABLE @extschema@.similar_unit IS
  'Jednostki podobne / each unit''s 15 most similar units of its level per year, over the default context indicators (smup.similar_units with its defaults): the members, with the unit itself, of its similar comparison group. Kept by smup.refresh() (derived: not dumped).';
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

-- Recomputes every level's default peer sets for these years (a level at a time, a year a call).
CREATE FUNCTION @extschema@._store_similar_units(years int[]) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lvl text;
    chosen record;
    n bigint := 0;
    added bigint;
BEGIN
    DELETE FROM @extschema@.similar_unit;
    FOR lvl IN SELECT DISTINCT l FROM @extschema@.indicator i CROSS JOIN unnest(i.levels) l
                WHERE i.similarity_weight IS NOT NULL
                  AND (SELECT count(*) FROM @extschema@.jst j WHERE j.level = l) > @extschema@.similar_k() LOOP
        SELECT * INTO chosen FROM @extschema@._similarity_indicators(lvl, NULL, NULL);
        INSERT INTO @extschema@.similar_unit (jst_id, year, rank, peer_id, distance)
        SELECT p.jst_id, m.year, p.rank, p.peer_id, p.distance
          FROM (SELECT c.year, array_agg(c.jst_id ORDER BY c.jst_id) AS ids, array_agg(c.vals ORDER BY c.jst_id) AS vals
                  FROM @extschema@._context_values(lvl, years, chosen.codes) c GROUP BY c.year) m
         CROSS JOIN LATERAL @extschema@._similar_peers(m.ids, m.vals, chosen.weight, @extschema@.similar_k(), 'z') p;
        GET DIAGNOSTICS added = ROW_COUNT;
        n := n + added;
    END LOOP;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@._store_similar_units(int[]) IS
  'Internal: recomputes smup.similar_unit for these years, every level with default context indicators (smup.refresh()).';

-- The similar comparison groups of these years: one per unit with stored peers (its group is
-- itself and its peers); rows of smup.comparison_group.
CREATE FUNCTION @extschema@._similar_groups(years int[])
RETURNS TABLE (jst_id text, year int, comparison text, group_id text, group_name text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT s.jst_id, s.year, 'similar', 'similar:' || s.jst_id,
       'podobne: ' || j.name || ' i ' || count(*) || CASE j.level WHEN 'gmina' THEN ' gmin o podobnym kontekście'
                                                             ELSE ' jednostek o podobnym kontekście' END
  FROM @extschema@.similar_unit s JOIN @extschema@.jst j ON j.id = s.jst_id
 WHERE s.year = ANY (years)
 GROUP BY s.jst_id, s.year, j.name, j.level
$$;
COMMENT ON FUNCTION @extschema@._similar_groups(int[]) IS
  'Internal: the similar comparison groups (smup.comparison_group rows) of the units with stored similar units in these years (smup.refresh()).';

-- ==== sql/install/60-benchmark.sql ====
-- The SMUP itself: indicator values, comparison groups and the benchmarking views BI tools read.
--
-- What is stored is what is small or costly to recompute, each kept by smup.refresh():
--   indicator_value_store   one row per unit × indicator × year (the value, its status and CI);
--   comparison_group        which groups each unit is compared in, per year;
--   group_distribution      each stored group's sorted values and summary, per indicator and year;
--   unit_trend              each unit's trend of each indicator over its years.
-- A unit's position in a group (rank, percentile) is computed when it is read: two binary
-- searches in the group's distribution. Neighbour and similar groups (one per unit) are not
-- stored at all: the benchmark view gathers the unit's and its neighbours' (or its similar
-- units', smup.similar_unit) values when it is read.
-- Loads and catalogue edits queue what they touch in refresh_queue (triggers), so that
-- smup.refresh() recomputes only the indicators and years that depend on it.

CREATE TABLE @extschema@.indicator_value_store (
    indicator   text   NOT NULL,
    year        int    NOT NULL,
    jst_id      text   NOT NULL,
    value       float8,
    status      text   NOT NULL,
    numerator   float8,
    denominator float8,
    ci_lower    float8,
    ci_upper    float8,
    -- one index: a card reads a unit's year; a map, a group or a refresh probes it unit by unit
    PRIMARY KEY (jst_id, year, indicator)
);
COMMENT ON TABLE @extschema@.indicator_value_store IS
  'Internal: the stored indicator values behind smup.indicator_value and smup.benchmark, kept by smup.refresh() (derived: not dumped, rebuilt by smup.refresh(full => true)).';
COMMENT ON COLUMN @extschema@.indicator_value_store.indicator IS 'Indicator code (smup.indicator.code).';
COMMENT ON COLUMN @extschema@.indicator_value_store.year IS 'Year.';
COMMENT ON COLUMN @extschema@.indicator_value_store.jst_id IS 'Unit id (smup.jst.id).';
COMMENT ON COLUMN @extschema@.indicator_value_store.value IS 'numerator / denominator × multiplier + value_offset; NULL unless status is value or "-".';
COMMENT ON COLUMN @extschema@.indicator_value_store.status IS 'GUS status of the value (smup.ratio_status).';
COMMENT ON COLUMN @extschema@.indicator_value_store.numerator IS 'Numerator input value.';
COMMENT ON COLUMN @extschema@.indicator_value_store.denominator IS 'Denominator input value.';
COMMENT ON COLUMN @extschema@.indicator_value_store.ci_lower IS 'Lower 95 % confidence limit, when the indicator has one.';
COMMENT ON COLUMN @extschema@.indicator_value_store.ci_upper IS 'Upper 95 % confidence limit.';

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

-- Which group each unit is compared in, per year and comparison (kept by smup.refresh()).
CREATE TABLE @extschema@.comparison_group (
    jst_id     text NOT NULL,
    year       int  NOT NULL,
    comparison text NOT NULL CHECK (comparison IN ('poland', 'voivodeship', 'peer', 'similar', 'neighbours', 'custom')),
    group_id   text NOT NULL,
    group_name text NOT NULL,
    PRIMARY KEY (jst_id, year, comparison, group_id)
);
CREATE INDEX comparison_group_group_idx ON @extschema@.comparison_group (group_id, year);
CREATE INDEX comparison_group_year_idx ON @extschema@.comparison_group (year, comparison);  -- a map: one year, one comparison
COMMENT ON TABLE @extschema@.comparison_group IS
  'Grupy porównawcze / for each unit and year, the groups it is compared in: poland (all units of its level), voivodeship (its level within its województwo), peer (same kind × population class: smup.population_class), similar (itself and its 15 most similar units by context: smup.similar_unit), neighbours (itself and its queen-contiguous units), custom (smup.custom_group). Kept by smup.refresh().';
COMMENT ON COLUMN @extschema@.comparison_group.jst_id IS 'Unit compared.';
COMMENT ON COLUMN @extschema@.comparison_group.year IS 'Year (peer groups follow the population and kind of each year).';
COMMENT ON COLUMN @extschema@.comparison_group.comparison IS 'poland, voivodeship, peer, similar, neighbours or custom.';
COMMENT ON COLUMN @extschema@.comparison_group.group_id IS 'Group identifier (stable key).';
COMMENT ON COLUMN @extschema@.comparison_group.group_name IS 'Group name to show.';

-- The comparison groups smup.refresh() would store now: units × the years indicators have.
CREATE FUNCTION @extschema@._comparison_groups(years int[], custom_only boolean DEFAULT false)
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
-- the population of that year, or of the nearest earlier year, or the nearest later one
population AS (
    SELECT DISTINCT ON (u.id, u.year) u.id, u.year, o.value AS population
      FROM units u JOIN @extschema@.observation_all o ON o.jst_id = u.id AND o.variable = 'ludnosc_ogolem' AND o.status = 'value'
     WHERE u.level IN ('gmina', 'powiat')
     ORDER BY u.id, u.year, (o.year > u.year), abs(o.year - u.year)
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
COMMENT ON FUNCTION @extschema@._comparison_groups(int[], boolean) IS
  'Internal: the rows smup.comparison_group should hold for these years, from the register, the population and the custom groups; custom_only: just the custom groups'' rows (smup.refresh()).';

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
 WHERE g.comparison = 'neighbours'
UNION ALL
SELECT g.comparison, g.group_id, g.year, g.jst_id
  FROM @extschema@.comparison_group g WHERE g.comparison = 'similar'
UNION ALL
SELECT g.comparison, g.group_id, g.year, s.peer_id
  FROM @extschema@.comparison_group g
  JOIN @extschema@.similar_unit s ON s.jst_id = g.jst_id AND s.year = g.year
 WHERE g.comparison = 'similar';
COMMENT ON VIEW @extschema@.comparison_member IS 'Members of every comparison group and year.';
COMMENT ON COLUMN @extschema@.comparison_member.comparison IS 'poland, voivodeship, peer, similar, neighbours or custom.';
COMMENT ON COLUMN @extschema@.comparison_member.group_id IS 'Group identifier.';
COMMENT ON COLUMN @extschema@.comparison_member.year IS 'Year.';
COMMENT ON COLUMN @extschema@.comparison_member.member_id IS 'A member unit.';

-- Each stored group's values (poland, voivodeship, peer, custom) per indicator and year, sorted,
-- with the summary every member's row shows.
CREATE TABLE @extschema@.group_distribution (
    indicator    text   NOT NULL,
    year         int    NOT NULL,
    group_id     text   NOT NULL,
    distribution @extschema@.distribution NOT NULL,
    n            bigint NOT NULL,
    min          float8 NOT NULL,
    q1           float8 NOT NULL,
    median       float8 NOT NULL,
    q3           float8 NOT NULL,
    max          float8 NOT NULL,
    mean         float8 NOT NULL,
    sd           float8,
    PRIMARY KEY (indicator, year, group_id)
);
CREATE INDEX group_distribution_group_idx ON @extschema@.group_distribution (group_id, year);
COMMENT ON TABLE @extschema@.group_distribution IS
  'Rozkłady grup / the values of every stored comparison group (poland, voivodeship, peer, custom) per indicator and year as a sorted smup.distribution, with its summary. Kept by smup.refresh(); smup.benchmark reads a unit''s rank and percentile off it.';
COMMENT ON COLUMN @extschema@.group_distribution.indicator IS 'Indicator code.';
COMMENT ON COLUMN @extschema@.group_distribution.year IS 'Year.';
COMMENT ON COLUMN @extschema@.group_distribution.group_id IS 'Comparison group (smup.comparison_group.group_id).';
COMMENT ON COLUMN @extschema@.group_distribution.distribution IS 'The members'' values (status value or "-"), sorted.';
COMMENT ON COLUMN @extschema@.group_distribution.n IS 'Number of members with a value.';
COMMENT ON COLUMN @extschema@.group_distribution.min IS 'Smallest value.';
COMMENT ON COLUMN @extschema@.group_distribution.q1 IS 'First quartile (percentile_cont 0.25).';
COMMENT ON COLUMN @extschema@.group_distribution.median IS 'Median.';
COMMENT ON COLUMN @extschema@.group_distribution.q3 IS 'Third quartile (percentile_cont 0.75).';
COMMENT ON COLUMN @extschema@.group_distribution.max IS 'Largest value.';
COMMENT ON COLUMN @extschema@.group_distribution.mean IS 'Mean.';
COMMENT ON COLUMN @extschema@.group_distribution.sd IS 'Sample standard deviation (NULL for one member).';

CREATE TABLE @extschema@.unit_trend (
    indicator       text   NOT NULL,
    jst_id          text   NOT NULL,
    n               bigint NOT NULL,
    ols_slope       float8,
    theil_sen_slope float8,
    mann_kendall_p  float8,
    PRIMARY KEY (jst_id, indicator)  -- a card reads one unit's; a map probes unit by unit
);
COMMENT ON TABLE @extschema@.unit_trend IS
  'Trendy jednostek / each unit''s trend of each indicator over all its years with a value (smup.trend), kept by smup.refresh().';
COMMENT ON COLUMN @extschema@.unit_trend.indicator IS 'Indicator code.';
COMMENT ON COLUMN @extschema@.unit_trend.jst_id IS 'Unit id.';
COMMENT ON COLUMN @extschema@.unit_trend.n IS 'Years with a value.';
COMMENT ON COLUMN @extschema@.unit_trend.ols_slope IS 'Least-squares slope per year (regr_slope).';
COMMENT ON COLUMN @extschema@.unit_trend.theil_sen_slope IS 'Theil–Sen slope per year (median of pairwise slopes): robust to a single outlying year.';
COMMENT ON COLUMN @extschema@.unit_trend.mann_kendall_p IS 'Two-sided Mann–Kendall p of a monotonic trend.';

-- ---- what changed since the last refresh ------------------------------------------------------

CREATE TABLE @extschema@.refresh_queue (
    entry_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    variable   text,
    year       int,
    indicator  text,
    register   boolean NOT NULL DEFAULT false,
    custom_groups boolean NOT NULL DEFAULT false,
    units      bigint,
    queued_at  timestamptz NOT NULL DEFAULT now(),
    queued_by  text NOT NULL DEFAULT current_user,
    CHECK (num_nonnulls(variable, indicator) + register::int + custom_groups::int = 1)
);
COMMENT ON TABLE @extschema@.refresh_queue IS
  'Do przeliczenia / what loads and catalogue edits changed since the last smup.refresh() (written by triggers): a variable in a year (year NULL: every year), an indicator''s definition, or the register. smup.refresh() consumes it and recomputes only what depends on it.';
COMMENT ON COLUMN @extschema@.refresh_queue.entry_id IS 'Entry identifier.';
COMMENT ON COLUMN @extschema@.refresh_queue.variable IS 'A variable whose observations changed.';
COMMENT ON COLUMN @extschema@.refresh_queue.year IS 'The year they changed in; NULL means every year.';
COMMENT ON COLUMN @extschema@.refresh_queue.indicator IS 'An indicator whose definition changed (every year).';
COMMENT ON COLUMN @extschema@.refresh_queue.register IS 'true when the register (smup.jst, smup.jst_teryt) changed: everything is recomputed.';
COMMENT ON COLUMN @extschema@.refresh_queue.custom_groups IS 'true when the members of custom groups changed: only the custom groups are recomputed.';
COMMENT ON COLUMN @extschema@.refresh_queue.units IS 'How many units'' rows the change touched.';
COMMENT ON COLUMN @extschema@.refresh_queue.queued_at IS 'When.';
COMMENT ON COLUMN @extschema@.refresh_queue.queued_by IS 'Who made the change.';

-- Statement triggers: one queue row per variable and year a statement touched, however many rows.
CREATE FUNCTION @extschema@._queue_observation_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO @extschema@.refresh_queue (variable) SELECT v.code FROM @extschema@.variable v;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO @extschema@.refresh_queue (variable, year, units)
        SELECT r.variable, r.year, count(*) FROM new_rows r GROUP BY r.variable, r.year;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO @extschema@.refresh_queue (variable, year, units)
        SELECT r.variable, r.year, count(*) FROM old_rows r GROUP BY r.variable, r.year;
    ELSE  -- an update touches the rows' old and new keys
        INSERT INTO @extschema@.refresh_queue (variable, year, units)
        SELECT r.variable, r.year, count(DISTINCT r.jst_id)
          FROM (SELECT o.jst_id, o.variable, o.year FROM old_rows o
                UNION ALL SELECT n.jst_id, n.variable, n.year FROM new_rows n) r
         GROUP BY r.variable, r.year;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@._queue_observation_change() IS 'Internal: queues the variables and years a statement on smup.observation touched (smup.refresh_queue).';
CREATE TRIGGER observation_insert_queued AFTER INSERT ON @extschema@.observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_observation_change();
CREATE TRIGGER observation_update_queued AFTER UPDATE ON @extschema@.observation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_observation_change();
CREATE TRIGGER observation_delete_queued AFTER DELETE ON @extschema@.observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_observation_change();
CREATE TRIGGER observation_truncate_queued AFTER TRUNCATE ON @extschema@.observation
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_observation_change();

CREATE FUNCTION @extschema@._queue_catalogue_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME = 'indicator' THEN
        INSERT INTO @extschema@.refresh_queue (indicator)
        SELECT DISTINCT c FROM unnest(ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.code END,
                                            CASE WHEN TG_OP <> 'DELETE' THEN NEW.code END]) c WHERE c IS NOT NULL;
    ELSIF TG_TABLE_NAME = 'variable' THEN
        -- what a variable is the sum of changes the values of every indicator that reads it
        INSERT INTO @extschema@.refresh_queue (variable) VALUES (OLD.code);
    ELSIF TG_TABLE_NAME = 'custom_group_member' THEN
        INSERT INTO @extschema@.refresh_queue (custom_groups) VALUES (true);
    ELSE
        INSERT INTO @extschema@.refresh_queue (register) VALUES (true);
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@._queue_catalogue_change() IS 'Internal: queues an edited indicator, a variable whose sum_of changed, a change of custom group members, or a register change (smup.refresh_queue).';
CREATE TRIGGER indicator_queued AFTER INSERT OR UPDATE OR DELETE ON @extschema@.indicator
    FOR EACH ROW EXECUTE FUNCTION @extschema@._queue_catalogue_change();
CREATE TRIGGER variable_sum_of_queued AFTER UPDATE OF sum_of ON @extschema@.variable
    FOR EACH ROW WHEN (OLD.sum_of IS DISTINCT FROM NEW.sum_of) EXECUTE FUNCTION @extschema@._queue_catalogue_change();
CREATE TRIGGER custom_group_member_queued AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.custom_group_member
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_catalogue_change();
CREATE TRIGGER jst_queued AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.jst
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_catalogue_change();
CREATE TRIGGER jst_teryt_queued AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.jst_teryt
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._queue_catalogue_change();

-- ---- what BI tools read ---------------------------------------------------------------------------

CREATE VIEW @extschema@.indicator_value AS
SELECT s.jst_id, j.name AS jst_name, j.kind, j.level, s.indicator, i.name_pl AS indicator_name, i.area, s.year,
       s.value, s.status, s.numerator, s.denominator, s.ci_lower, s.ci_upper,
       l.display_name AS jst_display_name, l.powiat_id, l.powiat_name, l.wojewodztwo_id, l.wojewodztwo_name
  FROM @extschema@.indicator_value_store s
  JOIN @extschema@.jst j ON j.id = s.jst_id
  JOIN @extschema@.jst_label l ON l.id = s.jst_id
  JOIN @extschema@.indicator i ON i.code = s.indicator;
COMMENT ON VIEW @extschema@.indicator_value IS
  'Wartości wskaźników / every indicator for every unit of its levels and every year its numerator is observed: value = numerator / denominator × multiplier + value_offset, with GUS status and confidence interval. Kept by smup.refresh().';
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
COMMENT ON COLUMN @extschema@.indicator_value.jst_display_name IS 'Unit name with its kind, telling namesakes apart: "Braniewo (gmina miejska)", "powiat braniewski" (smup.jst_label).';
COMMENT ON COLUMN @extschema@.indicator_value.powiat_id IS 'The unit''s powiat (a powiat: itself; NULL above).';
COMMENT ON COLUMN @extschema@.indicator_value.powiat_name IS 'Display name of the powiat.';
COMMENT ON COLUMN @extschema@.indicator_value.wojewodztwo_id IS 'The unit''s województwo (NULL for Poland).';
COMMENT ON COLUMN @extschema@.indicator_value.wojewodztwo_name IS 'Display name of the województwo, to filter by name.';

-- Every unit × indicator × year × comparison group. Three branches, so that a filter on comparison
-- drops the others: stored groups read their distribution; a neighbours group gathers the values
-- of the unit and its queen neighbours, a similar group those of the unit and its similar units
-- (smup.similar_unit), for just the rows asked for.
CREATE VIEW @extschema@.benchmark AS
SELECT b.jst_id, j.name AS jst_name, j.kind, j.level, b.indicator, i.name_pl AS indicator_name, i.area, i.polarity, i.unit,
       b.year, b.value, b.status, b.comparison, b.group_id, b.group_name,
       b.n AS group_n, (pos.p).rank, (pos.p).percentile,
       b.min AS group_min, b.q1 AS group_q1, b.median AS group_median, b.q3 AS group_q3, b.max AS group_max,
       b.mean AS group_mean,
       CASE WHEN b.sd > 0 THEN (b.value - b.mean) / b.sd END AS z_score,
       b.value - p.value AS change_prev_year,
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
                             SELECT s.jst_id, s.year, s.peer_id FROM @extschema@.similar_unit s) c
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
  LEFT JOIN @extschema@.indicator_value_store p ON p.indicator = b.indicator AND p.year = b.year - 1 AND p.jst_id = b.jst_id
  LEFT JOIN @extschema@.unit_trend t ON t.indicator = b.indicator AND t.jst_id = b.jst_id;
COMMENT ON VIEW @extschema@.benchmark IS
  'Benchmarking / one row per unit × indicator × year × comparison group: the unit''s position (rank, mid-rank percentile), the group''s distribution (min, quartiles, max, mean), z-score, change since the previous year, the unit''s trend (least squares, Theil–Sen, Mann–Kendall p) and the value''s confidence interval. Positions are computed when read from the distributions smup.refresh() keeps; filter on jst_id, or on indicator and year, to read a card or a map.';
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
COMMENT ON COLUMN @extschema@.benchmark.comparison IS 'poland, voivodeship, peer, similar, neighbours or custom.';
COMMENT ON COLUMN @extschema@.benchmark.group_id IS 'Comparison group identifier.';
COMMENT ON COLUMN @extschema@.benchmark.group_name IS 'Comparison group name.';
COMMENT ON COLUMN @extschema@.benchmark.group_n IS 'Number of group members with a value that year.';
COMMENT ON COLUMN @extschema@.benchmark.rank IS 'Position in the group, 1 = best by polarity (neutral: 1 = highest value): 1 + the number of strictly better members, so ties share the best rank.';
COMMENT ON COLUMN @extschema@.benchmark.percentile IS 'Mid-rank percentile in the group, 100 = best by polarity (neutral: the highest value gets 100): 100 × (worse + ½ × (tied − 1)) / (n − 1), so tied members share the mean of the positions they span; without ties 100 × percent_rank(). An all-equal group gives 50; a group of one gives NULL.';
COMMENT ON COLUMN @extschema@.benchmark.group_min IS 'Smallest value in the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_q1 IS 'First quartile of the group (percentile_cont 0.25).';
COMMENT ON COLUMN @extschema@.benchmark.group_median IS 'Median of the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_q3 IS 'Third quartile of the group (percentile_cont 0.75).';
COMMENT ON COLUMN @extschema@.benchmark.group_max IS 'Largest value in the group.';
COMMENT ON COLUMN @extschema@.benchmark.group_mean IS 'Mean of the group.';
COMMENT ON COLUMN @extschema@.benchmark.z_score IS '(value − group mean) / group sample standard deviation.';
COMMENT ON COLUMN @extschema@.benchmark.change_prev_year IS 'value − the unit''s value in the previous year (NULL when that year has no value).';
COMMENT ON COLUMN @extschema@.benchmark.trend_slope IS 'The unit''s least-squares (OLS) trend of the indicator over all its years, per year.';
COMMENT ON COLUMN @extschema@.benchmark.trend_theil_sen IS 'The unit''s Theil–Sen trend per year (median of pairwise slopes): not swayed by one outlying year, unlike trend_slope.';
COMMENT ON COLUMN @extschema@.benchmark.trend_mann_kendall_p IS 'Two-sided Mann–Kendall p of a monotonic trend over the unit''s years (small: a trend the data support).';
COMMENT ON COLUMN @extschema@.benchmark.ci_lower IS 'Lower 95 % confidence limit of the value (exact Poisson for rates, Wilson for proportions); NULL when the indicator has none.';
COMMENT ON COLUMN @extschema@.benchmark.ci_upper IS 'Upper 95 % confidence limit of the value.';
COMMENT ON COLUMN @extschema@.benchmark.jst_display_name IS 'Unit name with its kind, telling namesakes apart: "Braniewo (gmina miejska)", "powiat braniewski" (smup.jst_label).';
COMMENT ON COLUMN @extschema@.benchmark.powiat_id IS 'The unit''s powiat (a powiat: itself; NULL above).';
COMMENT ON COLUMN @extschema@.benchmark.powiat_name IS 'Display name of the powiat.';
COMMENT ON COLUMN @extschema@.benchmark.wojewodztwo_id IS 'The unit''s województwo (NULL for Poland).';
COMMENT ON COLUMN @extschema@.benchmark.wojewodztwo_name IS 'Display name of the województwo, to filter by name.';
COMMENT ON COLUMN @extschema@.benchmark.direction IS 'What rank 1 and percentile 100 mean: best (by the indicator''s polarity) or highest (a neutral indicator: the highest value, no judgement).';

CREATE FUNCTION @extschema@.profile(jst_id text, year int DEFAULT NULL)
RETURNS TABLE (area text, indicator text, indicator_name text, unit text, polarity text, value float8, status text,
               ci_lower float8, ci_upper float8,
               percentile_poland float8, percentile_voivodeship float8, percentile_peer float8,
               percentile_neighbours float8, percentile_custom text, peer_group text,
               change_prev_year float8, trend_slope float8, percentile_similar float8, value_year int, direction text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0  -- a card reads a few hundred rows: starting workers costs more
-- planned for the unit and year asked: a generic plan reads a card about 20 % slower
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    unit_id text;
    unit_label text;
    unit_level text;
    years int[];
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
    -- the year asked, or each indicator's latest year for the unit
    years := CASE WHEN profile.year IS NOT NULL THEN ARRAY[profile.year]
                  ELSE ARRAY(SELECT DISTINCT max(v.year) FROM @extschema@.indicator_value v
                              WHERE v.jst_id = unit_id GROUP BY v.indicator) END;
    RETURN QUERY
    SELECT b.area, b.indicator, b.indicator_name, b.unit, b.polarity, b.value, b.status, b.ci_lower, b.ci_upper,
           max(b.percentile) FILTER (WHERE b.comparison = 'poland'),
           max(b.percentile) FILTER (WHERE b.comparison = 'voivodeship'),
           max(b.percentile) FILTER (WHERE b.comparison = 'peer'),
           max(b.percentile) FILTER (WHERE b.comparison = 'neighbours'),
           string_agg(b.group_name || ': ' || coalesce(round(b.percentile::numeric, 1)::text, '–'), '; ' ORDER BY b.group_name)
             FILTER (WHERE b.comparison = 'custom'),
           max(b.group_name) FILTER (WHERE b.comparison = 'peer'),
           max(b.change_prev_year), max(b.trend_slope),
           max(b.percentile) FILTER (WHERE b.comparison = 'similar'), b.year, b.direction
      FROM @extschema@.benchmark b
     WHERE b.jst_id = unit_id AND b.year = ANY (years)
       AND (profile.year IS NOT NULL
            OR b.year = (SELECT max(v.year) FROM @extschema@.indicator_value v
                          WHERE v.jst_id = unit_id AND v.indicator = b.indicator))
     GROUP BY b.area, b.indicator, b.indicator_name, b.unit, b.polarity, b.value, b.status, b.ci_lower, b.ci_upper,
              b.year, b.direction
     -- within an area, the indicators judged best or worst first, then the neutral ones
     ORDER BY b.area, b.polarity = 'neutral', b.indicator;
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
  'Karta jednostki / one unit''s card: every indicator with its value, status, confidence interval and mid-rank percentile against Poland, the województwo, the peer group, the neighbours, each custom group and its 15 most similar units (percentile_similar, smup.similar_units) (direction: 100 = best by polarity, or highest for a neutral indicator), its change since the previous year and its trend. jst_id takes any form smup.jst_id accepts; with no year, each indicator''s latest year (value_year). Ordered by area, judged indicators before neutral ones. An unknown unit raises 22023, a NULL one 22004; a card with no rows says why in a NOTICE. Runs with the caller''s rights: it reads only the views smup_reader may read.';

-- ---- smup.refresh() ------------------------------------------------------------------------------
-- Keys of the derived tables keep the database's collation: that of smup.jst.id and
-- smup.indicator.code, so that a filter on one reaches the indexes of the other.

-- A full rebuild fills its tables without indexes and builds them after (a sort each, far
-- quicker than millions of random index inserts): drops a table's indexes and constraints
-- and returns the statements that recreate them.
CREATE FUNCTION @extschema@._drop_indexes(rel regclass) RETURNS text[]
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rebuild text[];
BEGIN
    rebuild := ARRAY(
        SELECT CASE WHEN c.oid IS NOT NULL
                    THEN format('ALTER TABLE %s ADD CONSTRAINT %I %s', rel, c.conname, pg_get_constraintdef(c.oid))
                    ELSE pg_get_indexdef(i.indexrelid) END
          FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = rel
         WHERE i.indrelid = rel);
    EXECUTE (SELECT string_agg(CASE WHEN c.oid IS NOT NULL
                                    THEN format('ALTER TABLE %s DROP CONSTRAINT %I', rel, c.conname)
                                    ELSE format('DROP INDEX %s', i.indexrelid::regclass) END, '; ')
               FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = rel
              WHERE i.indrelid = rel);
    RETURN rebuild;
END;
$$;
COMMENT ON FUNCTION @extschema@._drop_indexes(regclass) IS
  'Internal: drops a derived table''s indexes and constraints, returning the statements that recreate them (the full rebuild of smup.refresh()).';

-- Every (variable, year) observed, read off the (variable, year) index one distinct pair at a
-- time, plus the years of derived sums (a sum exists in a year where any of its parts does).
CREATE FUNCTION @extschema@._observed_variable_years()
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
SELECT v.code, p.year FROM @extschema@.variable v JOIN pair p ON p.variable = ANY (v.sum_of)
$$;
COMMENT ON FUNCTION @extschema@._observed_variable_years() IS
  'Internal: every variable and year with an observation (or, for a derived sum, an observation of a part), read by index skip scan (smup.refresh()).';

-- Computes the stored values of the (indicator, year) pairs in pg_temp.refresh_target.
CREATE FUNCTION @extschema@._store_indicator_values(every_pair boolean) RETURNS bigint
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
    FOREACH derived_variable IN ARRAY coalesce(sums, '{}') LOOP
        INSERT INTO pg_temp.refresh_derived
        SELECT o.jst_id, o.variable, o.year, o.value, o.status
          FROM @extschema@.observation_all o
         WHERE o.derived AND o.variable = derived_variable AND o.year = ANY (years);
    END LOOP;
    -- a slowly changing denominator not observed in a year: its nearest observed year's value
    FOR derived_variable IN SELECT DISTINCT i.denominator FROM pg_temp.refresh_target t
                 JOIN @extschema@.indicator i ON i.code = t.indicator AND i.denominator_nearest_year LOOP
        INSERT INTO pg_temp.refresh_derived
        WITH observed AS MATERIALIZED (
            SELECT o.jst_id, o.year, o.value, o.status FROM @extschema@.observation_all o WHERE o.variable = derived_variable)
        SELECT DISTINCT ON (o.jst_id, y.year) o.jst_id, derived_variable, y.year, o.value, 'nearest:' || o.status
          FROM observed o CROSS JOIN unnest(years) AS y(year)
         WHERE NOT EXISTS (SELECT FROM observed e WHERE e.jst_id = o.jst_id AND e.year = y.year)
         ORDER BY o.jst_id, y.year, abs(o.year - y.year), o.year;
    END LOOP;
    CREATE INDEX ON pg_temp.refresh_derived (jst_id, variable, year);  -- a few targets probe it unit by unit
    ANALYZE pg_temp.refresh_derived;

    EXECUTE format($q$
    INSERT INTO @extschema@.indicator_value_store
           (indicator, year, jst_id, value, status, numerator, denominator, ci_lower, ci_upper)
    SELECT i.code, n.year, n.jst_id,
           CASE WHEN r.status IN ('value', '-') THEN n.value / coalesce(d.value, 1) * i.multiplier + i.value_offset END,
           r.status, n.value, d.value,
           coalesce((r.rate).lower, (r.proportion).lower * i.multiplier) + i.value_offset,
           coalesce((r.rate).upper, (r.proportion).upper * i.multiplier) + i.value_offset
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
             ON d.jst_id = n.jst_id AND d.variable = i.denominator AND d.year = coalesce(i.denominator_year, n.year)
            AND (d.status NOT LIKE 'nearest:%%' OR i.denominator_nearest_year)
     -- the status once, and the interval once (OFFSET 0: not inlined into every column that reads
     -- them); exact intervals only where they are defined (a rate needs a positive multiplier)
     CROSS JOIN LATERAL (
         SELECT s.status,
                CASE WHEN s.status IN ('value', '-') AND i.ci_method = 'poisson' AND i.multiplier > 0
                          AND n.value >= 0 AND d.value > 0
                     THEN @extschema@.rate_ci(n.value, d.value, i.multiplier) END AS rate,
                CASE WHEN s.status IN ('value', '-') AND i.ci_method = 'wilson'
                          AND n.value >= 0 AND n.value <= d.value AND d.value > 0
                     THEN @extschema@.proportion_ci(n.value, d.value) END AS proportion
           FROM (SELECT @extschema@.ratio_status(n.status, replace(d.status, 'nearest:', ''), d.value,
                                                 i.denominator IS NOT NULL) AS status OFFSET 0) s
         OFFSET 0) r
     -- no denominator at all: nothing to show (GUS has no symbol for it; smup.indicator_catalogue
     -- shows each indicator's years)
     WHERE i.denominator IS NULL OR d.jst_id IS NOT NULL$q$,
        -- every pair (a rebuild) needs no filter, and a filter the planner cannot size would
        -- make it sort millions of rows to merge them instead of hashing the small sides
        CASE WHEN every_pair THEN ''
             ELSE 'JOIN pg_temp.refresh_target t ON t.indicator = i.code AND t.year = n.year AND t.observed' END,
        -- a rebuild hashes the few denominators once; a few targets probe them unit by unit
        CASE WHEN every_pair THEN 'WHERE o.variable IN (SELECT i.denominator FROM @extschema@.indicator i)' ELSE '' END);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@._store_indicator_values(boolean) IS
  'Internal: computes and stores the indicator values of the pairs in pg_temp.refresh_target, or of every pair (smup.refresh()).';

-- Stores the trends of every unit in the indicators of pg_temp.refresh_target, or in all.
CREATE FUNCTION @extschema@._store_unit_trends(every_indicator boolean, years int[]) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
    seqscan text;
BEGIN
    IF every_indicator THEN
        INSERT INTO @extschema@.unit_trend (indicator, jst_id, n, ols_slope, theil_sen_slope, mann_kendall_p)
        SELECT x.indicator, x.jst_id, (x.t).n, (x.t).ols_slope, (x.t).theil_sen_slope, (x.t).mann_kendall_p
          FROM (SELECT v.indicator, v.jst_id, @extschema@.trend(v.year, v.value) AS t
                  FROM @extschema@.indicator_value_store v
                 WHERE v.status IN ('value', '-')
                 GROUP BY v.indicator, v.jst_id) x;
    ELSE
        -- every year of every unit of a few indicators, probed unit by unit: the planner would
        -- rather scan the whole table, many times slower (the caller's setting is put back after)
        seqscan := current_setting('enable_seqscan');
        PERFORM set_config('enable_seqscan', 'off', true);
        -- (one index scan a unit, its years as an array of keys)
        INSERT INTO @extschema@.unit_trend (indicator, jst_id, n, ols_slope, theil_sen_slope, mann_kendall_p)
        SELECT ti.indicator, j.id, (x.t).n, (x.t).ols_slope, (x.t).theil_sen_slope, (x.t).mann_kendall_p
          FROM (SELECT DISTINCT t.indicator FROM pg_temp.refresh_target t) ti
         CROSS JOIN @extschema@.jst j
         CROSS JOIN LATERAL (SELECT @extschema@.trend(v.year, v.value) AS t
                               FROM @extschema@.indicator_value_store v
                              WHERE v.jst_id = j.id AND v.year = ANY (years) AND v.indicator = ti.indicator
                                AND v.status IN ('value', '-')) x
         WHERE (x.t).n IS NOT NULL;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('enable_seqscan', seqscan, true);
        RETURN n;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@._store_unit_trends(boolean, int[]) IS
  'Internal: stores every unit''s trend in the indicators of pg_temp.refresh_target, or in every indicator (smup.refresh()).';

-- Stores the distribution and summary of each (indicator, year, group) of the member rows
-- (indicator, year, group_id, value) the query returns.
CREATE FUNCTION @extschema@._store_group_distributions(members text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
SET enable_mergejoin = off  -- as in _store_indicator_values
-- a rebuild holds every stored group's values at once (8 bytes a value and member, plus the hash
-- table): in memory this takes a third of the time of spilling them to disk
SET work_mem = '512MB'
AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format($q$
        INSERT INTO @extschema@.group_distribution
               (indicator, year, group_id, distribution, n, min, q1, median, q3, max, mean, sd)
        SELECT x.indicator, x.year, x.group_id, x.distribution, s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.sd
          FROM (SELECT m.indicator, m.year, m.group_id, @extschema@.distribution(m.value) AS distribution
                  FROM (%s) m (indicator, year, group_id, value)
                 GROUP BY m.indicator, m.year, m.group_id) x
         CROSS JOIN LATERAL @extschema@.summary(x.distribution) s$q$, members);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@._store_group_distributions(text) IS
  'Internal: stores the distribution and summary of each indicator, year and group of the member values a query returns (smup.refresh()).';

CREATE FUNCTION @extschema@.refresh(full boolean DEFAULT false)
RETURNS TABLE (object text, method text, rows bigint, seconds numeric)
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
SET jit = off  -- compiling the big statements costs more than it saves here
-- the full rebuild hashes every value once and sorts them into an index: a few hundred MB
-- keeps both in memory (a refresh is a maintenance job, not a query run by many at once)
SET work_mem = '256MB'
SET maintenance_work_mem = '1GB'
AS $$
DECLARE
    t0 timestamptz;
    rebuild boolean := coalesce(refresh.full, false);
    register_changed boolean;
    years int[];
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
                         pg_temp.changed_group, pg_temp.new_similar_group;
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
        -- deleted): their rows go; "every year" means every year anything is stored for
        INSERT INTO pg_temp.refresh_target
        SELECT DISTINCT r.indicator, y.year, false
          FROM pg_temp.refresh_reach r
          JOIN (SELECT DISTINCT d.year FROM @extschema@.group_distribution d UNION SELECT unnest(years)) y
            ON r.year IS NULL OR y.year = r.year
         WHERE NOT EXISTS (SELECT FROM pg_temp.refresh_target t WHERE t.indicator = r.indicator AND t.year = y.year);
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

    -- 1. indicator values
    IF rebuild THEN
        ANALYZE @extschema@.observation, @extschema@.variable, @extschema@.indicator, @extschema@.jst, @extschema@.jst_teryt,
                @extschema@.custom_group_member;
        TRUNCATE @extschema@.indicator_value_store, @extschema@.group_distribution, @extschema@.unit_trend,
                 @extschema@.comparison_group;
        store_index_sql := @extschema@._drop_indexes('@extschema@.indicator_value_store');
        index_sql := @extschema@._drop_indexes('@extschema@.group_distribution')
                  || @extschema@._drop_indexes('@extschema@.unit_trend');
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

    -- 1b. similar units: recomputed (every year: a value holds until the next) when a default
    -- context indicator's values were, or the catalogue changed (a weight, a role); their
    -- groups (one per unit, members read when the views are) follow here
    IF rebuild OR EXISTS (SELECT FROM pg_temp.refresh_target t JOIN @extschema@.indicator i ON i.code = t.indicator
                           WHERE i.similarity_weight IS NOT NULL)
       OR EXISTS (SELECT FROM pg_temp.refresh_change c WHERE c.indicator IS NOT NULL) THEN
        n := @extschema@._store_similar_units(years);
        IF NOT rebuild THEN
            CREATE TEMP TABLE new_similar_group ON COMMIT DROP AS SELECT * FROM @extschema@._similar_groups(years);
            DELETE FROM @extschema@.comparison_group g
             WHERE g.comparison = 'similar'
               AND NOT EXISTS (SELECT FROM pg_temp.new_similar_group x
                                WHERE (x.jst_id, x.year, x.group_id, x.group_name) = (g.jst_id, g.year, g.group_id, g.group_name));
            INSERT INTO @extschema@.comparison_group
            SELECT * FROM pg_temp.new_similar_group x
             WHERE NOT EXISTS (SELECT FROM @extschema@.comparison_group g
                                WHERE (x.jst_id, x.year, x.comparison, x.group_id) = (g.jst_id, g.year, g.comparison, g.group_id));
        END IF;
        object := 'similar_unit'; method := 'full'; rows := n;
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
        -- the gminy and powiaty of Poland are those of its województwa: their Poland group is the
        -- union of the voivodeship groups' sorted values (a merge), not another pass over values
        n := @extschema@._store_group_distributions($q$
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM @extschema@.comparison_group g
              JOIN @extschema@.indicator_value_store v ON v.jst_id = g.jst_id AND v.year = g.year
             WHERE v.status IN ('value', '-') AND g.comparison NOT IN ('neighbours', 'similar')
               AND NOT (g.comparison = 'poland' AND g.group_id IN ('PL:gmina', 'PL:powiat'))$q$);
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
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM pg_temp.refresh_target t
              JOIN @extschema@.comparison_group g ON g.year = t.year AND g.comparison NOT IN ('neighbours', 'similar')
              JOIN @extschema@.indicator_value_store v ON v.jst_id = g.jst_id AND v.year = t.year AND v.indicator = t.indicator
             WHERE t.observed AND v.status IN ('value', '-')
            UNION ALL
            SELECT v.indicator, v.year, g.group_id, v.value
              FROM pg_temp.changed_group c
              JOIN @extschema@.comparison_group g ON g.group_id = c.group_id AND g.year = c.year
              JOIN @extschema@.indicator_value_store v ON v.jst_id = g.jst_id AND v.year = g.year
             WHERE v.status IN ('value', '-')
               AND NOT EXISTS (SELECT FROM pg_temp.refresh_target t WHERE t.indicator = v.indicator AND t.year = v.year)$q$);
    END IF;
    object := 'group_distribution';
    method := CASE WHEN rebuild THEN 'full' ELSE 'incremental' END;
    rows := n;
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;
    t0 := clock_timestamp();

    -- 4. trends of the indicators recomputed, over all their years
    IF NOT rebuild THEN
        DELETE FROM @extschema@.unit_trend u WHERE u.indicator IN (SELECT t.indicator FROM pg_temp.refresh_target t);
    END IF;
    n := @extschema@._store_unit_trends(rebuild, years);
    object := 'unit_trend';
    method := CASE WHEN rebuild THEN 'full' ELSE 'incremental' END;
    rows := n;
    seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
    RETURN NEXT;

    IF rebuild THEN
        t0 := clock_timestamp();
        FOREACH stmt IN ARRAY index_sql LOOP
            EXECUTE stmt;
        END LOOP;
        ANALYZE @extschema@.group_distribution, @extschema@.unit_trend;
        object := 'indexes'; method := 'rebuilt'; rows := cardinality(index_sql);
        seconds := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3);
        RETURN NEXT;
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION @extschema@.refresh(boolean) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.refresh(boolean) IS
  'Przelicza SMUP / keeps everything derived up to date: the neighbour sets (when empty or the register changed), then the indicator values, the similar units (when a default context indicator or the catalogue changed), comparison groups, group distributions and unit trends. Incremental by default: only the indicators and years that smup.refresh_queue says were touched by loads and catalogue edits since the last refresh, and only the groups whose membership changed (a custom group takes effect in well under a second). full => true (or a register change, or more than half of everything touched) rebuilds all of it, holding an exclusive lock on the derived tables until it commits; an incremental refresh never blocks readers. Reports each step, its method, rows and seconds. SECURITY DEFINER: grant EXECUTE to the roles that may refresh.';

-- ==== sql/install/70-bi.sql ====
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

-- ==== sql/install/75-autocorrelation.sql ====
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


-- ==== sql/install/80-report.sql ====
-- The report on a unit's state (raport o stanie gminy): one self-contained document generated
-- from the views, html (inline SVG charts, print CSS, nothing fetched) or markdown.
-- Small helpers first (escaping, numbers, labels, charts), then smup.report itself. Helpers
-- with an SQL-standard body (RETURN, BEGIN ATOMIC) were bound at install time and carry no SET,
-- so the planner inlines them: the report calls them hundreds of times.

CREATE FUNCTION @extschema@._xml_escape(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace(replace(replace(replace(replace(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION @extschema@._xml_escape(text) IS
  'Internal: text made safe inside HTML, SVG and XML, in element content and in quoted attributes (& < > " '' escaped) (smup.report).';

CREATE FUNCTION @extschema@._md_escape(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(regexp_replace(s, '([\\|*_`\[\]<>#])', '\\\1', 'g'), '\s+', ' ', 'g');
COMMENT ON FUNCTION @extschema@._md_escape(text) IS
  'Internal: text made literal in markdown (table cells included): markup characters backslash-escaped, line breaks folded (smup.report).';

-- Polish: decimal comma, thousands grouped by a no-break space from 10 000 on (1650,51 but
-- 12 345,68); English: decimal point, thousands by commas. -0,00 is shown as 0,00.
CREATE FUNCTION @extschema@._report_number(x float8, digits int, lang text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r numeric := round(x::numeric, digits);
    i text;
    f text;
BEGIN
    IF r IS NULL THEN
        RETURN NULL;
    END IF;
    i := split_part(abs(r)::text, '.', 1);
    f := split_part(abs(r)::text, '.', 2);
    IF lang = 'en' THEN
        i := regexp_replace(i, '(\d)(?=(\d{3})+$)', '\1,', 'g');
    ELSIF length(i) > 4 THEN
        i := regexp_replace(i, '(\d)(?=(\d{3})+$)', '\1' || U&'\00A0', 'g');
    END IF;
    RETURN CASE WHEN r < 0 THEN '-' ELSE '' END || i
           || CASE WHEN f <> '' THEN CASE WHEN lang = 'en' THEN '.' ELSE ',' END || f ELSE '' END;
END;
$$;
COMMENT ON FUNCTION @extschema@._report_number(float8, int, text) IS
  'Internal: a number rounded to digits decimals, written the Polish way (lang pl: 12 345,68) or the English way (en: 12,345.68) (smup.report).';

CREATE FUNCTION @extschema@._report_signed(x float8, digits int, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN round(x::numeric, digits) > 0 THEN '+' ELSE '' END || @extschema@._report_number(x, digits, lang);
COMMENT ON FUNCTION @extschema@._report_signed(float8, int, text) IS 'Internal: _report_number with a + on positive numbers (changes, trends) (smup.report).';

-- Every fixed text of the report, in Polish and English.
CREATE FUNCTION @extschema@._report_text(key text, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(jsonb '{
  "title_gmina": {"pl": "Raport o stanie gminy", "en": "Report on the state of the gmina"},
  "title_powiat": {"pl": "Raport o stanie powiatu", "en": "Report on the state of the powiat"},
  "title_wojewodztwo": {"pl": "Raport o stanie województwa", "en": "Report on the state of the województwo"},
  "card": {"pl": "Karta jednostki", "en": "The unit"},
  "kind": {"pl": "Rodzaj", "en": "Kind"},
  "teryt": {"pl": "Kod TERYT", "en": "TERYT code"},
  "powiat": {"pl": "Powiat", "en": "Powiat"},
  "wojewodztwo": {"pl": "Województwo", "en": "Województwo"},
  "population": {"pl": "Ludność (31 XII)", "en": "Population (31 Dec)"},
  "area_km2": {"pl": "Powierzchnia", "en": "Area"},
  "groups": {"pl": "Grupy porównawcze", "en": "Comparison groups"},
  "units": {"pl": "jedn.", "en": "units"},
  "summary": {"pl": "Podsumowanie", "en": "Summary"},
  "strongest": {"pl": "Najmocniejsze pozycje", "en": "Strongest positions"},
  "weakest": {"pl": "Najsłabsze pozycje", "en": "Weakest positions"},
  "against": {"pl": "Na tle grupy", "en": "Against the group"},
  "no_judged": {"pl": "Brak wskaźników ocenianych (z biegunowością) z pozycją w tej grupie.", "en": "No judged indicator (one with a polarity) has a position in this group."},
  "summary_note": {"pl": "Percentyl 100 oznacza najlepszą pozycję w grupie, 0 najgorszą; wskaźniki neutralne nie są oceniane.", "en": "Percentile 100 is the best position in the group, 0 the worst; neutral indicators are not judged."},
  "map": {"pl": "Mapa: jednostka i jej sąsiedzi", "en": "Map: the unit and its neighbours"},
  "map_no_data": {"pl": "brak danych", "en": "no data"},
  "map_note": {"pl": "Ciemniejszy kolor: wyższa wartość. Granice uproszczone.", "en": "Darker: higher value. Boundaries simplified."},
  "value": {"pl": "Wartość", "en": "Value"},
  "status": {"pl": "znak GUS", "en": "GUS mark"},
  "change": {"pl": "Zmiana r/r", "en": "Change y/y"},
  "change_since": {"pl": "Zmiana od", "en": "Change since"},
  "trend": {"pl": "Trend", "en": "Trend"},
  "per_year": {"pl": "rocznie", "en": "a year"},
  "ci": {"pl": "95% przedział ufności", "en": "95% confidence interval"},
  "polarity": {"pl": "Kierunek", "en": "Direction"},
  "higher_is_better": {"pl": "więcej = lepiej", "en": "higher is better"},
  "lower_is_better": {"pl": "mniej = lepiej", "en": "lower is better"},
  "neutral": {"pl": "neutralny (100 = najwyżej)", "en": "neutral (100 = highest)"},
  "group": {"pl": "Grupa", "en": "Group"},
  "n": {"pl": "n", "en": "n"},
  "rank": {"pl": "Miejsce", "en": "Rank"},
  "percentile": {"pl": "Percentyl", "en": "Percentile"},
  "q1": {"pl": "Q1", "en": "Q1"},
  "median": {"pl": "Mediana", "en": "Median"},
  "q3": {"pl": "Q3", "en": "Q3"},
  "of": {"pl": "z", "en": "of"},
  "chart_position": {"pl": "Pozycja na tle rozkładu w grupach (pudełko: Q1–Q3, kreska: mediana, wąsy: do 1,5 IQR)", "en": "Position in each group''s distribution (box: Q1–Q3, line: median, whiskers: up to 1.5 IQR)"},
  "chart_series": {"pl": "Szereg czasowy na tle mediany grupy", "en": "Time series against the group median"},
  "median_of": {"pl": "mediana", "en": "median"},
  "method": {"pl": "Źródła i metoda", "en": "Sources and method"},
  "indicators": {"pl": "Wskaźniki", "en": "Indicators"},
  "indicator": {"pl": "Wskaźnik", "en": "Indicator"},
  "unit": {"pl": "Jednostka miary", "en": "Unit"},
  "formula": {"pl": "Opis i wzór", "en": "Description and formula"},
  "source": {"pl": "Źródło", "en": "Source"},
  "group_definitions": {"pl": "Grupy porównawcze", "en": "Comparison groups"},
  "marks": {"pl": "Znaki umowne GUS", "en": "GUS symbols"},
  "mark_-": {"pl": "zjawisko nie wystąpiło", "en": "magnitude zero"},
  "mark_.": {"pl": "zupełny brak informacji albo brak informacji wiarygodnych", "en": "data not available or not reliable"},
  "mark_x": {"pl": "wypełnienie pozycji jest niemożliwe lub niecelowe", "en": "not applicable"},
  "mark_#": {"pl": "dane nie mogą być opublikowane ze względu na tajemnicę statystyczną", "en": "data confidential (statistical confidentiality)"},
  "position_method": {"pl": "Pozycja: miejsce w grupie (1 = najlepsze lub, dla wskaźnika neutralnego, najwyższe) i percentyl środkowej rangi: 100 × (jednostki gorsze + (remisy − 1)/2) / (n − 1). Kwartyle: percentile_cont. Zmiana r/r: różnica względem poprzedniego roku. Trend: nachylenie prostej najmniejszych kwadratów w latach z wartością. Przedziały ufności: dokładne (Poisson, Wilson).", "en": "Position: rank in the group (1 = the best or, for a neutral indicator, the highest) and mid-rank percentile: 100 × (units worse + (ties − 1)/2) / (n − 1). Quartiles: percentile_cont. Change y/y: difference from the previous year. Trend: least-squares slope over the years with a value. Confidence intervals: exact (Poisson, Wilson)."},
  "boundaries": {"pl": "Źródło: PRG, GUGiK (granice jednostek na mapie)", "en": "Źródło: PRG, GUGiK (boundaries on the map)"},
  "generated": {"pl": "Wygenerowano przez smup (rozszerzenie PostgreSQL) z widoków smup.benchmark, smup.profile i smup.indicator_catalogue.", "en": "Generated by smup (a PostgreSQL extension) from the views smup.benchmark, smup.profile and smup.indicator_catalogue."},
  "cmp_poland": {"pl": "Polska", "en": "Poland"},
  "cmp_voivodeship": {"pl": "województwo", "en": "województwo"},
  "cmp_peer": {"pl": "jednostki podobne (typ i wielkość)", "en": "peers (kind and size)"},
  "cmp_similar": {"pl": "jednostki najbardziej podobne", "en": "most similar units"},
  "cmp_neighbours": {"pl": "sąsiedzi", "en": "neighbours"},
  "cmp_custom": {"pl": "grupa użytkownika", "en": "custom group"},
  "short_poland": {"pl": "Polska", "en": "Poland"},
  "short_voivodeship": {"pl": "województwo", "en": "województwo"},
  "short_peer": {"pl": "podobne", "en": "peers"},
  "short_similar": {"pl": "najbardziej podobne", "en": "most similar"},
  "short_neighbours": {"pl": "sąsiedzi", "en": "neighbours"},
  "def_poland": {"pl": "wszystkie jednostki tego samego szczebla w Polsce", "en": "every unit of the same level in Poland"},
  "def_voivodeship": {"pl": "jednostki tego samego szczebla w województwie", "en": "the units of the same level in the województwo"},
  "def_peer": {"pl": "ten sam rodzaj gminy (miejska, wiejska, miejsko-wiejska, miasto na prawach powiatu) i ta sama klasa liczby ludności w danym roku (smup.population_class)", "en": "the same kind (urban, rural, urban-rural gmina, city with powiat rights) and population class in that year (smup.population_class)"},
  "def_similar": {"pl": "jednostki o najbardziej podobnych cechach (smup.benchmark, porównanie similar)", "en": "the units most alike in their characteristics (smup.benchmark, comparison similar)"},
  "def_neighbours": {"pl": "jednostka i jednostki z nią graniczące (sąsiedztwo typu queen, rzędu 1, z granic PRG)", "en": "the unit and the units bordering it (queen contiguity, order 1, from the PRG boundaries)"},
  "def_custom": {"pl": "grupa zdefiniowana przez użytkownika (smup.custom_group)", "en": "a group a user defined (smup.custom_group)"},
  "def_other": {"pl": "grupa porównawcza smup.benchmark", "en": "a comparison group of smup.benchmark"},
  "open_hint": {"pl": "Dokument jest samowystarczalny: otwórz go w przeglądarce lub wydrukuj do PDF.", "en": "The document is self-contained: open it in a browser or print it to PDF."}
}' -> key ->> lang, key);
COMMENT ON FUNCTION @extschema@._report_text(text, text) IS
  'Internal: the fixed texts of smup.report in Polish (pl) and English (en); an unknown key returns itself.';

-- Comparisons in a fixed order; ones smup does not know yet come last, under their own name.
CREATE FUNCTION @extschema@._report_comparison_order(comparison text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(array_position(ARRAY['poland', 'voivodeship', 'peer', 'similar', 'neighbours', 'custom'], comparison), 100);
COMMENT ON FUNCTION @extschema@._report_comparison_order(text) IS
  'Internal: where a comparison comes in the report: poland, voivodeship, peer, similar, neighbours, custom, then any other (smup.report).';

CREATE FUNCTION @extschema@._report_comparison_label(comparison text, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN @extschema@._report_comparison_order(comparison) < 100
            THEN @extschema@._report_text('cmp_' || comparison, lang) ELSE comparison END;
COMMENT ON FUNCTION @extschema@._report_comparison_label(text, text) IS 'Internal: the name of a comparison in the report''s language (smup.report).';

-- A group as the tables name it: its Polish name says what it is; in English the comparison comes first.
CREATE FUNCTION @extschema@._report_group_label(comparison text, group_name text, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN lang = 'en' THEN @extschema@._report_comparison_label(comparison, lang) || ': ' ELSE '' END || group_name;
COMMENT ON FUNCTION @extschema@._report_group_label(text, text, text) IS 'Internal: a comparison group''s name in the report''s tables (smup.report).';

-- ---- charts: SVG drawn here, nothing fetched at view time ------------------------------------

-- The unit's value against each group's distribution: one row a group (whiskers to the data
-- within 1.5 IQR of the box, the box Q1–Q3, the median), the unit's value as a red line.
CREATE FUNCTION @extschema@._report_position_svg(labels text[], mins float8[], q1s float8[], medians float8[],
                                                 q3s float8[], maxs float8[], unit_value float8, unit_label text,
                                                 lang text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    width constant int := 640;
    plot_x0 constant int := 175;
    plot_x1 constant int := 625;
    row_h constant int := 26;
    top constant int := 24;
    k int := coalesce(cardinality(labels), 0);
    height int;
    lo float8;
    hi float8;
    out text[] := '{}';
    i int;
    wlo float8;
    whi float8;
    iqr float8;
BEGIN
    IF k = 0 THEN
        RETURN NULL;
    END IF;
    height := top + k * row_h + 26;
    -- the scale: every box with its whiskers, and the unit's value
    SELECT least(min(greatest(m.mn, m.a - 1.5 * (m.b - m.a))), min(unit_value)),
           greatest(max(least(m.mx, m.b + 1.5 * (m.b - m.a))), max(unit_value))
      INTO lo, hi
      FROM unnest(mins, q1s, q3s, maxs) AS m(mn, a, b, mx) WHERE m.a IS NOT NULL;
    IF lo IS NULL THEN
        RETURN NULL;
    END IF;
    IF hi - lo < 1e-12 * greatest(abs(hi), 1) THEN
        lo := lo - 1; hi := hi + 1;
    END IF;
    out := out || format('<svg class="chart" data-chart="position" viewBox="0 0 %s %s" role="img" aria-label="%s">',
                         width, height, @extschema@._xml_escape(@extschema@._report_text('chart_position', lang)));
    out := out || format('<title>%s</title>', @extschema@._xml_escape(@extschema@._report_text('chart_position', lang)));
    FOR i IN 1..k LOOP
        DECLARE
            y float8 := top + (i - 1) * row_h + row_h / 2.0;
            sx text;
        BEGIN
            out := out || format('<text x="0" y="%s" class="lbl">%s</text>', round((y + 4)::numeric, 1),
                                 @extschema@._xml_escape(left(labels[i], 20) || CASE WHEN length(labels[i]) > 20 THEN '…' ELSE '' END));
            CONTINUE WHEN q1s[i] IS NULL;
            iqr := q3s[i] - q1s[i];
            wlo := greatest(mins[i], q1s[i] - 1.5 * iqr);
            whi := least(maxs[i], q3s[i] + 1.5 * iqr);
            sx := format('<line x1="%s" x2="%s" y1="%s" y2="%s" class="whisker"/>',
                         round((plot_x0 + (wlo - lo) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1),
                         round((plot_x0 + (whi - lo) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1),
                         round(y::numeric, 1), round(y::numeric, 1));
            sx := sx || format('<rect x="%s" y="%s" width="%s" height="%s" class="box"><title>%s</title></rect>',
                               round((plot_x0 + (q1s[i] - lo) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1),
                               round((y - 7)::numeric, 1),
                               round((greatest(iqr, 0) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1), 14,
                               @extschema@._xml_escape(format('%s: min %s, Q1 %s, %s %s, Q3 %s, max %s', labels[i],
                                   @extschema@._report_number(mins[i], 2, lang), @extschema@._report_number(q1s[i], 2, lang),
                                   @extschema@._report_text('median', lang), @extschema@._report_number(medians[i], 2, lang),
                                   @extschema@._report_number(q3s[i], 2, lang), @extschema@._report_number(maxs[i], 2, lang))));
            sx := sx || format('<line x1="%2$s" x2="%2$s" y1="%1$s" y2="%3$s" class="median"/>',
                               round((y - 7)::numeric, 1),
                               round((plot_x0 + (medians[i] - lo) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1),
                               round((y + 7)::numeric, 1));
            out := out || sx;
        END;
    END LOOP;
    IF unit_value IS NOT NULL THEN
        out := out || format('<line x1="%1$s" x2="%1$s" y1="%2$s" y2="%3$s" class="unit"/><text x="%1$s" y="14" class="unit-lbl" text-anchor="%4$s">%5$s</text>',
                             round((plot_x0 + (unit_value - lo) / (hi - lo) * (plot_x1 - plot_x0))::numeric, 1),
                             top - 6, top + k * row_h,
                             CASE WHEN (unit_value - lo) / (hi - lo) > 0.7 THEN 'end' WHEN (unit_value - lo) / (hi - lo) < 0.3 THEN 'start' ELSE 'middle' END,
                             @extschema@._xml_escape(unit_label || ': ' || @extschema@._report_number(unit_value, 2, lang)));
    END IF;
    -- the axis: its two ends and the middle
    out := out || format('<line x1="%s" x2="%s" y1="%3$s" y2="%3$s" class="axis"/>', plot_x0, plot_x1, top + k * row_h + 4);
    out := out || format('<text x="%1$s" y="%2$s" class="tick" text-anchor="start">%3$s</text><text x="%4$s" y="%2$s" class="tick" text-anchor="middle">%5$s</text><text x="%6$s" y="%2$s" class="tick" text-anchor="end">%7$s</text>',
                         plot_x0, top + k * row_h + 22, @extschema@._report_number(lo, 2, lang),
                         (plot_x0 + plot_x1) / 2, @extschema@._report_number((lo + hi) / 2, 2, lang),
                         plot_x1, @extschema@._report_number(hi, 2, lang));
    RETURN array_to_string(out || '</svg>'::text, '');
END;
$$;
COMMENT ON FUNCTION @extschema@._report_position_svg(text[], float8[], float8[], float8[], float8[], float8[], float8, text, text) IS
  'Internal: an SVG box plot of each comparison group''s distribution (whiskers to 1.5 IQR) with the unit''s value across them (smup.report).';

-- The unit's values by year (solid, dots; the report's year ringed) against a group's median (dashed).
CREATE FUNCTION @extschema@._report_series_svg(years int[], vals float8[], medians float8[], report_year int,
                                               unit_label text, median_label text, lang text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    width constant int := 640;
    height constant int := 176;
    x0 constant int := 80;
    x1 constant int := 610;
    y0 constant int := 140;   -- the bottom of the plot
    y1 constant int := 32;    -- its top
    ymin float8;
    ymax float8;
    ylo int;
    yhi int;
    out text[] := '{}';
    unit_path text;
    median_path text;
BEGIN
    IF coalesce(cardinality(years), 0) = 0 THEN
        RETURN NULL;
    END IF;
    SELECT min(y), max(y) INTO ylo, yhi FROM unnest(years) y;
    SELECT min(v), max(v) INTO ymin, ymax FROM unnest(vals || medians) v WHERE v IS NOT NULL;
    IF ymin IS NULL THEN
        RETURN NULL;
    END IF;
    IF ymax - ymin < 1e-12 * greatest(abs(ymax), 1) THEN
        ymin := ymin - 1; ymax := ymax + 1;
    END IF;
    -- a line for each run of consecutive points with a value (a gap year breaks it)
    SELECT string_agg(CASE WHEN p.prev_missing THEN 'M' ELSE 'L' END || p.x || ' ' || p.y, ' ' ORDER BY p.year)
      INTO unit_path
      FROM (SELECT s.year, round((x0 + CASE WHEN yhi = ylo THEN 0.5 ELSE (s.year - ylo)::float8 / (yhi - ylo) END * (x1 - x0))::numeric, 1) AS x,
                   round((y0 - (s.v - ymin) / (ymax - ymin) * (y0 - y1))::numeric, 1) AS y,
                   coalesce(lag(s.v) OVER (ORDER BY s.year) IS NULL OR lag(s.year) OVER (ORDER BY s.year) <> s.year - 1, true) AS prev_missing,
                   s.v
              FROM unnest(years, vals) AS s(year, v)) p
     WHERE p.v IS NOT NULL;
    SELECT string_agg(CASE WHEN p.prev_missing THEN 'M' ELSE 'L' END || p.x || ' ' || p.y, ' ' ORDER BY p.year)
      INTO median_path
      FROM (SELECT s.year, round((x0 + CASE WHEN yhi = ylo THEN 0.5 ELSE (s.year - ylo)::float8 / (yhi - ylo) END * (x1 - x0))::numeric, 1) AS x,
                   round((y0 - (s.v - ymin) / (ymax - ymin) * (y0 - y1))::numeric, 1) AS y,
                   coalesce(lag(s.v) OVER (ORDER BY s.year) IS NULL OR lag(s.year) OVER (ORDER BY s.year) <> s.year - 1, true) AS prev_missing,
                   s.v
              FROM unnest(years, medians) AS s(year, v)) p
     WHERE p.v IS NOT NULL;
    out := out || format('<svg class="chart" data-chart="series" viewBox="0 0 %s %s" role="img" aria-label="%s">',
                         width, height, @extschema@._xml_escape(@extschema@._report_text('chart_series', lang)));
    out := out || format('<title>%s</title>', @extschema@._xml_escape(@extschema@._report_text('chart_series', lang)));
    -- legend
    out := out || format('<line x1="%s" x2="%s" y1="12" y2="12" class="series-unit"/><text x="%s" y="17" class="lbl">%s</text>',
                         x0, x0 + 24, x0 + 30, @extschema@._xml_escape(unit_label));
    out := out || format('<line x1="%s" x2="%s" y1="12" y2="12" class="series-median"/><text x="%s" y="17" class="lbl">%s</text>',
                         x0 + 150, x0 + 174, x0 + 180,
                         @extschema@._xml_escape(left(@extschema@._report_text('median_of', lang) || ': ' || median_label, 42)));
    -- y axis: the smallest and largest value; x axis: the first, the report's and the last year
    out := out || format('<line x1="%1$s" x2="%2$s" y1="%3$s" y2="%3$s" class="axis"/><line x1="%1$s" x2="%2$s" y1="%4$s" y2="%4$s" class="grid"/>',
                         x0, x1, y0, y1);
    out := out || format('<text x="%1$s" y="%2$s" class="tick" text-anchor="end">%3$s</text><text x="%1$s" y="%4$s" class="tick" text-anchor="end">%5$s</text>',
                         x0 - 4, y0 + 4, @extschema@._report_number(ymin, 2, lang), y1 + 4, @extschema@._report_number(ymax, 2, lang));
    out := out || (SELECT string_agg(format('<text x="%s" y="%s" class="tick" text-anchor="middle">%s</text>',
                                            round((x0 + CASE WHEN yhi = ylo THEN 0.5 ELSE (yr - ylo)::float8 / (yhi - ylo) END * (x1 - x0))::numeric, 1),
                                            y0 + 20, yr), '')
                     FROM (SELECT DISTINCT yr FROM unnest(ARRAY[ylo, report_year, yhi]) yr WHERE yr BETWEEN ylo AND yhi) t);
    IF median_path IS NOT NULL THEN
        out := out || format('<path d="%s" class="series-median"/>', median_path);
    END IF;
    IF unit_path IS NOT NULL THEN
        out := out || format('<path d="%s" class="series-unit"/>', unit_path);
    END IF;
    out := out || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="%s" class="%s"><title>%s: %s</title></circle>',
                                            round((x0 + CASE WHEN yhi = ylo THEN 0.5 ELSE (s.year - ylo)::float8 / (yhi - ylo) END * (x1 - x0))::numeric, 1),
                                            round((y0 - (s.v - ymin) / (ymax - ymin) * (y0 - y1))::numeric, 1),
                                            CASE WHEN s.year = report_year THEN 5 ELSE 3 END,
                                            CASE WHEN s.year = report_year THEN 'pt this-year' ELSE 'pt' END,
                                            s.year, @extschema@._report_number(s.v, 2, lang)), '' ORDER BY s.year)
                     FROM unnest(years, vals) AS s(year, v) WHERE s.v IS NOT NULL);
    RETURN array_to_string(out || '</svg>'::text, '');
END;
$$;
COMMENT ON FUNCTION @extschema@._report_series_svg(int[], float8[], float8[], int, text, text, text) IS
  'Internal: an SVG line chart of a unit''s values by year against a group''s median (smup.report).';

-- PostGIS is reached only from this SQL-standard body, bound at install time (see 10-jst.sql):
-- the units' boundaries simplified to half a pixel and moved into a frame width pixels wide
-- (y down, as SVG draws), with a point inside each for its label.
CREATE FUNCTION @extschema@._report_map_shapes(ids text[], width float8)
RETURNS TABLE (id text, name text, path text, label_x float8, label_y float8, height float8)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH unit AS (
        SELECT j.id, j.name, j.geom FROM @extschema@.jst j WHERE j.id = ANY (ids)
    ), frame AS (
        SELECT ST_XMin(e.b) AS xmin, ST_YMax(e.b) AS ymax, width / nullif(ST_XMax(e.b) - ST_XMin(e.b), 0) AS s,
               (ST_YMax(e.b) - ST_YMin(e.b)) * width / nullif(ST_XMax(e.b) - ST_XMin(e.b), 0) AS h
          FROM (SELECT ST_Extent(u.geom) AS b FROM unit u) e
    )
    SELECT u.id, u.name,
           ST_AsSVG(ST_Affine(ST_SimplifyPreserveTopology(u.geom, 0.5 / f.s), f.s, 0, 0, f.s, -f.xmin * f.s, -f.ymax * f.s), 0, 1),
           (ST_X(p.pt) - f.xmin) * f.s, (f.ymax - ST_Y(p.pt)) * f.s, f.h
      FROM unit u CROSS JOIN frame f
     CROSS JOIN LATERAL (SELECT ST_PointOnSurface(u.geom) AS pt) p
     ORDER BY u.id;
END;
COMMENT ON FUNCTION @extschema@._report_map_shapes(text[], float8) IS
  'Internal: SVG paths of the units'' boundaries (smup.jst, PRG) simplified and scaled to a frame width pixels wide, with a label point each (smup.report).';

-- The unit and its queen neighbours shaded by one indicator: five equal classes between the
-- smallest and the largest value shown, the unit outlined and drawn last, every unit named.
CREATE FUNCTION @extschema@._report_map_svg(unit_id text, map_year int, map_indicator text, caption text, lang text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    width constant int := 640;
    palette constant text[] := ARRAY['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];
    missing_fill constant text := '#d9d9d9';
    svg text;
BEGIN
    WITH shape AS (
        SELECT s.id, s.name, s.path, s.label_x, s.label_y, s.height, s.id = unit_id AS is_unit, v.value,
               min(v.value) OVER () AS vmin, max(v.value) OVER () AS vmax,
               bool_or(v.value IS NULL) OVER () AS any_missing
          FROM @extschema@._report_map_shapes(
                   ARRAY[unit_id] || ARRAY(SELECT n.neighbour_id FROM @extschema@.neighbour n
                                            WHERE n.id = unit_id AND n.rule = 'queen' AND n."order" = 1), width) s
          LEFT JOIN @extschema@.indicator_value v
                 ON v.jst_id = s.id AND v.year = map_year AND v.indicator = map_indicator AND v.status IN ('value', '-')
    ), classed AS (
        SELECT sh.*, CASE WHEN sh.value IS NULL THEN NULL
                          WHEN sh.vmax - sh.vmin <= 0 THEN 3
                          ELSE least(5, 1 + floor((sh.value - sh.vmin) / (sh.vmax - sh.vmin) * 5))::int END AS class
          FROM shape sh
    ), frame AS (
        SELECT x.*, CASE WHEN x.vmax - x.vmin >= 50 THEN 0 WHEN x.vmax - x.vmin >= 5 THEN 1 ELSE 2 END AS digits
          FROM (SELECT max(c.height) AS h, max(c.vmin) AS vmin, max(c.vmax) AS vmax, bool_or(c.any_missing) AS any_missing FROM classed c) x
    )
    SELECT format('<svg class="chart" data-chart="map" viewBox="0 0 %s %s" role="img" aria-label="%s"><title>%3$s</title>',
                  width, round((f.h + 46)::numeric, 1), @extschema@._xml_escape(caption))
           -- the neighbours, then the unit on top
           || string_agg(format('<path d="%s" fill="%s" class="%s" data-jst-id="%s"><title>%s: %s</title></path>',
                                c.path, coalesce(palette[c.class], missing_fill), CASE WHEN c.is_unit THEN 'shape unit-shape' ELSE 'shape' END,
                                @extschema@._xml_escape(c.id), @extschema@._xml_escape(c.name),
                                coalesce(@extschema@._report_number(c.value, 2, lang), @extschema@._report_text('map_no_data', lang))),
                         '' ORDER BY c.is_unit, c.id)
           || string_agg(format('<text x="%s" y="%s" class="map-lbl%s" text-anchor="middle">%s</text>',
                                round(c.label_x::numeric, 1), round(c.label_y::numeric, 1), CASE WHEN c.is_unit THEN ' unit-lbl' ELSE '' END,
                                @extschema@._xml_escape(c.name)), '' ORDER BY c.is_unit, c.id)
           -- the legend: the five classes' bounds, and the grey of a missing value
           || coalesce((SELECT string_agg(format('<rect x="%s" y="%s" width="18" height="12" fill="%s" class="swatch"/><text x="%s" y="%s" class="tick">%s</text>',
                                        (k - 1) * 126, round((f.h + 14)::numeric, 1), palette[k], (k - 1) * 126 + 22, round((f.h + 24)::numeric, 1),
                                        CASE WHEN f.vmax > f.vmin
                                             THEN @extschema@._report_number(f.vmin + (k - 1) * (f.vmax - f.vmin) / 5, f.digits, lang) || '–'
                                                  || @extschema@._report_number(f.vmin + k * (f.vmax - f.vmin) / 5, f.digits, lang)
                                             WHEN k = 3 THEN @extschema@._report_number(f.vmin, f.digits, lang) ELSE '' END), '' ORDER BY k)
                 FROM generate_series(1, 5) k WHERE f.vmin IS NOT NULL), '')
           || CASE WHEN f.any_missing
                   THEN format('<rect x="0" y="%s" width="18" height="12" fill="%s" class="swatch"/><text x="22" y="%s" class="tick">%s</text>',
                               round((f.h + 32)::numeric, 1), missing_fill, round((f.h + 42)::numeric, 1),
                               @extschema@._report_text('map_no_data', lang))
                   ELSE '' END
           || format('<text x="%s" y="%s" class="tick">%s</text>', CASE WHEN f.any_missing THEN 126 ELSE 0 END, round((f.h + 42)::numeric, 1),
                     @extschema@._xml_escape(@extschema@._report_text('map_note', lang)))
           || '</svg>'
      INTO svg
      FROM classed c CROSS JOIN frame f
     GROUP BY f.h, f.vmin, f.vmax, f.any_missing, f.digits;
    RETURN svg;
END;
$$;
COMMENT ON FUNCTION @extschema@._report_map_svg(text, int, text, text, text) IS
  'Internal: an SVG map of a unit and its queen neighbours (PRG boundaries) shaded by one indicator in one year, with a legend (smup.report).';

-- ---- the report ---------------------------------------------------------------------------------

CREATE FUNCTION @extschema@._report_css() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN $css$
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #1a1a1a; }
body { margin: 0 auto; max-width: 960px; padding: 16px; font-size: 14px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 22px 0 6px; border-bottom: 2px solid #3182bd; }
h3 { font-size: 15px; margin: 0 0 4px; }
p.subtitle { margin: 0 0 10px; color: #555; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4px 0; }
th, td { padding: 2px 5px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; background: #f3f6fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.card th { width: 28%; }
table.position th:first-child { width: 32%; }
table.position th { font-size: 12.5px; overflow-wrap: normal; }
table.method th:first-child { width: 32%; }
table.method th:last-child { width: 17%; }
small, .muted { color: #555; }
.mark { font-weight: 600; }
article.indicator { border-top: 1px solid #ccc; padding-top: 8px; margin-top: 12px; break-inside: avoid; }
p.facts { margin: 0 0 4px; }
p.facts span { display: inline-block; margin-right: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 10px; }
figure { margin: 0; min-width: 0; }
figcaption { font-size: 12px; color: #555; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font-size: 15px; fill: #333; }
svg .tick { font-size: 13px; fill: #555; }
svg .box { fill: #c6dbef; stroke: #3182bd; }
svg .whisker { stroke: #3182bd; }
svg .median { stroke: #08519c; stroke-width: 2; }
svg .unit { stroke: #c0392b; stroke-width: 2; }
svg .unit-lbl { fill: #c0392b; font-weight: bold; }
svg .axis { stroke: #888; }
svg .grid { stroke: #e5e5e5; }
svg .series-unit { fill: none; stroke: #c0392b; stroke-width: 2; }
svg .series-median { fill: none; stroke: #3182bd; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .pt { fill: #c0392b; }
svg .this-year { stroke: #1a1a1a; stroke-width: 1.5; }
svg .shape { stroke: #555; stroke-width: 0.8; }
svg .unit-shape { stroke: #c0392b; stroke-width: 2.5; }
svg .map-lbl { font-size: 14px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .swatch { stroke: #888; stroke-width: 0.5; }
figure.map { max-width: 520px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
}
$css$;
COMMENT ON FUNCTION @extschema@._report_css() IS 'Internal: the style sheet of the html report, screen and print (A4), no external resource (smup.report).';

CREATE FUNCTION @extschema@.report(jst_id text, year int, format text DEFAULT 'html', lang text DEFAULT 'pl')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET max_parallel_workers_per_gather = 0  -- as smup.profile: a few hundred rows
SET extra_float_digits = 1               -- data- attributes carry each float8 exactly
AS $$
#variable_conflict use_column
DECLARE
    html boolean;
    unit_id text;
    u record;
    bench @extschema@.benchmark[];
    doc text[] := '{}';
    title text;
    heading text;
    ref_comparison text;
    ref_group text;
    ref_medians jsonb;
    pop record;
    ind record;
    cmp record;
    ser record;
    map_indicator text;
    map_name text;
    facts text[];
    position_svg text;
    series_svg text;
    area_now text := '';
    best text;
    worst text;
    L text;
BEGIN
    IF report.jst_id IS NULL OR report.year IS NULL OR report.format IS NULL OR report.lang IS NULL THEN
        RAISE EXCEPTION 'smup.report: jst_id, year, format and lang must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF report.format NOT IN ('html', 'markdown') THEN
        RAISE EXCEPTION 'smup.report: unknown format "%"', report.format
              USING ERRCODE = 'invalid_parameter_value', HINT = 'format is html or markdown';
    END IF;
    IF report.lang NOT IN ('pl', 'en') THEN
        RAISE EXCEPTION 'smup.report: unknown language "%"', report.lang
              USING ERRCODE = 'invalid_parameter_value', HINT = 'lang is pl or en';
    END IF;
    html := report.format = 'html';
    L := report.lang;
    unit_id := @extschema@.jst_id(report.jst_id);  -- any form of the code; a malformed one raises 22P02
    IF unit_id IS NULL THEN
        RAISE EXCEPTION 'unknown unit "%": not in smup.jst', report.jst_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT l.id, l.level, l.kind, l.name, l.display_name, l.powiat_name, l.wojewodztwo_name INTO u
      FROM @extschema@.jst_label l WHERE l.id = unit_id;
    IF u.level = 'kraj' THEN
        RAISE EXCEPTION 'smup.report: % is compared with no group; a report is of a gmina, a powiat or a województwo', u.display_name
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Poland''s values are in smup.indicator_value';
    END IF;
    bench := ARRAY(SELECT b FROM @extschema@.benchmark b WHERE b.jst_id = unit_id AND b.year = report.year);
    IF cardinality(bench) = 0 THEN
        RAISE EXCEPTION 'smup.report: % (%) has no indicator values in %', u.display_name, unit_id, report.year
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = coalesce('years with values: ' || (SELECT string_agg(DISTINCT v.year::text, ', ') FROM @extschema@.indicator_value v
                                                              WHERE v.jst_id = unit_id),
                                    'no values at all: has smup.refresh() run since the data was loaded?');
    END IF;

    -- the group the summary and the time series compare with: the peers, else the first there is
    SELECT b.comparison, b.group_name INTO ref_comparison, ref_group FROM unnest(bench) b
     ORDER BY b.comparison <> 'peer', @extschema@._report_comparison_order(b.comparison), b.group_name LIMIT 1;
    -- population and area: the density's numerator and denominator, of the year or the nearest one
    SELECT v.year, v.numerator AS population, v.denominator AS area INTO pop
      FROM @extschema@.indicator_value v
     WHERE v.jst_id = unit_id AND v.indicator = 'gestosc_zaludnienia' AND v.status = 'value'
     ORDER BY abs(v.year - report.year), v.year DESC LIMIT 1;

    -- the reference group's median of every indicator in every year, for the time series
    ref_medians := (SELECT jsonb_object_agg(b.indicator || ':' || b.year, b.group_median) FROM @extschema@.benchmark b
                     WHERE b.jst_id = unit_id AND b.comparison = ref_comparison AND b.group_median IS NOT NULL);
    title := @extschema@._report_text('title_' || u.level, L);
    heading := u.display_name || ', ' || report.year;

    -- ---- head and card ----
    IF html THEN
        doc := doc || format(E'<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n',
                             L, @extschema@._xml_escape(title || ': ' || heading), @extschema@._report_css());
        doc := doc || format(E'<header id="report" data-jst-id="%s" data-year="%s" data-lang="%s">\n<h1>%s</h1>\n<p class="subtitle">%s</p>\n</header>\n',
                             unit_id, report.year, L, @extschema@._xml_escape(title), @extschema@._xml_escape(heading));
        doc := doc || format(E'<section id="card">\n<h2>%s</h2>\n<table class="card">\n', @extschema@._xml_escape(@extschema@._report_text('card', L)));
    ELSE
        doc := doc || format(E'# %s\n\n**%s**\n\n## %s\n\n| | |\n|---|---|\n', @extschema@._md_escape(title), @extschema@._md_escape(heading),
                             @extschema@._md_escape(@extschema@._report_text('card', L)));
    END IF;
    doc := doc || (
        SELECT string_agg(CASE WHEN html THEN format(E'<tr><th>%s</th><td%s>%s</td></tr>\n', @extschema@._xml_escape(r.k), r.attr, @extschema@._xml_escape(r.v))
                               ELSE format(E'| %s | %s |\n', @extschema@._md_escape(r.k), @extschema@._md_escape(r.v)) END, '' ORDER BY r.ord)
          FROM (VALUES (1, @extschema@._report_text('kind', L), u.kind, ''),
                       (2, @extschema@._report_text('teryt', L), unit_id, ''),
                       (3, @extschema@._report_text('powiat', L), CASE WHEN u.level = 'gmina' THEN u.powiat_name END, ''),
                       (4, @extschema@._report_text('wojewodztwo', L), CASE WHEN u.level <> 'wojewodztwo' THEN u.wojewodztwo_name END, ''),
                       (5, @extschema@._report_text('population', L) || CASE WHEN pop.year <> report.year THEN ', ' || pop.year ELSE '' END,
                           @extschema@._report_number(pop.population, 0, L), format(' class="num" data-population="%s"', pop.population)),
                       (6, @extschema@._report_text('area_km2', L), @extschema@._report_number(pop.area, 2, L) || ' km²',
                           format(' class="num" data-area-km2="%s"', pop.area))) AS r(ord, k, v, attr)
         WHERE r.v IS NOT NULL);
    -- its comparison groups, in the fixed order, with their largest n
    doc := doc || (
        SELECT CASE WHEN html THEN format(E'<tr><th>%s</th><td><ul class="groups">%s</ul></td></tr>\n</table>\n</section>\n',
                                          @extschema@._xml_escape(@extschema@._report_text('groups', L)),
                                          string_agg(format('<li data-comparison="%s">%s (%s %s)</li>', @extschema@._xml_escape(g.comparison),
                                                            @extschema@._xml_escape(g.label), g.n, @extschema@._report_text('units', L)), '' ORDER BY g.ord, g.group_name))
                    ELSE format(E'| %s | %s |\n\n', @extschema@._md_escape(@extschema@._report_text('groups', L)),
                                string_agg(@extschema@._md_escape(format('%s (%s %s)', g.label, g.n, @extschema@._report_text('units', L))), '; '
                                           ORDER BY g.ord, g.group_name)) END
          FROM (SELECT b.comparison, b.group_name, max(b.group_n) AS n, @extschema@._report_comparison_order(b.comparison) AS ord,
                       @extschema@._report_group_label(b.comparison, b.group_name, L) AS label
                  FROM unnest(bench) b GROUP BY b.comparison, b.group_name) g);

    -- ---- summary: the strongest and weakest judged positions against the reference group ----
    SELECT string_agg(format('%s (%s %s, %s %s %s %s)', coalesce(CASE WHEN L = 'en' THEN c.name_en END, c.name_pl),
                             lower(@extschema@._report_text('percentile', L)), round(b.percentile::numeric),
                             lower(@extschema@._report_text('rank', L)), b.rank, @extschema@._report_text('of', L), b.group_n), '; '
                      ORDER BY b.percentile DESC, b.indicator)
      INTO best
      FROM (SELECT * FROM unnest(bench) x WHERE x.comparison = ref_comparison AND x.group_name = ref_group
               AND x.direction = 'best' AND x.percentile >= 50 ORDER BY x.percentile DESC, x.indicator LIMIT 3) b
      JOIN @extschema@.indicator c ON c.code = b.indicator;
    SELECT string_agg(format('%s (%s %s, %s %s %s %s)', coalesce(CASE WHEN L = 'en' THEN c.name_en END, c.name_pl),
                             lower(@extschema@._report_text('percentile', L)), round(b.percentile::numeric),
                             lower(@extschema@._report_text('rank', L)), b.rank, @extschema@._report_text('of', L), b.group_n), '; '
                      ORDER BY b.percentile, b.indicator)
      INTO worst
      FROM (SELECT * FROM unnest(bench) x WHERE x.comparison = ref_comparison AND x.group_name = ref_group
               AND x.direction = 'best' AND x.percentile < 50 ORDER BY x.percentile, x.indicator LIMIT 3) b
      JOIN @extschema@.indicator c ON c.code = b.indicator;
    IF html THEN
        doc := doc || format(E'<section id="summary">\n<h2>%s</h2>\n<p>%s %s: %s.</p>\n', @extschema@._xml_escape(@extschema@._report_text('summary', L)),
                             @extschema@._xml_escape(@extschema@._report_text('against', L)),
                             @extschema@._xml_escape(@extschema@._report_comparison_label(ref_comparison, L)),
                             @extschema@._xml_escape(ref_group));
        IF best IS NULL AND worst IS NULL THEN
            doc := doc || format(E'<p>%s</p>\n', @extschema@._xml_escape(@extschema@._report_text('no_judged', L)));
        END IF;
        IF best IS NOT NULL THEN
            doc := doc || format(E'<p class="strongest"><b>%s:</b> %s.</p>\n', @extschema@._xml_escape(@extschema@._report_text('strongest', L)), @extschema@._xml_escape(best));
        END IF;
        IF worst IS NOT NULL THEN
            doc := doc || format(E'<p class="weakest"><b>%s:</b> %s.</p>\n', @extschema@._xml_escape(@extschema@._report_text('weakest', L)), @extschema@._xml_escape(worst));
        END IF;
        doc := doc || format(E'<p class="muted">%s</p>\n</section>\n', @extschema@._xml_escape(@extschema@._report_text('summary_note', L)));
    ELSE
        doc := doc || (format(E'## %s\n\n%s %s: %s.\n\n', @extschema@._md_escape(@extschema@._report_text('summary', L)),
                             @extschema@._md_escape(@extschema@._report_text('against', L)),
                             @extschema@._md_escape(@extschema@._report_comparison_label(ref_comparison, L)), @extschema@._md_escape(ref_group))
               || CASE WHEN best IS NULL AND worst IS NULL THEN @extschema@._md_escape(@extschema@._report_text('no_judged', L)) || E'\n\n' ELSE '' END
               || coalesce(format(E'- **%s:** %s.\n', @extschema@._md_escape(@extschema@._report_text('strongest', L)), @extschema@._md_escape(best)), '')
               || coalesce(format(E'- **%s:** %s.\n', @extschema@._md_escape(@extschema@._report_text('weakest', L)), @extschema@._md_escape(worst)), '')
               || E'\n' || @extschema@._md_escape(@extschema@._report_text('summary_note', L)) || E'\n\n');
    END IF;

    -- ---- map: the unit and its neighbours shaded by the judged indicator most of them have ----
    IF html THEN
        SELECT b.indicator, coalesce(CASE WHEN L = 'en' THEN c.name_en END, c.name_pl) || ' (' || c.unit || '), ' || report.year
          INTO map_indicator, map_name
          FROM unnest(bench) b JOIN @extschema@.indicator c ON c.code = b.indicator
         WHERE b.status IN ('value', '-')
         ORDER BY b.comparison <> 'neighbours', b.polarity = 'neutral', b.group_n DESC, b.area, b.indicator LIMIT 1;
        IF map_indicator IS NOT NULL THEN
            doc := doc || format(E'<section id="map">\n<h2>%s</h2>\n<figure class="map" data-indicator="%s">%s<figcaption>%s</figcaption></figure>\n</section>\n',
                                 @extschema@._xml_escape(@extschema@._report_text('map', L)), @extschema@._xml_escape(map_indicator),
                                 @extschema@._report_map_svg(unit_id, report.year, map_indicator, map_name, L),
                                 @extschema@._xml_escape(map_name));
        END IF;
    END IF;

    -- ---- every area, every indicator ----
    FOR ind IN
        SELECT b.indicator, b.area, b.polarity, b.value, b.status, b.ci_lower, b.ci_upper, b.change_prev_year, b.trend_slope,
               coalesce(CASE WHEN L = 'en' THEN c.name_en END, c.name_pl) AS name, c.unit,
               coalesce(CASE WHEN L = 'en' THEN a.name_en END, a.name_pl) AS area_name
          FROM (SELECT DISTINCT x.indicator, x.area, x.polarity, x.value, x.status, x.ci_lower, x.ci_upper, x.change_prev_year, x.trend_slope
                  FROM unnest(bench) x) b
          JOIN @extschema@.indicator c ON c.code = b.indicator
          JOIN @extschema@.area a ON a.code = c.area
         ORDER BY b.area, b.polarity = 'neutral', b.indicator
    LOOP
        IF ind.area IS DISTINCT FROM area_now THEN
            IF html THEN
                doc := doc || CASE WHEN area_now <> '' THEN E'</section>\n' ELSE '' END
                           || format(E'<section class="area" data-area="%s">\n<h2>%s</h2>\n', @extschema@._xml_escape(ind.area),
                                     @extschema@._xml_escape(upper(left(ind.area_name, 1)) || substr(ind.area_name, 2)));
            ELSE
                doc := doc || format(E'## %s\n\n', @extschema@._md_escape(upper(left(ind.area_name, 1)) || substr(ind.area_name, 2)));
            END IF;
            area_now := ind.area;
        END IF;
        -- the unit's years, against the reference group's median
        SELECT array_agg(v.year ORDER BY v.year) AS years, array_agg(v.value ORDER BY v.year) AS vals,
               array_agg(m.group_median ORDER BY v.year) AS medians,
               min(v.year) FILTER (WHERE v.value IS NOT NULL) AS first_year, max(v.year) FILTER (WHERE v.value IS NOT NULL) AS last_year,
               (array_agg(v.value ORDER BY v.year) FILTER (WHERE v.value IS NOT NULL))[1] AS first_value
          INTO ser
          FROM (SELECT iv.year, CASE WHEN iv.status IN ('value', '-') THEN iv.value END AS value
                  FROM @extschema@.indicator_value iv WHERE iv.jst_id = unit_id AND iv.indicator = ind.indicator) v
          LEFT JOIN LATERAL (SELECT (ref_medians ->> (ind.indicator || ':' || v.year))::float8 AS group_median) m ON true;
        facts := ARRAY[
            format('%s: %s', @extschema@._report_text('value', L),
                   CASE WHEN ind.status = 'value' THEN @extschema@._report_number(ind.value, 2, L) || ' ' || ind.unit
                        ELSE ind.status || ' (' || @extschema@._report_text('mark_' || ind.status, L) || ')' END),
            format('%s: %s', @extschema@._report_text('change', L), coalesce(@extschema@._report_signed(ind.change_prev_year, 2, L), '–')),
            format('%s %s: %s', @extschema@._report_text('change_since', L), ser.first_year,
                   coalesce(@extschema@._report_signed(CASE WHEN ser.first_year < report.year AND ind.status IN ('value', '-') THEN ind.value - ser.first_value END, 2, L), '–')),
            format('%s: %s', @extschema@._report_text('trend', L),
                   coalesce(@extschema@._report_signed(ind.trend_slope, 2, L) || ' ' || @extschema@._report_text('per_year', L)
                            || format(' (%s–%s)', ser.first_year, ser.last_year), '–')),
            format('%s: %s', @extschema@._report_text('polarity', L), @extschema@._report_text(ind.polarity, L))]
            || CASE WHEN ind.ci_lower IS NOT NULL
                    THEN ARRAY[format('%s: %s – %s', @extschema@._report_text('ci', L), @extschema@._report_number(ind.ci_lower, 2, L),
                                      @extschema@._report_number(ind.ci_upper, 2, L))]
                    ELSE '{}' END;
        IF html THEN
            doc := doc || format(E'<article class="indicator" data-indicator="%s" data-value="%s" data-status="%s" data-change="%s" data-change-since-first="%s" data-trend="%s" data-ci-lower="%s" data-ci-upper="%s">\n<h3>%s <small>(%s)</small></h3>\n<p class="facts">%s</p>\n',
                                 @extschema@._xml_escape(ind.indicator), ind.value, @extschema@._xml_escape(ind.status), ind.change_prev_year,
                                 CASE WHEN ser.first_year < report.year AND ind.status IN ('value', '-') THEN ind.value - ser.first_value END, ind.trend_slope,
                                 ind.ci_lower, ind.ci_upper, @extschema@._xml_escape(ind.name), @extschema@._xml_escape(ind.unit),
                                 (SELECT string_agg('<span>' || @extschema@._xml_escape(f) || '</span>', '') FROM unnest(facts) f));
            doc := doc || format(E'<table class="position">\n<tr><th>%s</th><th class="num">%s</th><th class="num">%s</th><th class="num">%s</th><th class="num">%s</th><th class="num">%s</th><th class="num">%s</th></tr>\n',
                                 @extschema@._report_text('group', L), @extschema@._report_text('n', L), @extschema@._report_text('rank', L),
                                 @extschema@._report_text('percentile', L), @extschema@._report_text('q1', L), @extschema@._report_text('median', L),
                                 @extschema@._report_text('q3', L));
        ELSE
            doc := doc || format(E'### %s (%s)\n\n%s\n\n| %s | %s | %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|---:|---:|\n',
                                 @extschema@._md_escape(ind.name), @extschema@._md_escape(ind.unit),
                                 (SELECT string_agg(@extschema@._md_escape(f), ' · ') FROM unnest(facts) f),
                                 @extschema@._report_text('group', L), @extschema@._report_text('n', L), @extschema@._report_text('rank', L),
                                 @extschema@._report_text('percentile', L), @extschema@._report_text('q1', L), @extschema@._report_text('median', L),
                                 @extschema@._report_text('q3', L));
        END IF;
        doc := doc || (
            SELECT string_agg(
                       CASE WHEN html
                            THEN format(E'<tr data-indicator="%s" data-comparison="%s" data-group-id="%s" data-group-n="%s" data-rank="%s" data-percentile="%s" data-q1="%s" data-median="%s" data-q3="%s"><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td></tr>\n',
                                        @extschema@._xml_escape(b.indicator), @extschema@._xml_escape(b.comparison), @extschema@._xml_escape(b.group_id), b.group_n, b.rank, b.percentile,
                                        b.group_q1, b.group_median, b.group_q3, @extschema@._xml_escape(b.label),
                                        coalesce(b.group_n::text, '–'), coalesce(b.rank::text, '–'),
                                        coalesce(@extschema@._report_number(b.percentile, 0, L), '–'),
                                        coalesce(@extschema@._report_number(b.group_q1, 2, L), '–'), coalesce(@extschema@._report_number(b.group_median, 2, L), '–'),
                                        coalesce(@extschema@._report_number(b.group_q3, 2, L), '–'))
                            ELSE format(E'| %s | %s | %s | %s | %s | %s | %s |\n', @extschema@._md_escape(b.label),
                                        coalesce(b.group_n::text, '–'), coalesce(b.rank::text, '–'),
                                        coalesce(@extschema@._report_number(b.percentile, 0, L), '–'),
                                        coalesce(@extschema@._report_number(b.group_q1, 2, L), '–'), coalesce(@extschema@._report_number(b.group_median, 2, L), '–'),
                                        coalesce(@extschema@._report_number(b.group_q3, 2, L), '–')) END,
                       '' ORDER BY @extschema@._report_comparison_order(b.comparison), b.group_name)
              FROM (SELECT x.*, @extschema@._report_group_label(x.comparison, x.group_name, L) AS label
                      FROM unnest(bench) x WHERE x.indicator = ind.indicator) b);
        IF html THEN
            SELECT @extschema@._report_position_svg(
                       array_agg(CASE WHEN b.ord < 6 THEN @extschema@._report_text('short_' || b.comparison, L) ELSE b.group_name END
                                 ORDER BY b.ord, b.group_name),
                       array_agg(b.group_min ORDER BY b.ord, b.group_name), array_agg(b.group_q1 ORDER BY b.ord, b.group_name),
                       array_agg(b.group_median ORDER BY b.ord, b.group_name), array_agg(b.group_q3 ORDER BY b.ord, b.group_name),
                       array_agg(b.group_max ORDER BY b.ord, b.group_name),
                       CASE WHEN ind.status IN ('value', '-') THEN ind.value END, u.name, L)
              INTO position_svg
              FROM (SELECT x.*, @extschema@._report_comparison_order(x.comparison) AS ord FROM unnest(bench) x WHERE x.indicator = ind.indicator) b;
            series_svg := @extschema@._report_series_svg(ser.years, ser.vals, ser.medians, report.year, u.name,
                                                         CASE WHEN @extschema@._report_comparison_order(ref_comparison) < 6
                                                              THEN @extschema@._report_text('short_' || ref_comparison, L) ELSE ref_group END, L);
            doc := doc || format(E'</table>\n<div class="charts">%s%s</div>\n</article>\n',
                                 coalesce(format('<figure>%s<figcaption>%s</figcaption></figure>', position_svg,
                                                 @extschema@._xml_escape(@extschema@._report_text('chart_position', L))), ''),
                                 coalesce(format('<figure>%s<figcaption>%s</figcaption></figure>', series_svg,
                                                 @extschema@._xml_escape(@extschema@._report_text('chart_series', L))), ''));
        ELSE
            doc := doc || E'\n'::text;
        END IF;
    END LOOP;
    IF html THEN
        doc := doc || E'</section>\n'::text;
    END IF;

    -- ---- sources and method ----
    IF html THEN
        doc := doc || format(E'<section id="method">\n<h2>%s</h2>\n<h3>%s</h3>\n<table class="method">\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n',
                             @extschema@._xml_escape(@extschema@._report_text('method', L)), @extschema@._xml_escape(@extschema@._report_text('indicators', L)),
                             @extschema@._xml_escape(@extschema@._report_text('indicator', L)), @extschema@._xml_escape(@extschema@._report_text('formula', L)),
                             @extschema@._xml_escape(@extschema@._report_text('source', L)));
    ELSE
        doc := doc || format(E'## %s\n\n### %s\n\n| %s | %s | %s |\n|---|---|---|\n', @extschema@._md_escape(@extschema@._report_text('method', L)),
                             @extschema@._md_escape(@extschema@._report_text('indicators', L)), @extschema@._md_escape(@extschema@._report_text('indicator', L)),
                             @extschema@._md_escape(@extschema@._report_text('formula', L)), @extschema@._md_escape(@extschema@._report_text('source', L)));
    END IF;
    doc := doc || (
        SELECT string_agg(CASE WHEN html
                               THEN format(E'<tr><td>%s<br><small>%s</small></td><td>%s <small>(%s; %s)</small></td><td>%s</td></tr>\n',
                                           @extschema@._xml_escape(m.name), @extschema@._xml_escape(m.code), @extschema@._xml_escape(m.description),
                                           @extschema@._xml_escape(m.unit), @extschema@._xml_escape(@extschema@._report_text(m.polarity, L)),
                                           @extschema@._xml_escape(m.source))
                               ELSE format(E'| %s (`%s`) | %s (%s; %s) | %s |\n', @extschema@._md_escape(m.name), m.code,
                                           @extschema@._md_escape(m.description), @extschema@._md_escape(m.unit),
                                           @extschema@._md_escape(@extschema@._report_text(m.polarity, L)), @extschema@._md_escape(m.source)) END,
                          '' ORDER BY m.area, m.polarity = 'neutral', m.code)
          FROM (SELECT c.code, c.area, c.polarity, coalesce(CASE WHEN L = 'en' THEN c.name_en END, c.name_pl) AS name, c.unit,
                       coalesce(c.description, '') AS description, coalesce(c.source, '') AS source
                  FROM @extschema@.indicator c WHERE c.code IN (SELECT x.indicator FROM unnest(bench) x)) m);
    -- the groups' definitions, the GUS symbols, how positions are computed, the sources
    doc := doc || CASE WHEN html
        THEN format(E'</table>\n<h3>%s</h3>\n<ul>\n%s</ul>\n<h3>%s</h3>\n<ul>\n%s</ul>\n<p>%s</p>\n<p class="sources">%s</p>\n<p class="muted">%s</p>\n</section>\n</body>\n</html>\n',
                    @extschema@._xml_escape(@extschema@._report_text('group_definitions', L)),
                    (SELECT string_agg(format(E'<li><b>%s</b>: %s</li>\n', @extschema@._xml_escape(@extschema@._report_comparison_label(g.comparison, L)),
                                              @extschema@._xml_escape(@extschema@._report_text(CASE WHEN g.ord < 100 THEN 'def_' || g.comparison ELSE 'def_other' END, L))),
                                       '' ORDER BY g.ord, g.comparison)
                       FROM (SELECT DISTINCT x.comparison, @extschema@._report_comparison_order(x.comparison) AS ord FROM unnest(bench) x) g),
                    @extschema@._xml_escape(@extschema@._report_text('marks', L)),
                    (SELECT string_agg(format(E'<li><span class="mark">%s</span> %s</li>\n', s, @extschema@._xml_escape(@extschema@._report_text('mark_' || s, L))), '')
                       FROM unnest(ARRAY['-', '.', 'x', '#']) s),
                    @extschema@._xml_escape(@extschema@._report_text('position_method', L)),
                    @extschema@._xml_escape((SELECT string_agg(DISTINCT 'Źródło: ' || regexp_replace(btrim(s), '^GUS ', 'GUS, '), '. ')
                                               FROM @extschema@.indicator c
                                               CROSS JOIN regexp_split_to_table(c.source, '[;,]') s
                                              WHERE c.code IN (SELECT x.indicator FROM unnest(bench) x) AND btrim(s) <> '')
                                            || '. ' || @extschema@._report_text('boundaries', L) || '.'),
                    @extschema@._xml_escape(@extschema@._report_text('generated', L)))
        ELSE format(E'\n### %s\n\n%s\n### %s\n\n%s\n%s\n\n%s\n\n%s\n',
                    @extschema@._md_escape(@extschema@._report_text('group_definitions', L)),
                    (SELECT string_agg(format(E'- **%s**: %s\n', @extschema@._md_escape(@extschema@._report_comparison_label(g.comparison, L)),
                                              @extschema@._md_escape(@extschema@._report_text(CASE WHEN g.ord < 100 THEN 'def_' || g.comparison ELSE 'def_other' END, L))),
                                       '' ORDER BY g.ord, g.comparison)
                       FROM (SELECT DISTINCT x.comparison, @extschema@._report_comparison_order(x.comparison) AS ord FROM unnest(bench) x) g),
                    @extschema@._md_escape(@extschema@._report_text('marks', L)),
                    (SELECT string_agg(format(E'- `%s` %s\n', s, @extschema@._md_escape(@extschema@._report_text('mark_' || s, L))), '')
                       FROM unnest(ARRAY['-', '.', 'x', '#']) s),
                    @extschema@._md_escape(@extschema@._report_text('position_method', L)),
                    @extschema@._md_escape((SELECT string_agg(DISTINCT 'Źródło: ' || regexp_replace(btrim(s), '^GUS ', 'GUS, '), '. ')
                                              FROM @extschema@.indicator c
                                              CROSS JOIN regexp_split_to_table(c.source, '[;,]') s
                                             WHERE c.code IN (SELECT x.indicator FROM unnest(bench) x) AND btrim(s) <> '')),
                    @extschema@._md_escape(@extschema@._report_text('generated', L))) END;
    RETURN array_to_string(doc, '');
END;
$$;
COMMENT ON FUNCTION @extschema@.report(text, int, text, text) IS
  'Raport o stanie gminy / one unit''s report for one year as one self-contained document: format html (inline SVG charts, print CSS, nothing fetched: no script, font or image) or markdown; lang pl (default) or en. Contains the unit''s card and comparison groups, a summary of its strongest and weakest positions against its peers, a map of it and its neighbours (html), and for every indicator of every SMUP area its value (GUS marks where missing), change since the previous year, trend, confidence interval and position in each comparison group of smup.benchmark (rank, percentile, quartiles) with a box plot and a time series (html); then the indicators'' formulae, the groups'' definitions and the sources. jst_id takes any form smup.jst_id accepts. Unknown unit, year without data, unknown format or language: 22023; a malformed code 22P02; a NULL argument 22004.';

-- ==== sql/install/99-catalogue-edits.sql ====
-- Last in the install script: from here on an edit to a shipped catalogue row is the user's
-- (smup._catalogue_row_edit in 40-catalogue.sql). The install's own updates of shipped rows, in
-- any earlier part, stay shipped.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['area', 'service', 'variable', 'indicator'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON @extschema@.%I FOR EACH ROW EXECUTE FUNCTION @extschema@._catalogue_row_edit()',
                       t || '_edit_kept', t);
    END LOOP;
END;
$$;
