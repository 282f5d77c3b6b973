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

/*
 * The rows smup.neighbour stores for one layer (exact, no tolerance): directed pairs of input
 * positions (each both ways) in four sets, numbered as (rule, "order") sorts: 0 queen order 1,
 * 1 queen order 2, 2 rook order 1, 3 rook order 2. One contiguity pass gives queen and rook,
 * the second orders come from the first in memory. Sorted by id, neighbour id, set; value is
 * the shared border (m) for order 1, NaN for order 2. Release with smup_neighbour_rows_free.
 */
#define SMUP_NEIGHBOUR_SETS 4
#define SMUP_NO_SET 255
typedef struct smup_neighbour_rows
{
	size_t		n;
	int32_t    *a;				/* [n] the unit */
	int32_t    *b;				/* [n] its neighbour */
	uint8_t    *set;			/* [n] 0..3 as above */
	double	   *value;			/* [n] */
	size_t		count[SMUP_NEIGHBOUR_SETS]; /* rows of each set */
} smup_neighbour_rows;

void		smup_neighbour_rows_free(smup_neighbour_rows *rows);

/* The input as smup_contiguity takes it (same checks and errors). */
smup_status smup_neighbour_sets(size_t n, const char *const *ids, const uint8_t *const *wkb,
								const size_t *wkb_len, const smup_rings *rings,
								smup_cancel_callback should_cancel, smup_neighbour_rows *out,
								smup_error *err);

/*
 * Stored rows against new rows, each row an id, a neighbour id, a set (0..3, SMUP_NO_SET for a
 * row of no set) and a value (NaN for SQL NULL): keep[i] = 1 when stored row i is a new row
 * with an identical value, else 0; present[j] = 1 when new row j is such a stored row, else 0.
 * What is not kept is to be deleted, what is not present inserted. The new rows must not repeat
 * (id, neighbour id, set); stored rows that repeat one are kept once.
 */
smup_status smup_match_rows(size_t nstored, const char *const *stored_id, const char *const *stored_nb,
							const uint8_t *stored_set, const double *stored_value,
							size_t nnew, const char *const *new_id, const char *const *new_nb,
							const uint8_t *new_set, const double *new_value,
							smup_cancel_callback should_cancel, uint8_t *keep, uint8_t *present,
							smup_error *err);

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
