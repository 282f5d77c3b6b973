-- Statistics in C++: group distributions (percentile ranks, quantiles, summaries), trends of a
-- yearly series, and exact confidence intervals of rates and proportions.

-- ---- smup.distribution: a group's sorted values -----------------------------------------------

CREATE TYPE @extschema@.distribution;

CREATE FUNCTION @extschema@.distribution_in(cstring) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_out(@extschema@.distribution) RETURNS cstring
AS 'MODULE_PATHNAME', 'smup_distribution_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_recv(internal) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_send(@extschema@.distribution) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_distribution_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.distribution (
    INPUT = @extschema@.distribution_in,
    OUTPUT = @extschema@.distribution_out,
    RECEIVE = @extschema@.distribution_recv,
    SEND = @extschema@.distribution_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = external
);
COMMENT ON TYPE @extschema@.distribution IS
  'Rozkład grupy / a group''s distribution: its finite float8 values, sorted (8 bytes a value). Built by the aggregate smup.distribution(float8), read in O(log n) by smup.percentile_rank, smup.cume_dist, smup.quantile, smup.summary, smup.z_score. Text form {v1,v2,...} (shortest round-trip digits). Storage external (uncompressed out of line), so reading costs no decompression.';
COMMENT ON FUNCTION @extschema@.distribution_in(cstring) IS
  'Text input of smup.distribution: {v1,v2,...}, at least one finite value, any order (stored sorted); NaN or Infinity raises 22000, bad syntax 22P02.';
COMMENT ON FUNCTION @extschema@.distribution_out(@extschema@.distribution) IS
  'Text output of smup.distribution: {v1,v2,...} in ascending order, float8 shortest round-trip digits.';
COMMENT ON FUNCTION @extschema@.distribution_recv(internal) IS
  'Binary input of smup.distribution: version byte 1, int8 count, count float8 values (finite, ascending; anything else is rejected).';
COMMENT ON FUNCTION @extschema@.distribution_send(@extschema@.distribution) IS
  'Binary output of smup.distribution: version byte 1, int8 count, the float8 values in ascending order.';

