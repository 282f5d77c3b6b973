# compare_tables DB_A DB_B WHAT [EXCLUDED...]: one TAP line per table of schema smup (except the
# refresh queue, emptied by each refresh, and the EXCLUDED ones), ok when both databases hold the
# same rows (an md5 of the sorted rows). The views are functions of these tables alone, so equal
# tables give equal views. Returns 1 if any differs. Sourced by test/dump_restore.sh and test/upgrade.sh.
compare_tables() {
    local db_a=$1 db_b=$2 what=$3 excluded differ=0 rel a b
    shift 3
    excluded=$(printf "'%s'," refresh_queue "$@")
    local relations digest
    relations=$(psql -X -At -d "$db_a" -c "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
                 WHERE c.relnamespace = 'smup'::regnamespace AND c.relkind IN ('r', 'm') AND c.relname NOT IN (${excluded%,})")
    digest='SELECT md5(coalesce(string_agg(t::text, E'"'"'\n'"'"' ORDER BY t::text), '"'"''"'"')) || '"'"' '"'"' || count(*) FROM smup.%s t'
    for rel in $relations; do
        a=$(psql -X -At -d "$db_a" -c "$(printf "$digest" "$rel")")
        b=$(psql -X -At -d "$db_b" -c "$(printf "$digest" "$rel")")
        if [ "$a" != "$b" ]; then echo "not ok - smup.$rel differs $what ($a vs $b)"; differ=1;
        else echo "ok - smup.$rel identical $what (${a#* } rows)"; fi
    done
    return $differ
}
