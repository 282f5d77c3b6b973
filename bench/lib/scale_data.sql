-- The scale case of make bench: 150 synthetic indicators over every gmina and 16 years
-- (2010-2025) on top of the shipped data, about 6.2 M values in all. SYNTHETIC: the values are
-- hashes of (unit, variable, year), made only to measure how smup grows; never shown as data.
-- Loaded with triggers and foreign keys off (a bench database, superuser), so the next
-- smup.refresh() must be told to rebuild: smup.refresh(full => true).
INSERT INTO smup.service (code, area, name_pl, name_en)
VALUES ('FIN.SYN', 'FIN', 'syntetyczne (bench)', 'synthetic (bench)') ON CONFLICT DO NOTHING;
INSERT INTO smup.variable (code, name_pl, name_en, unit, source)
SELECT format('syn_%s', lpad(k::text, 3, '0')), format('zmienna syntetyczna %s', k), format('synthetic variable %s', k),
       'zł', 'synthetic (make bench)'
  FROM generate_series(1, 150) k;
-- (the population is observed in 12 of the 16 years: the per-capita ones read its nearest year,
-- so that every unit-year has a value, as at the real scale)
INSERT INTO smup.indicator (code, area, service, name_pl, name_en, dimension, role, numerator, denominator, multiplier,
                            denominator_nearest_year, unit, polarity, ci_method, source, description)
SELECT format('syn_ind_%s', lpad(k::text, 3, '0')), 'FIN', 'FIN.SYN', format('wskaźnik syntetyczny %s', k),
       format('synthetic indicator %s', k), 'ilość', 'monitoring', format('syn_%s', lpad(k::text, 3, '0')),
       CASE WHEN k <= 100 THEN 'ludnosc_ogolem' END, CASE WHEN k <= 100 THEN 1000 ELSE 1 END, k <= 100,
       'zł', (ARRAY['higher_is_better', 'lower_is_better', 'neutral'])[1 + k % 3],
       CASE WHEN k <= 100 AND k % 10 = 0 THEN 'poisson' END, 'synthetic (make bench)', 'synthetic, for make bench only'
  FROM generate_series(1, 150) k;
SET session_replication_role = replica;
INSERT INTO smup.observation (jst_id, variable, year, value, status, source)
SELECT j.id, format('syn_%s', lpad(k::text, 3, '0')), y,
       CASE WHEN h % 97 = 0 THEN NULL WHEN h % 89 = 0 THEN 0 ELSE 100 + h % 5000 + 10 * k END,
       CASE WHEN h % 97 = 0 THEN '.' WHEN h % 89 = 0 THEN '-' ELSE 'value' END,
       'synthetic'
  FROM smup.jst j CROSS JOIN generate_series(1, 150) k CROSS JOIN generate_series(2010, 2025) y
 CROSS JOIN LATERAL (SELECT abs(hashtext(j.id || ':' || k || ':' || y)::bigint) AS h) x
 WHERE j.level = 'gmina';
RESET session_replication_role;
ANALYZE smup.observation;