-- The aggregate: internal state (an array of doubles), parallel with combine and (de)serialise.
CREATE FUNCTION @extschema@.distribution_sfunc(internal, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_final(internal) RETURNS @extschema@.distribution
AS 'MODULE_PATHNAME', 'smup_distribution_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_serial(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_distribution_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.distribution_deserial(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_deserial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.distribution_sfunc(internal, float8) IS
  'Transition function of smup.distribution(float8): appends a value (NULL skipped; NaN or Infinity raises 22000).';
COMMENT ON FUNCTION @extschema@.distribution_final(internal) IS
  'Final function of smup.distribution(float8): sorts the values (C++ core) into a smup.distribution, consuming the state (large states are moved block by block, so the values are held once); no values gives NULL.';
COMMENT ON FUNCTION @extschema@.distribution_combine(internal, internal) IS
  'Combine function of smup.distribution(float8) for parallel and partial aggregation: concatenates two states.';
COMMENT ON FUNCTION @extschema@.distribution_serial(internal) IS
  'Serialise function of smup.distribution(float8): the state as bytea, to pass between parallel workers.';
COMMENT ON FUNCTION @extschema@.distribution_deserial(bytea, internal) IS
  'Deserialise function of smup.distribution(float8).';

CREATE AGGREGATE @extschema@.distribution(float8) (
    SFUNC = @extschema@.distribution_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.distribution_final,
    COMBINEFUNC = @extschema@.distribution_combine,
    SERIALFUNC = @extschema@.distribution_serial,
    DESERIALFUNC = @extschema@.distribution_deserial,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.distribution(float8) IS
  'Rozkład wartości grupy / the distribution of a group''s values, computed once and queried in O(log n). NULL ignored; NaN or ±Infinity raises 22000 naming the value; no values gives NULL. Parallel safe (combine, serialise, deserialise).';

-- The union of distributions: smup.distribution over smup.distribution values.
CREATE FUNCTION @extschema@.distribution_union_sfunc(internal, @extschema@.distribution) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_distribution_union_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.distribution_union_sfunc(internal, @extschema@.distribution) IS
  'Transition function of smup.distribution(smup.distribution): merges a sorted distribution into the state (NULL skipped).';

CREATE AGGREGATE @extschema@.distribution(@extschema@.distribution) (
    SFUNC = @extschema@.distribution_union_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.distribution_final,
    COMBINEFUNC = @extschema@.distribution_combine,
    SERIALFUNC = @extschema@.distribution_serial,
    DESERIALFUNC = @extschema@.distribution_deserial,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.distribution(@extschema@.distribution) IS
  'Suma rozkładów / the union of distributions (all their values, as one distribution): a larger group from its parts, e.g. Poland from its województwa, without reading the values again. NULL ignored; no input gives NULL. Parallel safe.';

CREATE FUNCTION @extschema@.percentile_rank(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_percentile_rank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.percentile_rank(@extschema@.distribution, float8) IS
  'Ranga percentylowa / for a member of the group (a value equal to one of its values): (number of values below value) / (n - 1), 0 when n = 1, exactly percent_rank() OVER (ORDER BY v) (ties share the lowest rank); for any other value: (number below) / n, exactly the hypothetical-set percent_rank(value) WITHIN GROUP (ORDER BY v). Always in [0, 1]; NaN raises 22000.';

CREATE FUNCTION @extschema@.cume_dist(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_cume_dist' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cume_dist(@extschema@.distribution, float8) IS
  'Dystrybuanta empiryczna / (number of values <= value) / n: for a member exactly cume_dist() OVER (ORDER BY v). NaN raises 22000.';

CREATE FUNCTION @extschema@.rank_in_group(d @extschema@.distribution, value float8,
                                           polarity text DEFAULT 'higher_is_better') RETURNS bigint
AS 'MODULE_PATHNAME', 'smup_rank_in_group' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rank_in_group(@extschema@.distribution, float8, text) IS
  'Pozycja w grupie / 1 + the number of values strictly better than value by polarity (higher_is_better and neutral: higher is first; lower_is_better: lower is first), so ties share the best rank: rank() OVER (ORDER BY v DESC) for higher_is_better. Two binary searches. An unknown polarity raises 22023, NaN 22000.';

CREATE FUNCTION @extschema@.percentile_in_group(d @extschema@.distribution, value float8,
                                                 polarity text DEFAULT 'higher_is_better') RETURNS float8
AS 'MODULE_PATHNAME', 'smup_percentile_in_group' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.percentile_in_group(@extschema@.distribution, float8, text) IS
  'Percentyl w grupie (mid-rank) / 100 = best by polarity (neutral: highest): for a member, 100 × (worse + ½ × (tied − 1)) / (n − 1), tied counting the value itself, so tied members share the mean of the positions they span and without ties it equals 100 × percent_rank(); an all-equal group gives 50; a group of one gives NULL. For a value not in the group, 100 × worse / n. An unknown polarity raises 22023, NaN 22000.';

CREATE TYPE @extschema@.group_position AS (rank bigint, percentile float8);
COMMENT ON TYPE @extschema@.group_position IS
  'Pozycja w grupie / a value''s rank and mid-rank percentile in its group (smup.group_position).';
CREATE FUNCTION @extschema@.group_position(d @extschema@.distribution, value float8,
                                            polarity text DEFAULT 'higher_is_better') RETURNS @extschema@.group_position
AS 'MODULE_PATHNAME', 'smup_group_position' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.group_position(@extschema@.distribution, float8, text) IS
  'Pozycja w grupie / smup.rank_in_group and smup.percentile_in_group in one call (one read of the group''s values): (rank, percentile).';

CREATE FUNCTION @extschema@.quantile(d @extschema@.distribution, p float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile(@extschema@.distribution, float8) IS
  'Kwantyl / exactly percentile_cont(p) WITHIN GROUP (ORDER BY v): linear interpolation at position p (n - 1). p outside [0, 1] or NaN raises 22003 naming it.';

CREATE FUNCTION @extschema@.quantile(d @extschema@.distribution, p float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'smup_distribution_quantiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile(@extschema@.distribution, float8[]) IS
  'Kwantyle / exactly percentile_cont(p[]) WITHIN GROUP (ORDER BY v): an array of the same shape, NULL elements give NULL. Any p outside [0, 1] or NaN raises 22003.';

CREATE TYPE @extschema@.distribution_summary AS (
    n      bigint,
    min    float8,
    q1     float8,
    median float8,
    q3     float8,
    max    float8,
    mean   float8,
    sd     float8,
    mad    float8
);
COMMENT ON TYPE @extschema@.distribution_summary IS
  'Podsumowanie rozkładu / summary of a distribution: n, min, q1, median, q3 (percentile_cont 0.25, 0.5, 0.75), max, mean, sd (sample standard deviation, NULL when n = 1), mad (median absolute deviation from the median, unscaled: multiply by 1.4826 for a normal-consistent scale).';

CREATE FUNCTION @extschema@.summary(d @extschema@.distribution) RETURNS @extschema@.distribution_summary
AS 'MODULE_PATHNAME', 'smup_distribution_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.summary(@extschema@.distribution) IS
  'Podsumowanie rozkładu / n, min, q1, median, q3, max, mean, sd (sample, NULL when n = 1), mad (unscaled median absolute deviation) of a distribution.';

CREATE FUNCTION @extschema@.z_score(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_z_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.z_score(@extschema@.distribution, float8) IS
  'Wynik standaryzowany / (value - mean) / sd with the sample standard deviation; NULL when n < 2 or sd = 0. A non-finite value raises 22000. O(n) a call.';

CREATE FUNCTION @extschema@.robust_z_score(d @extschema@.distribution, value float8) RETURNS float8
AS 'MODULE_PATHNAME', 'smup_distribution_robust_z_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.robust_z_score(@extschema@.distribution, float8) IS
  'Odporny wynik standaryzowany / (value - median) / (1.4826 × MAD), MAD the unscaled median absolute deviation; NULL when MAD = 0. A non-finite value raises 22000. O(n) a call.';

-- ---- smup.trend: the trend of a yearly series ---------------------------------------------------

CREATE TYPE @extschema@.trend_result AS (
    n                bigint,
    first_year       int,
    last_year        int,
    ols_slope        float8,
    ols_slope_se     float8,
    theil_sen_slope  float8,
    mann_kendall_tau float8,
    mann_kendall_p   float8,
    cagr             float8
);
COMMENT ON TYPE @extschema@.trend_result IS
  'Trend szeregu rocznego / trend of a yearly series: n points, first and last year, OLS slope (per year) and its standard error (NULL when n < 3), Theil–Sen slope (median of pairwise slopes), Mann–Kendall tau (S / (n(n-1)/2)) and two-sided p (normal approximation, tie-corrected variance, continuity correction), compound annual growth rate (last/first)^(1/(last_year - first_year)) - 1 (NULL when first <= 0 or last < 0). Slopes, tau, p and cagr are NULL when n = 1.';

CREATE FUNCTION @extschema@.trend_sfunc(internal, int, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_final(internal) RETURNS @extschema@.trend_result
AS 'MODULE_PATHNAME', 'smup_trend_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_serial(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'smup_trend_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_deserial(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'smup_trend_deserial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_sfunc(internal, int, float8) IS
  'Transition function of smup.trend(int, float8): appends a (year, value) point; a NULL year or value is skipped, NaN or Infinity raises 22000 naming the year.';
COMMENT ON FUNCTION @extschema@.trend_final(internal) IS
  'Final function of smup.trend(int, float8): the C++ core computes the trend; a duplicate year raises 22023 naming it; no points gives NULL.';
COMMENT ON FUNCTION @extschema@.trend_combine(internal, internal) IS
  'Combine function of smup.trend(int, float8) for parallel and partial aggregation.';
COMMENT ON FUNCTION @extschema@.trend_serial(internal) IS
  'Serialise function of smup.trend(int, float8).';
COMMENT ON FUNCTION @extschema@.trend_deserial(bytea, internal) IS
  'Deserialise function of smup.trend(int, float8).';

CREATE AGGREGATE @extschema@.trend(year int, value float8) (
    SFUNC = @extschema@.trend_sfunc,
    STYPE = internal,
    FINALFUNC = @extschema@.trend_final,
    COMBINEFUNC = @extschema@.trend_combine,
    SERIALFUNC = @extschema@.trend_serial,
    DESERIALFUNC = @extschema@.trend_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend(int, float8) IS
  'Trend szeregu rocznego / trend of a yearly series → smup.trend_result (OLS slope and SE, Theil–Sen slope, Mann–Kendall tau and p, CAGR). NULL values skipped; a duplicate year raises 22023 naming it; at most 10000 points (pairwise statistics are O(n²)). Parallel safe.';

-- The trend with its series, sorted by year, from the same state (each unit's stored trend keeps
-- its series: smup.unit_trend)
CREATE TYPE @extschema@._trend_series_result AS (trend @extschema@.trend_result, series_years int[], series_values float8[]);
COMMENT ON TYPE @extschema@._trend_series_result IS
  'Internal: a trend (smup.trend_result) with its points: the years ascending and the value of each.';
CREATE FUNCTION @extschema@._trend_series_final(internal) RETURNS @extschema@._trend_series_result
AS 'MODULE_PATHNAME', 'smup_trend_series_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._trend_series_final(internal) IS
  'Final function of smup._trend_series(int, float8): the trend, and the points sorted by year; no points gives NULL.';
CREATE AGGREGATE @extschema@._trend_series(year int, value float8) (
    SFUNC = @extschema@.trend_sfunc,
    STYPE = internal,
    -- a unit's series, about 500 bytes held: without it the planner assumes 8 kB a group and
    -- a rebuild's 430,000 series spill to disk in batches
    SSPACE = 512,
    FINALFUNC = @extschema@._trend_series_final,
    COMBINEFUNC = @extschema@.trend_combine,
    SERIALFUNC = @extschema@.trend_serial,
    DESERIALFUNC = @extschema@.trend_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._trend_series(int, float8) IS
  'Internal: smup.trend with its series sorted by year (smup._trend_series_result), for smup.unit_trend. Parallel safe.';

-- ---- confidence intervals -------------------------------------------------------------------

CREATE TYPE @extschema@.rate_interval AS (rate float8, lower float8, upper float8);
COMMENT ON TYPE @extschema@.rate_interval IS
  'Współczynnik z przedziałem ufności / a rate (events / exposure × per) with the lower and upper limits of its confidence interval.';

CREATE FUNCTION @extschema@.rate_ci(events float8, exposure float8, per float8 DEFAULT 1000,
                                    level float8 DEFAULT 0.95)
RETURNS @extschema@.rate_interval
AS 'MODULE_PATHNAME', 'smup_rate_ci_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(float8, float8, float8, float8) IS
  'Przedział ufności współczynnika / exact Poisson (Garwood 1936) interval of events / exposure × per: lower = chi2(alpha/2; 2x)/2, upper = chi2(1 - alpha/2; 2x + 2)/2 (Boost.Math gamma quantiles), scaled by per / exposure. events >= 0 (non-integer counts allowed, the gamma form is continuous), exposure > 0, per > 0, 0 < level < 1, else 22003 naming the value; NaN or Infinity 22000.';

CREATE TYPE @extschema@.proportion_interval AS (p float8, lower float8, upper float8);
COMMENT ON TYPE @extschema@.proportion_interval IS
  'Odsetek z przedziałem ufności / a proportion successes / trials with the lower and upper limits of its confidence interval.';

CREATE FUNCTION @extschema@.proportion_ci(successes float8, trials float8, level float8 DEFAULT 0.95,
                                          method text DEFAULT 'wilson')
RETURNS @extschema@.proportion_interval
AS 'MODULE_PATHNAME', 'smup_proportion_ci_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.proportion_ci(float8, float8, float8, text) IS
  'Przedział ufności odsetka / confidence interval of successes / trials: method wilson (score interval), clopper-pearson (exact, beta quantiles) or jeffreys (beta(x + 1/2, n - x + 1/2) quantiles); Boost.Math. trials > 0 and 0 <= successes <= trials, 0 < level < 1, else 22003; an unknown method 22023 naming it.';
