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
 -- the unit has no value of its own, observed or a sum of its own parts: two probes of the
 -- observations by unit, variable and year (OFFSET 0 keeps each a probe: as an anti-join or a
 -- hashed subplan the planner may hash every observation; an anti-join with
 -- smup._observation_unit would compute the unit's sums in every year to compare)
 WHERE NOT EXISTS (SELECT FROM @extschema@.observation d
                    WHERE d.jst_id = a.id AND d.variable = o.variable AND d.year = o.year OFFSET 0)
   AND NOT EXISTS (SELECT FROM @extschema@.observation d
                    WHERE d.jst_id = a.id AND d.variable = ANY (v.sum_of) AND d.year = o.year OFFSET 0)
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

