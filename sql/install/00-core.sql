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
