-- smup 0.1 → 0.2 (ALTER EXTENSION smup UPDATE TO '0.2'). test/upgrade.sh checks that a 0.1
-- database updated by this script has the catalogue and, after smup.refresh(), the data of a
-- fresh 0.2 install.
\echo Use "ALTER EXTENSION smup UPDATE TO '0.2'" to load this file. \quit
