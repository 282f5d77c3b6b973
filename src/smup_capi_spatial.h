/*
 * smup_capi_spatial.h: extern "C" functions of the spatial family (see smup_capi.h for the rules).
 */
#ifndef SMUP_CAPI_SPATIAL_H
#define SMUP_CAPI_SPATIAL_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Directed pairs of input positions (0-based) with a value; release with smup_pairs_free. */
typedef struct smup_pairs
{
	size_t		n;
	int32_t    *a;				/* [n] the unit */
	int32_t    *b;				/* [n] its neighbour */
	double	   *value;			/* [n] shared border (m) or distance (m); NaN means SQL NULL */
} smup_pairs;

void		smup_pairs_free(smup_pairs *pairs);

/*
 * Contiguity of n polygons given as WKB (ISO or EWKB, Polygon or MultiPolygon) with their ids.
 * rule is "queen" or "rook"; tolerance >= 0 (0 = exact); order >= 1 (2 = neighbours of
 * neighbours that are not first-order neighbours, value NaN). Pairs come both ways, sorted by
 * id then neighbour id. Duplicate ids, non-polygonal or empty geometries, EWKB with
 * different SRIDs are errors naming the id.
 */
smup_status smup_contiguity(size_t n, const char *const *ids, const uint8_t *const *wkb,
							const size_t *wkb_len, const char *rule, double tolerance, int order,
							smup_cancel_callback should_cancel, smup_pairs *out, smup_error *err);

/* The k nearest other points of each point (value = distance), sorted by id then distance. */
smup_status smup_nearest(size_t n, const char *const *ids, const double *x, const double *y, int k,
						 smup_cancel_callback should_cancel, smup_pairs *out, smup_error *err);

/* Pairs of distinct points at most metres apart (value = distance), sorted by id then distance. */
smup_status smup_within_distance(size_t n, const char *const *ids, const double *x, const double *y,
								 double metres, smup_cancel_callback should_cancel, smup_pairs *out,
								 smup_error *err);

#ifdef __cplusplus
}
#endif

#endif
