-- The SMUP indicator catalogue: areas, services, variables, indicators. Bilingual: Polish names
-- as GUS writes them, English alongside. Rows shipped with the extension have builtin = true;
-- rows users add are dumped by pg_dump (pg_extension_config_dump below).

CREATE TABLE @extschema@.area (
    code    text PRIMARY KEY,
    name_pl text NOT NULL UNIQUE,
    name_en text NOT NULL UNIQUE,
    builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.area IS 'Obszary SMUP / the 10 SMUP areas of local public services.';
COMMENT ON COLUMN @extschema@.area.code IS 'Short code of the area (EDU, SRO, NIE, SPO, KUL, INW, POD, DRO, GEO, FIN).';
COMMENT ON COLUMN @extschema@.area.name_pl IS 'Nazwa obszaru (Polish).';
COMMENT ON COLUMN @extschema@.area.name_en IS 'Area name (English).';
COMMENT ON COLUMN @extschema@.area.builtin IS 'true for rows shipped with smup; user rows have false and survive pg_dump.';

INSERT INTO @extschema@.area (code, name_pl, name_en, builtin) VALUES
  ('EDU', 'edukacja', 'education', true),
  ('SRO', 'ochrona środowiska', 'environmental protection', true),
  ('NIE', 'gospodarowanie nieruchomościami', 'property management', true),
  ('SPO', 'lokalna polityka społeczna', 'local social policy', true),
  ('KUL', 'kultura i rekreacja', 'culture and recreation', true),
  ('INW', 'inwestycje i budownictwo', 'investment and construction', true),
  ('POD', 'podatki i opłaty lokalne', 'local taxes and fees', true),
  ('DRO', 'drogownictwo i transport', 'roads and transport', true),
  ('GEO', 'geodezja i kartografia', 'geodesy and cartography', true),
  ('FIN', 'finanse JST', 'local government finance', true);

CREATE TABLE @extschema@.service (
    code    text PRIMARY KEY,
    area    text NOT NULL REFERENCES @extschema@.area (code),
    name_pl text NOT NULL,
    name_en text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,
    UNIQUE (area, name_pl)
);
COMMENT ON TABLE @extschema@.service IS 'Usługi publiczne / public services, each in one SMUP area.';
COMMENT ON COLUMN @extschema@.service.code IS 'Service code, AREA.XXX.';
COMMENT ON COLUMN @extschema@.service.area IS 'The SMUP area (smup.area.code).';
COMMENT ON COLUMN @extschema@.service.name_pl IS 'Nazwa usługi (Polish).';
COMMENT ON COLUMN @extschema@.service.name_en IS 'Service name (English).';
COMMENT ON COLUMN @extschema@.service.builtin IS 'true for rows shipped with smup.';

INSERT INTO @extschema@.service (code, area, name_pl, name_en, builtin) VALUES
  ('SPO.DEM', 'SPO', 'demografia (kontekst)', 'demography (context)', true),
  ('SPO.RAT', 'SPO', 'bezpieczeństwo i ratownictwo (kontekst)', 'safety and rescue (context)', true),
  ('FIN.DOW', 'FIN', 'dochody własne', 'own revenues', true),
  ('POD.NIE', 'POD', 'podatek od nieruchomości', 'property tax', true),
  ('POD.ROL', 'POD', 'podatki rolny i leśny', 'agricultural and forest taxes', true),
  ('NIE.MIE', 'NIE', 'gospodarowanie mieniem komunalnym', 'municipal property management', true),
  ('GEO.ZAL', 'GEO', 'powierzchnia i zaludnienie', 'area and settlement', true);

CREATE TABLE @extschema@.variable (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_pl       text NOT NULL,
    name_en       text NOT NULL,
    unit          text NOT NULL,
    source        text NOT NULL,
    bdl_dimension text UNIQUE,
    sum_of        text[],
    additive      boolean NOT NULL DEFAULT false,
    builtin       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.variable IS 'Zmienne / the statistical variables observations are recorded for (the inputs of indicators).';
COMMENT ON COLUMN @extschema@.variable.code IS 'Variable code (lower-case ASCII).';
COMMENT ON COLUMN @extschema@.variable.name_pl IS 'Nazwa zmiennej, as the source writes it.';
COMMENT ON COLUMN @extschema@.variable.name_en IS 'Variable name (English).';
COMMENT ON COLUMN @extschema@.variable.unit IS 'Unit of measure (osoba, zł, km², zdarzenie, ...).';
COMMENT ON COLUMN @extschema@.variable.source IS 'Where it comes from, e.g. the BDL subject and variable group.';
COMMENT ON COLUMN @extschema@.variable.bdl_dimension IS 'The dimension path of a BDL CTAB export header ("dimension;dimension" without year and unit) that smup.load_bdl maps to this variable by default.';
COMMENT ON COLUMN @extschema@.variable.sum_of IS 'For a derived variable: the variables whose sum it is, where it is not observed directly (see smup.observation_all).';
COMMENT ON COLUMN @extschema@.variable.additive IS 'true when the value of a powiat, województwo or Poland is the sum of its gminy (counts of people or events, areas, amounts of the gminy''s budgets): smup.observation_all then sums the gminy up the register wherever the higher unit is not observed, and a missing part makes the sum missing, never a partial sum.';
COMMENT ON COLUMN @extschema@.variable.builtin IS 'true for rows shipped with smup.';

INSERT INTO @extschema@.variable (code, name_pl, name_en, unit, source, bdl_dimension, sum_of, builtin) VALUES
  ('ludnosc_przedprodukcyjna', 'ludność w wieku przedprodukcyjnym', 'population of pre-working age (0-17)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku przedprodukcyjnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna', 'ludność w wieku produkcyjnym', 'population of working age (18-64 men, 18-59 women)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku produkcyjnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna_mobilna', 'ludność w wieku produkcyjnym mobilnym', 'population of mobile working age (18-44)', 'osoba',
   'GUS BDL, LUDNOŚĆ', 'w wieku produkcyjnym mobilnym;ogółem', NULL, true),
  ('ludnosc_produkcyjna_niemobilna', 'ludność w wieku produkcyjnym niemobilnym', 'population of non-mobile working age', 'osoba',
   'GUS BDL, LUDNOŚĆ', 'w wieku produkcyjnym niemobilnym;ogółem', NULL, true),
  ('ludnosc_poprodukcyjna', 'ludność w wieku poprodukcyjnym', 'population of post-working age (65+ men, 60+ women)', 'osoba',
   'GUS BDL, LUDNOŚĆ: ludność w wieku przedprodukcyjnym, produkcyjnym i poprodukcyjnym, stan 31 XII', 'w wieku poprodukcyjnym;ogółem', NULL, true),
  ('ludnosc_ogolem', 'ludność ogółem', 'total population', 'osoba',
   'GUS: BDL P2137 (2020), Tabl. IV (2024), otherwise the sum of the economic age groups; stan 31 XII', NULL,
   ARRAY['ludnosc_przedprodukcyjna', 'ludnosc_produkcyjna', 'ludnosc_poprodukcyjna'], true),
  ('ludnosc_nieprodukcyjna', 'ludność w wieku nieprodukcyjnym', 'population of non-working age', 'osoba',
   'derived: pre-working + post-working age', NULL, ARRAY['ludnosc_przedprodukcyjna', 'ludnosc_poprodukcyjna'], true),
  ('dochody_wlasne', 'dochody własne razem', 'own revenues, total', 'zł',
   'GUS BDL, FINANSE PUBLICZNE: dochody budżetów gmin (gminy łącznie z miastami na prawach powiatu)', 'gminy łącznie z miastami na prawach powiatu;razem', NULL, true),
  ('podatek_rolny', 'dochody podatkowe - podatek rolny', 'agricultural tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek rolny', NULL, true),
  ('podatek_lesny', 'dochody podatkowe - podatek leśny', 'forest tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek leśny', NULL, true),
  ('podatek_od_nieruchomosci', 'dochody podatkowe - podatek od nieruchomości', 'property tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od nieruchomości', NULL, true),
  ('podatek_od_srodkow_transportowych', 'dochody podatkowe - podatek od środków transportowych', 'vehicle tax revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od środków transportowych', NULL, true),
  ('karta_podatkowa', 'dochody podatkowe - podatek od działalności gospodarczej osób fizycznych, opłacany w formie karty podatkowej',
   'flat-rate business tax (karta podatkowa) revenue', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody podatkowe - podatek od działalności gospodarczej osób fizycznych, opłacany w formie karty podatkowej', NULL, true),
  ('wplywy_z_uslug', 'wpływy z usług', 'revenue from services', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;wpływy z usług', NULL, true),
  ('dochody_z_majatku', 'dochody z majątku', 'property income', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody z majątku', NULL, true),
  ('dochody_z_najmu_i_dzierzawy', 'dochody z majątku - dochody z najmu i dzierżawy składników majątkowych JST oraz innych umów o podobnym charakterze',
   'income from renting and leasing municipal property', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;dochody z majątku - dochody z najmu i dzierżawy składników majątkowych JST oraz innych umów o podobnym charakterze', NULL, true),
  ('srodki_na_inwestycje_z_innych_zrodel', 'pozostałe dochody - środki na dofinansowanie własnych zadań pozyskane z innych źródeł - inwestycyjne',
   'co-financing of own investment tasks from other sources', 'zł', 'GUS BDL, FINANSE PUBLICZNE',
   'gminy łącznie z miastami na prawach powiatu;pozostałe dochody - środki na dofinansowanie własnych zadań pozyskane z innych źródeł - inwestycyjne', NULL, true),
  ('powierzchnia_km2', 'powierzchnia', 'area (BDL, whole km²)', 'km²', 'GUS BDL, powierzchnia (2010-2019)', NULL, NULL, true),
  ('powierzchnia_geodezyjna_ha', 'powierzchnia geodezyjna', 'official geodetic area', 'ha', 'GUGiK, wykaz pól powierzchni geodezyjnych, stan 1 I', NULL, NULL, true),
  ('powierzchnia_geodezyjna_km2', 'powierzchnia geodezyjna', 'official geodetic area', 'km²', 'GUGiK, wykaz pól powierzchni geodezyjnych, stan 1 I', NULL, NULL, true),
  ('malzenstwa', 'małżeństwa', 'marriages', 'małżeństwo', 'GUS, Tabl. IV: ludność, ruch naturalny oraz migracje ludności według gmin', NULL, NULL, true),
  ('urodzenia_zywe', 'urodzenia żywe', 'live births', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('zgony', 'zgony ogółem', 'deaths', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('zgony_niemowlat', 'zgony niemowląt', 'infant deaths', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('przyrost_naturalny', 'przyrost naturalny', 'natural increase', 'osoba', 'GUS, Tabl. IV', NULL, NULL, true),
  ('saldo_migracji', 'saldo migracji ogółem', 'total net migration', 'osoba', 'GUS, Tabl. IV (internal and international)', NULL, NULL, true),
  ('psp_zdarzenia', 'zdarzenia ogółem', 'State Fire Service interventions, total', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_pozary', 'pożary', 'fires', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_miejscowe_zagrozenia', 'miejscowe zagrożenia', 'local hazards', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true),
  ('psp_alarmy_falszywe', 'alarmy fałszywe', 'false alarms', 'zdarzenie', 'KG PSP, dane.gov.pl', NULL, NULL, true);

-- Every shipped variable counts people, events or area, or is an amount of a gmina's budget: each
-- adds up from gminy to powiat, województwo and Poland.
UPDATE @extschema@.variable SET additive = true WHERE builtin;

CREATE TABLE @extschema@.indicator (
    code              text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    area              text NOT NULL REFERENCES @extschema@.area (code),
    service           text NOT NULL REFERENCES @extschema@.service (code),
    name_pl           text NOT NULL,
    name_en           text NOT NULL,
    dimension         text NOT NULL CHECK (dimension IN ('ilość', 'jakość', 'dostępność', 'efektywność kosztowa')),
    role              text NOT NULL CHECK (role IN ('monitoring', 'context')),
    numerator         text NOT NULL REFERENCES @extschema@.variable (code),
    denominator       text REFERENCES @extschema@.variable (code),
    multiplier        float8 NOT NULL DEFAULT 1 CHECK (multiplier <> 0 AND multiplier = multiplier AND multiplier NOT IN ('Infinity', '-Infinity')),
    value_offset      float8 NOT NULL DEFAULT 0 CHECK (value_offset = value_offset AND value_offset NOT IN ('Infinity', '-Infinity')),
    denominator_year  int,
    denominator_nearest_year boolean NOT NULL DEFAULT false CHECK (NOT (denominator_nearest_year AND denominator_year IS NOT NULL)),
    unit              text NOT NULL,
    polarity          text NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better', 'neutral')),
    levels            text[] NOT NULL DEFAULT ARRAY['gmina'] CHECK (levels <@ ARRAY['kraj', 'wojewodztwo', 'powiat', 'gmina'] AND cardinality(levels) > 0),
    ci_method         text CHECK (ci_method IN ('poisson', 'wilson')),
    source            text NOT NULL,
    description       text NOT NULL,
    builtin           boolean NOT NULL DEFAULT false
);
CREATE INDEX indicator_area_idx ON @extschema@.indicator (area);
CREATE INDEX indicator_service_idx ON @extschema@.indicator (service);
COMMENT ON TABLE @extschema@.indicator IS
  'Wskaźniki SMUP / indicator catalogue. value = numerator / denominator × multiplier + value_offset, per unit and year. Adding an indicator is one INSERT, then smup.refresh().';
COMMENT ON COLUMN @extschema@.indicator.code IS 'Indicator code (lower-case ASCII).';
COMMENT ON COLUMN @extschema@.indicator.area IS 'SMUP area (smup.area.code); must be the area of the service.';
COMMENT ON COLUMN @extschema@.indicator.service IS 'Public service measured (smup.service.code).';
COMMENT ON COLUMN @extschema@.indicator.name_pl IS 'Nazwa wskaźnika (Polish).';
COMMENT ON COLUMN @extschema@.indicator.name_en IS 'Indicator name (English).';
COMMENT ON COLUMN @extschema@.indicator.dimension IS 'Wymiar: ilość (quantity), jakość (quality), dostępność (accessibility), efektywność kosztowa (cost-efficiency).';
COMMENT ON COLUMN @extschema@.indicator.role IS 'monitoring (a service indicator) or context (describes the conditions of the unit).';
COMMENT ON COLUMN @extschema@.indicator.numerator IS 'Numerator variable (smup.variable.code).';
COMMENT ON COLUMN @extschema@.indicator.denominator IS 'Denominator variable; NULL means the numerator itself (times multiplier).';
COMMENT ON COLUMN @extschema@.indicator.multiplier IS 'Multiplier: 100 for a percentage, 1000 for per mille, 10000 per 10 thousand inhabitants.';
COMMENT ON COLUMN @extschema@.indicator.value_offset IS 'Added after multiplying (e.g. -100 for a change in % from a base-year ratio).';
COMMENT ON COLUMN @extschema@.indicator.denominator_year IS 'Fixed year of the denominator (a base year, e.g. 2010); NULL means the same year as the numerator.';
COMMENT ON COLUMN @extschema@.indicator.denominator_nearest_year IS 'For a slowly changing denominator (an area): when it is not observed in the numerator''s year, use its nearest observed year (the earlier on a tie); smup.indicator_value.denominator shows the value used. false: no denominator that year, no value.';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'Unit of the indicator value.';
COMMENT ON COLUMN @extschema@.indicator.polarity IS 'higher_is_better, lower_is_better or neutral: orders percentiles so that the best value gets 100 (neutral: ascending).';
COMMENT ON COLUMN @extschema@.indicator.levels IS 'Levels of units the indicator applies to (gmina, powiat, wojewodztwo, kraj).';
COMMENT ON COLUMN @extschema@.indicator.ci_method IS 'Confidence interval of the value: poisson (exact Garwood limits of a rate, smup.rate_ci), wilson (a proportion, smup.proportion_ci) or NULL.';
COMMENT ON COLUMN @extschema@.indicator.source IS 'Data source of the inputs.';
COMMENT ON COLUMN @extschema@.indicator.description IS 'What the indicator measures and how to read it, with its formula.';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for rows shipped with smup.';

-- A service belongs to one area: an indicator's area must be its service's.
CREATE FUNCTION @extschema@._indicator_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM @extschema@.service s WHERE s.code = NEW.service AND s.area = NEW.area) THEN
        RAISE EXCEPTION 'indicator %: service % is not in area %', NEW.code, NEW.service, NEW.area
              USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@._indicator_check() IS 'Internal: keeps an indicator''s area equal to its service''s area.';
CREATE TRIGGER indicator_area_matches_service BEFORE INSERT OR UPDATE ON @extschema@.indicator
    FOR EACH ROW EXECUTE FUNCTION @extschema@._indicator_check();

INSERT INTO @extschema@.indicator (code, area, service, name_pl, name_en, dimension, role, numerator, denominator,
                                   multiplier, value_offset, denominator_year, unit, polarity, ci_method, source, description, builtin) VALUES
  ('gestosc_zaludnienia', 'GEO', 'GEO.ZAL', 'gęstość zaludnienia', 'population density', 'ilość', 'context',
   'ludnosc_ogolem', 'powierzchnia_km2', 1, 0, NULL, 'osoby/km²', 'neutral', NULL, 'GUS BDL',
   'Ludność ogółem (31 XII) na 1 km² powierzchni (BDL). Population per km²: ludnosc_ogolem / powierzchnia_km2; in a year without an observed area (after 2019) the nearest year''s area.', true),
  ('udzial_ludnosci_przedprodukcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku przedprodukcyjnym', 'share of pre-working age population',
   'ilość', 'context', 'ludnosc_przedprodukcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku 0-17 lat. ludnosc_przedprodukcyjna / ludnosc_ogolem × 100.', true),
  ('udzial_ludnosci_produkcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku produkcyjnym', 'share of working age population',
   'ilość', 'context', 'ludnosc_produkcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku produkcyjnym. ludnosc_produkcyjna / ludnosc_ogolem × 100.', true),
  ('udzial_ludnosci_poprodukcyjnej', 'SPO', 'SPO.DEM', 'udział ludności w wieku poprodukcyjnym', 'share of post-working age population',
   'ilość', 'context', 'ludnosc_poprodukcyjna', 'ludnosc_ogolem', 100, 0, NULL, '%', 'neutral', 'wilson', 'GUS BDL',
   'Odsetek ludności w wieku poprodukcyjnym. ludnosc_poprodukcyjna / ludnosc_ogolem × 100.', true),
  ('wspolczynnik_obciazenia_demograficznego', 'SPO', 'SPO.DEM', 'ludność w wieku nieprodukcyjnym na 100 osób w wieku produkcyjnym',
   'demographic dependency ratio', 'ilość', 'context', 'ludnosc_nieprodukcyjna', 'ludnosc_produkcyjna', 100, 0, NULL,
   'osoby na 100 osób w wieku produkcyjnym', 'lower_is_better', NULL, 'GUS BDL',
   'Współczynnik obciążenia demograficznego. (ludnosc_przedprodukcyjna + ludnosc_poprodukcyjna) / ludnosc_produkcyjna × 100.', true),
  ('zmiana_liczby_ludnosci_od_2010', 'SPO', 'SPO.DEM', 'zmiana liczby ludności od 2010 r.', 'population change since 2010',
   'ilość', 'context', 'ludnosc_ogolem', 'ludnosc_ogolem', 100, -100, 2010, '%', 'higher_is_better', NULL, 'GUS BDL, GUS Tabl. IV',
   'Zmiana liczby ludności względem 31 XII 2010 w %. ludnosc_ogolem(rok) / ludnosc_ogolem(2010) × 100 − 100.', true),
  ('dochody_wlasne_na_mieszkanca', 'FIN', 'FIN.DOW', 'dochody własne na 1 mieszkańca', 'own revenues per capita',
   'ilość', 'context', 'dochody_wlasne', 'ludnosc_ogolem', 1, 0, NULL, 'zł', 'higher_is_better', NULL, 'GUS BDL',
   'Dochody własne budżetu gminy na mieszkańca (31 XII). dochody_wlasne / ludnosc_ogolem.', true),
  ('podatek_od_nieruchomosci_na_mieszkanca', 'POD', 'POD.NIE', 'dochody z podatku od nieruchomości na 1 mieszkańca',
   'property tax revenue per capita', 'ilość', 'monitoring', 'podatek_od_nieruchomosci', 'ludnosc_ogolem', 1, 0, NULL, 'zł',
   'neutral', NULL, 'GUS BDL', 'podatek_od_nieruchomosci / ludnosc_ogolem.', true),
  ('udzial_podatku_od_nieruchomosci_w_dochodach_wlasnych', 'POD', 'POD.NIE', 'udział podatku od nieruchomości w dochodach własnych',
   'share of property tax in own revenues', 'ilość', 'monitoring', 'podatek_od_nieruchomosci', 'dochody_wlasne', 100, 0, NULL, '%',
   'neutral', NULL, 'GUS BDL', 'podatek_od_nieruchomosci / dochody_wlasne × 100.', true),
  ('podatek_rolny_na_mieszkanca', 'POD', 'POD.ROL', 'dochody z podatku rolnego na 1 mieszkańca',
   'agricultural tax revenue per capita', 'ilość', 'monitoring', 'podatek_rolny', 'ludnosc_ogolem', 1, 0, NULL, 'zł',
   'neutral', NULL, 'GUS BDL', 'podatek_rolny / ludnosc_ogolem.', true),
  ('dochody_z_majatku_na_mieszkanca', 'NIE', 'NIE.MIE', 'dochody z majątku na 1 mieszkańca', 'property income per capita',
   'efektywność kosztowa', 'monitoring', 'dochody_z_majatku', 'ludnosc_ogolem', 1, 0, NULL, 'zł', 'higher_is_better', NULL, 'GUS BDL',
   'Dochody z majątku gminy (sprzedaż, najem, dzierżawa) na mieszkańca. dochody_z_majatku / ludnosc_ogolem.', true),
  ('urodzenia_zywe_na_1000', 'SPO', 'SPO.DEM', 'urodzenia żywe na 1000 ludności', 'live births per 1000 population',
   'ilość', 'context', 'urodzenia_zywe', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', 'poisson', 'GUS Tabl. IV',
   'urodzenia_zywe / ludnosc_ogolem (31 XII) × 1000. GUS publishes the rate on the mid-year population, so it differs slightly.', true),
  ('zgony_na_1000', 'SPO', 'SPO.DEM', 'zgony na 1000 ludności', 'deaths per 1000 population',
   'ilość', 'context', 'zgony', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'lower_is_better', 'poisson', 'GUS Tabl. IV',
   'zgony / ludnosc_ogolem (31 XII) × 1000.', true),
  ('przyrost_naturalny_na_1000', 'SPO', 'SPO.DEM', 'przyrost naturalny na 1000 ludności', 'natural increase per 1000 population',
   'ilość', 'context', 'przyrost_naturalny', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', NULL, 'GUS Tabl. IV',
   'przyrost_naturalny / ludnosc_ogolem (31 XII) × 1000 (can be negative: no Poisson interval).', true),
  ('saldo_migracji_na_1000', 'SPO', 'SPO.DEM', 'saldo migracji na 1000 ludności', 'net migration per 1000 population',
   'ilość', 'context', 'saldo_migracji', 'ludnosc_ogolem', 1000, 0, NULL, '‰', 'higher_is_better', NULL, 'GUS Tabl. IV',
   'saldo_migracji / ludnosc_ogolem (31 XII) × 1000.', true),
  ('interwencje_psp_na_10_tys', 'SPO', 'SPO.RAT', 'zdarzenia (interwencje PSP) na 10 tys. ludności', 'fire service interventions per 10,000 population',
   'ilość', 'context', 'psp_zdarzenia', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_zdarzenia / ludnosc_ogolem × 10000. Years without a population figure (2023) have no value.', true),
  ('pozary_na_10_tys', 'SPO', 'SPO.RAT', 'pożary na 10 tys. ludności', 'fires per 10,000 population',
   'ilość', 'context', 'psp_pozary', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_pozary / ludnosc_ogolem × 10000.', true),
  ('miejscowe_zagrozenia_na_10_tys', 'SPO', 'SPO.RAT', 'miejscowe zagrożenia na 10 tys. ludności', 'local hazards per 10,000 population',
   'ilość', 'context', 'psp_miejscowe_zagrozenia', 'ludnosc_ogolem', 10000, 0, NULL, 'na 10 tys.', 'lower_is_better', 'poisson', 'KG PSP; GUS',
   'psp_miejscowe_zagrozenia / ludnosc_ogolem × 10000.', true),
  ('udzial_alarmow_falszywych', 'SPO', 'SPO.RAT', 'udział alarmów fałszywych w zdarzeniach', 'share of false alarms among interventions',
   'jakość', 'context', 'psp_alarmy_falszywe', 'psp_zdarzenia', 100, 0, NULL, '%', 'lower_is_better', 'wilson', 'KG PSP',
   'psp_alarmy_falszywe / psp_zdarzenia × 100.', true);

-- The indicators of people, area and events read the same at every level once their variables
-- are summed up the register. Those of the gminy's budgets stay at gmina level: a powiat and a
-- województwo have budgets of their own, which the sum of their gminy's would be mistaken for.
UPDATE @extschema@.indicator SET levels = ARRAY['gmina', 'powiat', 'wojewodztwo', 'kraj']
 WHERE builtin AND area IN ('GEO', 'SPO');
-- The area is observed until 2019 (BDL) and in 2025 (GUGiK): a density reads the nearest year's.
UPDATE @extschema@.indicator SET denominator_nearest_year = true WHERE code = 'gestosc_zaludnienia';

-- A shipped row the user edits becomes the user's (builtin = false), so pg_dump keeps the edit;
-- restoring it finds the shipped row CREATE EXTENSION just inserted and updates that instead.
CREATE FUNCTION @extschema@._catalogue_row_edit() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cols text;
    updated bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.builtin AND NEW.builtin AND to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW) THEN
            NEW.builtin := false;
        END IF;
        RETURN NEW;
    END IF;
    IF NOT NEW.builtin THEN
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('UPDATE %1$s t SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::%1$s, $1)) '
                       'WHERE t.code = $2 AND t.builtin', TG_RELID::regclass, cols)
          USING to_jsonb(NEW), NEW.code;
        GET DIAGNOSTICS updated = ROW_COUNT;  -- (EXECUTE leaves FOUND alone)
        IF updated > 0 THEN
            RETURN NULL;  -- the shipped row now holds the user's edit
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@._catalogue_row_edit() IS
  'Internal: an edited shipped catalogue row becomes the user''s (builtin = false, dumped by pg_dump); inserting a user''s row over a shipped one of the same code (a restore) updates it.';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.area', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.variable', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.indicator', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jst', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jst_teryt', '');
