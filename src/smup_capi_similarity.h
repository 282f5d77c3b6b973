/*
 * smup_capi_similarity.h: extern "C" nearest similar units (see smup_capi.h for the rules).
 */
#ifndef SMUP_CAPI_SIMILARITY_H
#define SMUP_CAPI_SIMILARITY_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smup_similar_rows
{
	size_t		n;				/* rows: a unit asked about and one of its k nearest */
	size_t		n_indicators;
	size_t	   *unit;			/* [n] index into the ids passed */
	size_t	   *peer;			/* [n] index into the ids passed */
	int32_t    *rank;			/* [n] 1 = nearest; equal distances ranked by id */
	double	   *distance;		/* [n] */
	double	   *contribution;	/* [n × n_indicators] share of the squared distance; NaN: not both have it */
} smup_similar_rows;

/*
 * The k nearest units of each unit asked about (only[0..n_only), or every unit when n_only is
 * 0), by weighted Euclidean distance over the indicators standardised across all n_units
 * (robust != 0: median and 1.4826 × MAD; else mean and sample sd). values is n_units ×
 * n_indicators row-major, NaN = missing; ids (NUL-terminated) break ties. Release with
 * smup_similar_rows_free.
 */
smup_status smup_similar_peers(const char *const *ids, size_t n_units, const double *values, size_t n_indicators,
							   const double *weights, size_t k, int robust, const size_t *only, size_t n_only,
							   smup_cancel_callback should_cancel, smup_similar_rows *out, smup_error *err);
void		smup_similar_rows_free(smup_similar_rows *rows);

#ifdef __cplusplus
}
#endif

#endif							/* SMUP_CAPI_SIMILARITY_H */
