#!/bin/bash
# Spatial autocorrelation: smup.moran_i and smup.local_moran against R spdep's moran.mc and
# localmoran_perm, in the same run and on the same data: own revenues per capita 2019 (the
# catalogue's dochody_wlasne_na_mieszkanca: dochody_wlasne / ludnosc_ogolem) of the 2477 gminy,
# queen contiguity (smup.neighbours), row-standardised weights, 999 permutations. Best of 5 for
# smup (the calls read both tables through SPI), best of 3 for R (the listw built beforehand, not
# timed). Installs r-cran-spdep from Debian when missing; skips R when that is impossible.
# Run by bench/run.sh (PG* set, smup and the shipped data loaded, nothing refreshed yet).
set -euo pipefail
cd "$(dirname "$0")/.."
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -P pager=off)

have_spdep() { command -v Rscript >/dev/null && Rscript -e 'quit(status = !requireNamespace("spdep", quietly = TRUE))' >/dev/null 2>&1; }
if ! have_spdep; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    echo "installing r-cran-spdep (Debian) for the comparison ..."
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends r-cran-spdep >/dev/null 2>&1 \
        || { $SUDO apt-get update >/dev/null 2>&1 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends r-cran-spdep >/dev/null 2>&1; } \
        || echo "r-cran-spdep could not be installed: smup timed alone"
fi

"${PSQL[@]}" <<'SQL'
DROP TABLE IF EXISTS bench_ac_value, bench_ac_pair;
-- the indicator's own definition, from the observations (make bench does not refresh first);
-- each side read once, for the one variable and year (joined to the view, the planner would
-- recompute its sums of the gminy row by row)
CREATE TABLE bench_ac_value AS
WITH n AS MATERIALIZED (SELECT o.jst_id, o.value FROM smup.observation_all o
                         WHERE o.variable = (SELECT numerator FROM smup.indicator WHERE code = 'dochody_wlasne_na_mieszkanca')
                           AND o.year = 2019 AND o.status IN ('value', '-')),
     d AS MATERIALIZED (SELECT o.jst_id, o.value FROM smup.observation_all o
                         WHERE o.variable = (SELECT denominator FROM smup.indicator WHERE code = 'dochody_wlasne_na_mieszkanca')
                           AND o.year = 2019 AND o.status = 'value' AND o.value > 0)
SELECT j.id, n.value / d.value * i.multiplier + i.value_offset AS value
  FROM smup.indicator i CROSS JOIN smup.jst j JOIN n ON n.jst_id = j.id JOIN d ON d.jst_id = j.id
 WHERE j.level = 'gmina' AND i.code = 'dochody_wlasne_na_mieszkanca';
CREATE TABLE bench_ac_pair AS
SELECT n.id, n.neighbour_id FROM smup.neighbours('gmina', 'queen') n
 WHERE n.id IN (SELECT id FROM bench_ac_value) AND n.neighbour_id IN (SELECT id FROM bench_ac_value);
ANALYZE bench_ac_value;
ANALYZE bench_ac_pair;
SELECT format('own revenues per capita 2019: %s gminy, %s queen pairs (directed)',
              (SELECT count(*) FROM bench_ac_value), (SELECT count(*) FROM bench_ac_pair)) AS data;
SQL

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
"${PSQL[@]}" -c "\\copy (SELECT id, value FROM bench_ac_value ORDER BY id) TO '$tmp/values.csv' CSV HEADER" \
             -c "\\copy (SELECT id, neighbour_id FROM bench_ac_pair ORDER BY id, neighbour_id) TO '$tmp/pairs.csv' CSV HEADER"

read -r smup_moran smup_local smup_i smup_p smup_hh < <("${PSQL[@]}" -t -A -F ' ' <<'SQL'
\i bench/lib/best_ms.sql
SELECT round(pg_temp.best_ms($$SELECT * FROM smup.moran_i('SELECT id, value FROM bench_ac_value', 'SELECT id, neighbour_id FROM bench_ac_pair', 'W', 999, 1)$$)::numeric, 1),
       round(pg_temp.best_ms($$SELECT count(*) FROM smup.local_moran('SELECT id, value FROM bench_ac_value', 'SELECT id, neighbour_id FROM bench_ac_pair', 'W', 999, 1)$$)::numeric, 1),
       (SELECT i FROM smup.moran_i('SELECT id, value FROM bench_ac_value', 'SELECT id, neighbour_id FROM bench_ac_pair', 'W', 999, 1)),
       (SELECT p_permutation FROM smup.moran_i('SELECT id, value FROM bench_ac_value', 'SELECT id, neighbour_id FROM bench_ac_pair', 'W', 999, 1)),
       (SELECT count(*) FROM smup.local_moran('SELECT id, value FROM bench_ac_value', 'SELECT id, neighbour_id FROM bench_ac_pair') WHERE cluster = 'HH');
SQL
)
echo "smup: moran_i (999 permutations) ${smup_moran} ms, local_moran (999 conditional permutations) ${smup_local} ms; I = ${smup_i}, pseudo p ${smup_p}, ${smup_hh} HH gminy"

if ! have_spdep; then
    echo "R spdep not available: no ratio"
    exit 0
fi
read -r r_moran r_local r_i r_version < <(Rscript - "$tmp" 2>/dev/null <<'R'
suppressMessages(library(spdep))
dir <- commandArgs(TRUE)[1]
v <- read.csv(file.path(dir, "values.csv"), colClasses = c("character", "numeric"))
p <- read.csv(file.path(dir, "pairs.csv"), colClasses = c("character", "character"))
nb <- lapply(split(match(p$neighbour_id, v$id), factor(p$id, levels = v$id)), function(k) if (length(k)) sort(as.integer(k)) else 0L)
names(nb) <- NULL
class(nb) <- "nb"
attr(nb, "region.id") <- v$id
lw <- nb2listw(nb, style = "W")
best <- function(f, n = 3) min(sapply(seq_len(n), function(i) system.time(f())[["elapsed"]])) * 1000
set.seed(1)
t_moran <- best(function() moran.mc(v$value, lw, nsim = 999))
t_local <- best(function() localmoran_perm(v$value, lw, nsim = 999))
cat(round(t_moran, 1), round(t_local, 1), format(moran.test(v$value, lw)$estimate[[1]], digits = 16),
    as.character(packageVersion("spdep")), "\n")
R
)
echo "R spdep ${r_version}: moran.mc ${r_moran} ms, localmoran_perm ${r_local} ms; moran.test I = ${r_i}"
awk -v a="$r_moran" -v b="$smup_moran" -v c="$r_local" -v d="$smup_local" -v i="$smup_i" -v j="$r_i" 'BEGIN {
    printf "ratio moran.mc / smup.moran_i: %.1fx (goal >= 10)\n", a / b
    printf "ratio localmoran_perm / smup.local_moran: %.1fx (goal >= 10)\n", c / d
    printf "same I: %s (|difference| %.1e)\n", ((i - j) ^ 2 < 1e-24 ? "yes" : "NO"), (i > j ? i - j : j - i)
}'
