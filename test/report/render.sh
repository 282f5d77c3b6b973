#!/bin/bash
# Renders smup.report's html in headless Chromium (Debian package chromium) and checks what a
# reader would see: the page renders to PNG and PDF, no console error, every chart drawn, and
# nothing wider than an A4 page. Prints TAP; exits non-zero on a failure.
#   test/report/render.sh                      Frombork (280203), 2019, against the database in PG*
#   test/report/render.sh --png docs/report-frombork.png    also keeps the screenshot
# Run by test/run_sql_tests.sh in the pg_virtualenv cluster (PG* set, the shipped data loaded).
set -euo pipefail
cd "$(dirname "$0")/../.."

png_out=
if [ "${1:-}" = --png ]; then png_out=$2; shift 2; fi
unit=${SMUP_REPORT_UNIT:-280203}
year=${SMUP_REPORT_YEAR:-2019}

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "not ok 1 - chromium is not installed (make deps installs it)"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# its own profile, no sandbox (root in a container), no GPU, nothing fetched in the background
chrome() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --user-data-dir="$work/profile" "$@"
}

n=0
failed=0
check() {  # check <description> <condition as a shell command>
    local what=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; failed=$((failed + 1)); fi
}

psql -X -At -v ON_ERROR_STOP=1 -c "SELECT smup.report('$unit', $year)" > "$work/report.html"
expected_svgs=$(psql -X -At -v ON_ERROR_STOP=1 -c "SELECT 2 * count(*) + 1 FROM smup.profile('$unit', $year)")

# 1. the page as it is: a screenshot and a PDF, with the console on stderr
chrome --enable-logging=stderr --v=0 --window-size=900,2200 --screenshot="$work/report.png" \
    "file://$work/report.html" > "$work/png.out" 2> "$work/png.log" || true
check "the page renders to a PNG" test -s "$work/report.png"
check "the PNG is a PNG image" sh -c "head -c 8 '$work/report.png' | od -An -c | grep -q 'P   N   G'"
console=$(grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR' "$work/png.log" || true)
check "no console message or failed load${console:+: $console}" test -z "$console"

chrome --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "file://$work/report.html" > /dev/null 2>&1 || true
check "the page prints to a PDF" sh -c "head -c 5 '$work/report.pdf' | grep -q '%PDF-'"
pages=$(grep -a -o '/Count [0-9]*' "$work/report.pdf" | head -1 | cut -d' ' -f2 || true)
check "the PDF has several A4 pages ($pages)" test "${pages:-0}" -ge 2

# 2. the same page at the width of an A4 page (794 CSS px), with a script added for this test
# only (the report itself has none): it writes what it measured into the title for --dump-dom
measure='<script>
(function () {
  var w = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) wide.push(e.tagName + "." + (e.getAttribute("class") || ""));
  });
  var drawn = 0;
  document.querySelectorAll("svg").forEach(function (s) { var r = s.getBoundingClientRect(); if (r.width > 50 && r.height > 20 && s.childElementCount > 2) drawn++; });
  document.title = "measured " + document.documentElement.scrollWidth + " " + w + " " + document.querySelectorAll("svg").length + " " + drawn + " " + wide.length + " " + wide.slice(0, 5).join(",");
})();
</script>'
awk -v s="$measure" '{ if ($0 ~ /<\/body>/) print s; print }' "$work/report.html" > "$work/measure.html"
chrome --window-size=794,1123 --dump-dom "file://$work/measure.html" > "$work/dom.html" 2> /dev/null || true
read -r _ scroll_width client_width svgs drawn n_wide wide <<< "$(grep -o '<title>measured [^<]*' "$work/dom.html" | sed 's/<title>//')"
check "the measuring copy ran (title: ${scroll_width:-none})" test -n "${scroll_width:-}"
check "every chart is in the page: $svgs svg elements, $expected_svgs expected" test "${svgs:-0}" = "$expected_svgs"
check "every chart is drawn with a size: $drawn of $expected_svgs" test "${drawn:-0}" = "$expected_svgs"
check "nothing wider than an A4 page: scrollWidth ${scroll_width:-?} <= ${client_width:-?}" test "${scroll_width:-1}" -le "${client_width:-0}"
check "no element beyond the page's edges${wide:+: $wide}" test "${n_wide:-1}" = 0

if [ -n "$png_out" ]; then
    cp "$work/report.png" "$png_out"
    echo "# screenshot kept in $png_out"
fi
echo "1..$n"
[ "$failed" = 0 ]
