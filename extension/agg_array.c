/*
 * agg_array.c: the growable aggregate-state array (agg_array.h).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/memutils.h"

#include "agg_array.h"

void
smup_agg_array_init(SmupAggArray *a, MemoryContext cxt, Size elem_size, int64 capacity, int64 max,
					const char *what, const char *unit)
{
	a->n = 0;
	a->capacity = Max(capacity, 1);
	a->max = max;
	a->elem_size = elem_size;
	a->what = what;
	a->unit = unit;
	a->data = MemoryContextAllocHuge(cxt, (Size) a->capacity * elem_size);
}

void
smup_agg_array_reserve(SmupAggArray *a, int64 more)
{
	int64		need = a->n + more;
	int64		cap;

	if (need <= a->capacity)
		return;
	if (need > a->max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s holds at most %lld %s", a->what, (long long) a->max, a->unit)));
	cap = Max(a->capacity * 2, need);
	if (cap > a->max)
		cap = a->max;
	/* repalloc keeps the chunk in the context it was allocated in: the aggregate's */
	a->data = repalloc_huge(a->data, (Size) cap * a->elem_size);
	a->capacity = cap;
}

MemoryContext
smup_agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", name)));
	return cxt;
}
