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
