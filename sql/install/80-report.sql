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
