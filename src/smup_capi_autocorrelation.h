/*
 * smup_capi_autocorrelation.h: extern "C" functions of spatial autocorrelation (see smup_capi.h
 * for the rules). The caller owns every array; results go into caller buffers in the order of
 * the input units; NaN in a result means SQL NULL (undefined).
 */
#ifndef SMUP_CAPI_AUTOCORRELATION_H
#define SMUP_CAPI_AUTOCORRELATION_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Units with values, and directed neighbour pairs by id with optional weights (NULL: 1 each). */
typedef struct smup_spatial_input
{
	size_t		n;
	const char *const *ids;
	const double *values;
	size_t		m;
	const char *const *from;
	const char *const *to;
	const double *weight;
	int			binary;			/* 0: row-standardised (style W), 1: weights as given (style B) */
	uint32_t	permutations;
	uint64_t	seed;
} smup_spatial_input;

typedef struct smup_global_test
{
	int64_t		n;
	double		statistic, expected;
	double		variance_normal, z_normal, p_normal;
	double		variance_random, z_random, p_random;
	double		p_permutation;
} smup_global_test;

smup_status smup_moran_i(const smup_spatial_input *in, smup_cancel_callback should_cancel,
						 smup_global_test *out, smup_error *err);
smup_status smup_geary_c(const smup_spatial_input *in, smup_cancel_callback should_cancel,
						 smup_global_test *out, smup_error *err);

/* cluster: 0 ns, 1 HH, 2 LL, 3 HL, 4 LH */
typedef struct smup_local_moran_row
{
	double		lag, ii, expected, variance, z, p_permutation;
	int			cluster;
} smup_local_moran_row;

smup_status smup_local_moran(const smup_spatial_input *in, double significance,
							 smup_cancel_callback should_cancel, smup_local_moran_row *out /* [n] */,
							 smup_error *err);

typedef struct smup_getis_ord_row
{
	double		g, z, p_normal, p_permutation;
} smup_getis_ord_row;

/* Weights as given (in->binary is ignored); star: the unit itself with weight 1 (Gi*). */
smup_status smup_getis_ord(const smup_spatial_input *in, int star, smup_cancel_callback should_cancel,
						   smup_getis_ord_row *out /* [n] */, smup_error *err);

/* Global Empirical Bayes rates (Marshall 1991): raw_rate[i], eb_rate[i] for each unit. */
smup_status smup_eb_rate(size_t n, const char *const *ids, const double *events, const double *population,
						 double *raw_rate, double *eb_rate, smup_error *err);

#ifdef __cplusplus
}
#endif

#endif
