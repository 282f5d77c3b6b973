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
 * A polygon given by its rings in place (x, y pairs, 8-byte aligned, each ring closed), as
 * PostGIS serialises one: read where it lies when its rings lie one after another.
 */
typedef struct smup_rings
{
	uint32_t	nrings;			/* 0: the polygon is given as WKB instead */
	int32_t		srid;
	const uint32_t *points;		/* [nrings] the points of each ring */
	const double *const *coords;	/* [nrings] their x, y pairs */
	const uint8_t *holes;		/* [nrings] 1 for a hole; NULL: the first ring the shell, the others holes */
} smup_rings;

/*
 * Contiguity of n polygons with their ids, polygon i given as rings[i] when rings is not NULL
 * and rings[i].nrings > 0, else as WKB (ISO or EWKB, Polygon or MultiPolygon) in wkb[i].
 * rule is "queen" or "rook"; tolerance >= 0 (0 = exact); order >= 1 (2 = neighbours of
 * neighbours that are not first-order neighbours, value NaN). Pairs come both ways, sorted by
 * id then neighbour id. Duplicate ids, non-polygonal or empty geometries, different SRIDs are
 * errors naming the id. The input must stay alive until the call returns.
 */
smup_status smup_contiguity(size_t n, const char *const *ids, const uint8_t *const *wkb,
							const size_t *wkb_len, const smup_rings *rings, const char *rule,
							double tolerance, int order, smup_cancel_callback should_cancel,
							smup_pairs *out, smup_error *err);

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
