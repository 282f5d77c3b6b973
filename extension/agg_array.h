/*
 * agg_array.h: a growable array of fixed-size elements in an aggregate's memory context, the
 * transition state smup.distribution (values) and smup.trend (year-value pairs) share.
 */
#ifndef SMUP_AGG_ARRAY_H
#define SMUP_AGG_ARRAY_H

#include "postgres.h"
#include "fmgr.h"

typedef struct SmupAggArray
{
	int64		n;				/* elements held */
	int64		capacity;
	int64		max;			/* never more than this many (an error names what and unit) */
	Size		elem_size;
	const char *what;			/* "a smup.distribution" */
	const char *unit;			/* "values" */
	void	   *data;			/* MemoryContextAllocHuge'd in the aggregate context */
} SmupAggArray;

/* An empty array with room for capacity (>= 1) elements, allocated in cxt. */
void		smup_agg_array_init(SmupAggArray *a, MemoryContext cxt, Size elem_size, int64 capacity,
								int64 max, const char *what, const char *unit);

/* Room for `more` elements after the n held (capacity doubles; 54000 past max). */
void		smup_agg_array_reserve(SmupAggArray *a, int64 more);

/* The aggregate's memory context; 0A000 naming the function outside an aggregate. */
MemoryContext smup_agg_context(FunctionCallInfo fcinfo, const char *name);

#endif							/* SMUP_AGG_ARRAY_H */
