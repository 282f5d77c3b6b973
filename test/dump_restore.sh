#!/bin/bash
# pg_dump a database with loads, a custom group, an added and an edited catalogue row, restore it
# into a fresh database, refresh both, and compare every table (user data and derived) row for row; then
# load once more in the restored one (its load ids must continue, not restart).
# Run by test/run_sql_tests.sh in the pg_virtualenv cluster (PGHOST/PGPORT/PGUSER set).
set -euo pipefail
source_db=${1:-smup_test}
copy_db=${source_db}_restored

psql -X -q -v ON_ERROR_STOP=1 -d "$source_db" <<'SQL'
INSERT INTO smup.custom_group (name, description) VALUES ('Zalew Wiślany (dump)', 'gminy nad Zalewem Wiślanym');
INSERT INTO smup.custom_group_member (group_name, jst_id) VALUES ('Zalew Wiślany (dump)', '280203'), ('Zalew Wiślany (dump)', '280409');
UPDATE smup.indicator SET description = description || ' Edited before the dump.' WHERE code = 'zgony_na_1000';
-- a parent unit rewritten after its children: pg_dump copies it after them
UPDATE smup.jst SET name = name WHERE id IN ('PL', '28', '2802');
INSERT INTO smup.indicator (code, area, service, name_pl, name_en, dimension, role, numerator, denominator, multiplier,
                            unit, polarity, source, description)
VALUES ('malzenstwa_na_1000', 'SPO', 'SPO.DEM', 'małżeństwa na 1000 ludności', 'marriages per 1000 population', 'ilość',
        'context', 'malzenstwa', 'ludnosc_ogolem', 1000, '‰', 'neutral', 'GUS Tabl. IV', 'malzenstwa / ludnosc_ogolem × 1000.');
SELECT count(*) FROM smup.refresh();
SQL
dropdb --if-exists "$copy_db"
createdb "$copy_db"
pg_dump -Fc -d "$source_db" -f "/tmp/$source_db.dump" 2> /tmp/dump_restore.log  # (it warns of jst's self-reference)
pg_restore --exit-on-error -d "$copy_db" "/tmp/$source_db.dump" 2>> /tmp/dump_restore.log || { cat /tmp/dump_restore.log; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -d "$copy_db" -c 'SELECT count(*) FROM smup.refresh()' > /dev/null

source "$(dirname "$0")/lib/compare_tables.sh"
differ=0
compare_tables "$source_db" "$copy_db" "after dump and restore" || differ=1
next=$(psql -X -At -v ON_ERROR_STOP=1 -d "$copy_db" -c "SELECT load_id > (SELECT max(load_id) FROM smup.load_log WHERE file <> 'after-restore.csv')
        FROM smup.load_table('after-restore.csv', E'kod,zgony\n280203,7\n', 'kod', '{\"zgony\": {\"variable\": \"zgony\", \"year\": 2022}}')")
if [ "$next" = t ]; then echo "ok - a load after the restore gets a new load id"; else echo "not ok - load ids restart after a restore"; differ=1; fi
dropdb "$copy_db"
rm -f "/tmp/$source_db.dump"
exit $differ
