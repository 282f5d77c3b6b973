/*
 * smup_capi_stats.h: extern "C" functions of the stats family (see smup_capi.h for the rules).
 * Distributions are plain arrays of doubles the caller owns; results go into caller buffers,
 * so nothing the core returns needs freeing.
 */
#ifndef SMUP_CAPI_STATS_H
#define SMUP_CAPI_STATS_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- distributions (sorted arrays of finite doubles) ------------------------------------ */

/* Sort values in place, ascending; fails with SMUP_NOT_FINITE if any is NaN or infinite. */
smup_status smup_dist_sort(double *values, size_t n, smup_cancel_callback should_cancel,
						   smup_error *err);

/* Merge the ascending runs values[0, n1) and values[n1, n1 + n2) in place. */
smup_status smup_dist_merge(double *values, size_t n1, size_t n2, smup_error *err);

/* SMUP_INVALID_ARGUMENT unless the values are finite and ascending. */
smup_status smup_dist_validate(const double *values, size_t n, smup_error *err);

/* percent_rank ((count below x) / (n - 1), 0 for n = 1) and cume_dist ((count <= x) / n). */
smup_status smup_dist_ranks(const double *sorted, size_t n, double x,
							double *percent_rank, double *cume_dist, smup_error *err);

/* Polarity of an indicator, as smup.indicator.polarity spells it. */
typedef enum smup_polarity
{
	SMUP_HIGHER_IS_BETTER = 0,
	SMUP_LOWER_IS_BETTER = 1,
	SMUP_NEUTRAL = 2
} smup_polarity;

/*
 * x's position in its group: rank = 1 + members better than x; percentile = mid-rank percentile
 * against the other members (100 = best by polarity, neutral: highest), valid when
 * has_percentile (not for a group of one). Either output may be NULL.
 */
smup_status smup_dist_group_position(const double *sorted, size_t n, double x,
									 smup_polarity polarity, int64_t *rank, double *percentile,
									 int *has_percentile, smup_error *err);

/*
 * percentile_cont for each of np probabilities; out[i] for p[i]. Entries with skip[i] != 0
 * (a NULL in an array) are left alone; skip may be NULL.
 */
smup_status smup_dist_quantiles(const double *sorted, size_t n, const double *p,
								const char *skip, size_t np, double *out, smup_error *err);

typedef struct smup_dist_summary
{
	int64_t		n;
	double		min, q1, median, q3, max, mean;
	double		sd;				/* sample standard deviation, valid when has_sd */
	int			has_sd;			/* 0 when n == 1 */
	double		mad;			/* median absolute deviation, unscaled */
} smup_dist_summary;

smup_status smup_dist_summarize(const double *sorted, size_t n, smup_dist_summary *out,
								smup_error *err);

/*
 * z = (x - mean) / sd, valid when has_z (n >= 2 and sd > 0); robust = (x - median) /
 * (1.4826 * MAD), valid when has_robust (MAD > 0). x must be finite.
 */
smup_status smup_dist_z_scores(const double *sorted, size_t n, double x, double *z, int *has_z,
							   double *robust, int *has_robust, smup_error *err);

/* ---- trends ----------------------------------------------------------------------------- */

typedef struct smup_year_value
{
	double		value;
	int32_t		year;
} smup_year_value;

/* Bits of smup_trend.present. */
#define SMUP_TREND_OLS_SLOPE	0x01
#define SMUP_TREND_OLS_SE		0x02
#define SMUP_TREND_THEIL_SEN	0x04
#define SMUP_TREND_MK_TAU		0x08
#define SMUP_TREND_MK_P			0x10
#define SMUP_TREND_CAGR			0x20

typedef struct smup_trend
{
	int64_t		n;
	int32_t		first_year, last_year;
	double		ols_slope, ols_slope_se, theil_sen_slope, mann_kendall_tau, mann_kendall_p, cagr;
	unsigned	present;		/* SMUP_TREND_* bits of the fields that are defined */
} smup_trend;

/*
 * Sorts the points by year in place (a duplicate year is SMUP_INVALID_ARGUMENT naming it) and
 * computes the trend; n >= 1.
 */
smup_status smup_trend_compute(smup_year_value *points, size_t n,
							   smup_cancel_callback should_cancel, smup_trend *out,
							   smup_error *err);

/* ---- confidence intervals --------------------------------------------------------------- */

typedef struct smup_interval
{
	double		estimate, lower, upper;
} smup_interval;

/* Exact Poisson (Garwood) interval of events / exposure * per. */
smup_status smup_rate_ci(double events, double exposure, double per, double level,
						 smup_interval *out, smup_error *err);

/* Proportion interval; method "wilson", "clopper-pearson" or "jeffreys" (method_len bytes). */
smup_status smup_proportion_ci(double successes, double trials, double level,
							   const char *method, size_t method_len, smup_interval *out,
							   smup_error *err);

#ifdef __cplusplus
}
#endif

#endif
