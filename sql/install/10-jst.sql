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
