/*
 * distribution.c: the smup.distribution type (text and binary I/O), its aggregate (parallel:
 * combine, serialise, deserialise) and the functions that read it. The sorting, ranking and
 * quantiles are the core's (smup_capi_stats.h); this file converts, checks and allocates.
 *
 * On disk: a varlena with a version byte, three reserved zero bytes, the count (int64) and the
 * sorted finite float8 values. The aggregate state is a growable array of doubles in the
 * aggregate memory context (8 bytes a value; capacity doubles, and untouched capacity is never
 * written, so never resident), sorted only in the final function.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "agg_array.h"
#include "smup_glue.h"

#define SMUP_DIST_VERSION 1

typedef struct SmupDistribution
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SMUP_DIST_VERSION */
	uint8		reserved[3];	/* zero */
	int64		count;			/* number of values, >= 1 */
	double		values[FLEXIBLE_ARRAY_MEMBER];	/* ascending, finite */
} SmupDistribution;

#define SMUP_DIST_HDRSZ offsetof(SmupDistribution, values)
/* A varlena holds at most 1 GB. */
#define SMUP_DIST_MAX_VALUES ((int64) ((MaxAllocSize - SMUP_DIST_HDRSZ) / sizeof(double)))

static void
dist_check_header(const SmupDistribution *d)
{
	if (d->version != SMUP_DIST_VERSION || d->reserved[0] || d->reserved[1] || d->reserved[2] ||
		d->count < 1 || d->count > SMUP_DIST_MAX_VALUES ||
		VARSIZE(d) != SMUP_DIST_HDRSZ + (Size) d->count * sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid smup.distribution header (version %d, %lld values, %u bytes)",
						d->version, (long long) d->count, (unsigned) VARSIZE(d))));
}

static SmupDistribution *
dist_alloc(int64 count)
{
	SmupDistribution *d;

	if (count > SMUP_DIST_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a smup.distribution holds at most %lld values, not %lld",
						(long long) SMUP_DIST_MAX_VALUES, (long long) count)));
	d = palloc(SMUP_DIST_HDRSZ + (Size) count * sizeof(double));
	SET_VARSIZE(d, SMUP_DIST_HDRSZ + (Size) count * sizeof(double));
	d->version = SMUP_DIST_VERSION;
	d->reserved[0] = d->reserved[1] = d->reserved[2] = 0;
	d->count = count;
	return d;
}

/* ---- detoasting, with a per-call-site cache of values stored out of line ------------------ */

/*
 * A query that reads many rows against a few large distributions (a join of indicator values
 * to their groups' distributions) would otherwise fetch and copy the same TOAST value once per
 * row. Values stored out of line are identified by (TOAST relation, value id), immutable while
 * the query runs; each call site keeps those it has seen twice, up to SMUP_DIST_CACHE_BYTES.
 * A value seen once is read into one scratch buffer, reused by the next: a card reads a
 * hundred distinct large groups once each, and keeping them all made the backend's heap grow
 * and shrink by megabytes a query, a page fault every 4 kB.
 */
#define SMUP_DIST_CACHE_BYTES ((Size) 64 * 1024 * 1024)

typedef struct DistCacheKey
{
	Oid			toastrelid;
	Oid			valueid;
} DistCacheKey;

typedef struct DistCacheEntry
{
	DistCacheKey key;
	SmupDistribution *dist;		/* NULL: seen once, not kept */
} DistCacheEntry;

typedef struct DistCache
{
	MemoryContext cxt;
	MemoryContext scratch;		/* the last value seen once; reset by the next read */
	HTAB	   *table;
	Size		bytes;
} DistCache;

static void
dist_cache_reset(DistCache *cache)
{
	HASHCTL		ctl;

	MemoryContextReset(cache->cxt);
	memset(&ctl, 0, sizeof ctl);
	ctl.keysize = sizeof(DistCacheKey);
	ctl.entrysize = sizeof(DistCacheEntry);
	ctl.hcxt = cache->cxt;
	cache->table = hash_create("smup.distribution cache", 64, &ctl,
							   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	cache->bytes = 0;
}

/*
 * The distribution argument argno, valid until the next call at this call site. One per call:
 * the scratch buffer holds one value seen once, and a second read would free the first.
 */
static SmupDistribution *
dist_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	SmupDistribution *d;

	Assert(argno == 0);			/* (every caller's distribution is its first argument) */

	if (VARATT_IS_EXTERNAL_ONDISK(raw) && fcinfo->flinfo != NULL)
	{
		DistCache  *cache = (DistCache *) fcinfo->flinfo->fn_extra;
		struct varatt_external ptr;
		DistCacheKey key;
		DistCacheEntry *entry;
		bool		found;

		if (cache == NULL)
		{
			cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(DistCache));
			cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "smup.distribution cache",
											   ALLOCSET_DEFAULT_SIZES);
			cache->scratch = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "smup.distribution scratch",
												   ALLOCSET_SMALL_SIZES);
			dist_cache_reset(cache);
			fcinfo->flinfo->fn_extra = cache;
		}
		VARATT_EXTERNAL_GET_POINTER(ptr, raw);
		memset(&key, 0, sizeof key);
		key.toastrelid = ptr.va_toastrelid;
		key.valueid = ptr.va_valueid;
		entry = hash_search(cache->table, &key, HASH_FIND, NULL);
		if (entry != NULL && entry->dist != NULL)
			return entry->dist;
		if (cache->bytes > SMUP_DIST_CACHE_BYTES)
		{
			dist_cache_reset(cache);
			entry = NULL;
		}
		{
			/* seen before: keep it; first sight: the scratch buffer */
			MemoryContext keep = entry != NULL ? cache->cxt : cache->scratch;
			MemoryContext old;

			if (entry == NULL)
				MemoryContextReset(cache->scratch);
			old = MemoryContextSwitchTo(keep);
			d = (SmupDistribution *) detoast_attr(raw);
			MemoryContextSwitchTo(old);
		}
		dist_check_header(d);
		if (entry == NULL)
		{
			entry = hash_search(cache->table, &key, HASH_ENTER, &found);
			entry->dist = NULL;
			cache->bytes += sizeof(DistCacheEntry);
		}
		else
		{
			entry->dist = d;
			cache->bytes += VARSIZE(d);
		}
		return d;
	}
	d = (SmupDistribution *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	dist_check_header(d);
	return d;
}

/* ---- text and binary I/O ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(smup_distribution_in);
PG_FUNCTION_INFO_V1(smup_distribution_out);
PG_FUNCTION_INFO_V1(smup_distribution_recv);
PG_FUNCTION_INFO_V1(smup_distribution_send);

/* '{v1,v2,...}': at least one finite value, any order (stored sorted), blanks allowed. */
Datum
smup_distribution_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	int64		capacity = 1;
	int64		n = 0;
	SmupDistribution *d;
	smup_error	err;

	for (char *c = str; *c; c++)
		if (*c == ',')
			capacity++;
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '{')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type smup.distribution: \"%s\"", str),
				 errdetail("A distribution is written as {value,value,...}.")));
	p++;
	d = dist_alloc(capacity);
	for (;;)
	{
		char	   *end;

		while (isspace((unsigned char) *p))
			p++;
		if (*p == '}' && n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type smup.distribution: \"%s\"", str),
					 errdetail("A distribution holds at least one value.")));
#if PG_VERSION_NUM >= 160000	/* 16 added soft error reporting (NULL: raise as before) */
		d->values[n++] = float8in_internal(p, &end, "smup.distribution", str, NULL);
#else
		d->values[n++] = float8in_internal(p, &end, "smup.distribution", str);
#endif
		p = end;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p == '}')
			break;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type smup.distribution: \"%s\"", str),
				 errdetail("Expected \",\" or \"}\" after value %lld.", (long long) n)));
	}
	p++;
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type smup.distribution: \"%s\"", str),
				 errdetail("Junk after the closing \"}\".")));
	d->count = n;
	SET_VARSIZE(d, SMUP_DIST_HDRSZ + (Size) n * sizeof(double));
	smup_check(smup_dist_sort(d->values, (size_t) n, smup_should_cancel, &err), &err);
	PG_RETURN_POINTER(d);
}

Datum
smup_distribution_out(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int64 i = 0; i < d->count; i++)
	{
		char	   *s = float8out_internal(d->values[i]);

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoString(&buf, s);
		pfree(s);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary: version byte, int64 count, count float8 values (ascending, finite). */
Datum
smup_distribution_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int64		n;
	SmupDistribution *d;
	smup_error	err;

	if (version != SMUP_DIST_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid smup.distribution binary format version %d", version)));
	n = pq_getmsgint64(buf);
	if (n < 1 || n > SMUP_DIST_MAX_VALUES || n > (int64) (buf->len - buf->cursor) / 8 ||
		n * 8 != (int64) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid smup.distribution: %lld values announced, %d bytes follow",
						(long long) n, buf->len - buf->cursor)));
	d = dist_alloc(n);
	for (int64 i = 0; i < n; i++)
		d->values[i] = pq_getmsgfloat8(buf);
	if (smup_dist_validate(d->values, (size_t) n, &err) != SMUP_OK)
		ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), errmsg("%s", err.message)));
	PG_RETURN_POINTER(d);
}

Datum
smup_distribution_send(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMUP_DIST_VERSION);
	pq_sendint64(&buf, d->count);
	for (int64 i = 0; i < d->count; i++)
		pq_sendfloat8(&buf, d->values[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- the aggregate ---------------------------------------------------------------------- */

typedef struct DistState
{
	SmupAggArray arr;			/* the values (doubles) */
	bool		sorted;			/* values are ascending (set by serialise, kept by merges) */
} DistState;

#define DIST_VALUES(s) ((double *) (s)->arr.data)

static DistState *
dist_state_new(MemoryContext cxt, int64 capacity)
{
	DistState  *s = MemoryContextAlloc(cxt, sizeof(DistState));

	smup_agg_array_init(&s->arr, cxt, sizeof(double), capacity, SMUP_DIST_MAX_VALUES, "a smup.distribution",
						"values");
	s->sorted = true;
	return s;
}

PG_FUNCTION_INFO_V1(smup_distribution_sfunc);
PG_FUNCTION_INFO_V1(smup_distribution_final);
PG_FUNCTION_INFO_V1(smup_distribution_combine);
PG_FUNCTION_INFO_V1(smup_distribution_serial);
PG_FUNCTION_INFO_V1(smup_distribution_deserial);

Datum
smup_distribution_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = smup_agg_context(fcinfo, "smup_distribution_sfunc");
	DistState  *s = PG_ARGISNULL(0) ? NULL : (DistState *) PG_GETARG_POINTER(0);
	double		v;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	v = PG_GETARG_FLOAT8(1);
	if (unlikely(isnan(v) || isinf(v)))
		smup_require_finite(v, "smup.distribution value");
	if (s == NULL)
		s = dist_state_new(cxt, 16);
	else if (unlikely(s->arr.n == s->arr.capacity))
		smup_agg_array_reserve(&s->arr, 1);
	DIST_VALUES(s)[s->arr.n++] = v;
	s->sorted = false;
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(smup_distribution_union_sfunc);

/*
 * Transition function of smup.distribution(smup.distribution): the union of distributions
 * (e.g. Poland from its województwa). Each input is sorted, so the state stays sorted by
 * linear merges and the final function only copies.
 */
Datum
smup_distribution_union_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = smup_agg_context(fcinfo, "smup_distribution_union_sfunc");
	DistState  *s = PG_ARGISNULL(0) ? NULL : (DistState *) PG_GETARG_POINTER(0);
	SmupDistribution *d;
	smup_error	err;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	d = (SmupDistribution *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	dist_check_header(d);
	if (s == NULL)
		s = dist_state_new(cxt, d->count);
	else
		smup_agg_array_reserve(&s->arr, d->count);
	memcpy(DIST_VALUES(s) + s->arr.n, d->values, (Size) d->count * sizeof(double));
	if (s->arr.n > 0)
	{
		if (s->sorted)
			smup_check(smup_dist_merge(DIST_VALUES(s), (size_t) s->arr.n, (size_t) d->count, &err), &err);
	}
	else
		s->sorted = true;
	s->arr.n += d->count;
	if ((Pointer) d != DatumGetPointer(PG_GETARG_DATUM(1)))
		pfree(d);
	PG_RETURN_POINTER(s);
}

/*
 * Large states are sorted in place and moved into the result from the end, a block at a time,
 * shrinking the state behind the copy (repalloc of a large chunk is realloc, which gives the
 * pages back), so the values are held about once, not twice, at the hand-over. Hence
 * FINALFUNC_MODIFY = READ_WRITE: the state is consumed.
 */
#define SMUP_DIST_MOVE_BLOCK ((int64) 1 << 20)

Datum
smup_distribution_final(PG_FUNCTION_ARGS)
{
	DistState  *s = PG_ARGISNULL(0) ? NULL : (DistState *) PG_GETARG_POINTER(0);
	SmupDistribution *d;
	smup_error	err;

	smup_agg_context(fcinfo, "smup_distribution_final");
	if (s == NULL || s->arr.n == 0)
		PG_RETURN_NULL();
	d = dist_alloc(s->arr.n);
	if (s->arr.n <= SMUP_DIST_MOVE_BLOCK)
	{
		memcpy(d->values, DIST_VALUES(s), (Size) s->arr.n * sizeof(double));
		if (!s->sorted)
			smup_check(smup_dist_sort(d->values, (size_t) s->arr.n, smup_should_cancel, &err), &err);
	}
	else
	{
		int64		left = s->arr.n;

		if (!s->sorted)
			smup_check(smup_dist_sort(DIST_VALUES(s), (size_t) s->arr.n, smup_should_cancel, &err), &err);
		while (left > 0)
		{
			int64		block = Min(left, SMUP_DIST_MOVE_BLOCK);

			left -= block;
			memcpy(d->values + left, DIST_VALUES(s) + left, (Size) block * sizeof(double));
			s->arr.capacity = Max(left, 1);
			s->arr.data = repalloc_huge(s->arr.data, (Size) s->arr.capacity * sizeof(double));
		}
		s->arr.n = 0;
	}
	PG_RETURN_POINTER(d);
}

Datum
smup_distribution_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = smup_agg_context(fcinfo, "smup_distribution_combine");
	DistState  *a = PG_ARGISNULL(0) ? NULL : (DistState *) PG_GETARG_POINTER(0);
	DistState  *b = PG_ARGISNULL(1) ? NULL : (DistState *) PG_GETARG_POINTER(1);

	if (b == NULL || b->arr.n == 0)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = dist_state_new(cxt, b->arr.n);
	else
		smup_agg_array_reserve(&a->arr, b->arr.n);
	memcpy(DIST_VALUES(a) + a->arr.n, DIST_VALUES(b), (Size) b->arr.n * sizeof(double));
	if (a->sorted && b->sorted && a->arr.n > 0)
	{
		/* partial states sorted by the workers: a linear merge keeps the whole sorted */
		smup_error	err;

		smup_check(smup_dist_merge(DIST_VALUES(a), (size_t) a->arr.n, (size_t) b->arr.n, &err), &err);
	}
	else if (a->arr.n > 0)
		a->sorted = false;
	else
		a->sorted = b->sorted;
	a->arr.n += b->arr.n;
	PG_RETURN_POINTER(a);
}

/*
 * Serialised state: int64 count, then the values as the machine stores them, ascending: the
 * workers sort their partial states, so the leader only merges.
 */
Datum
smup_distribution_serial(PG_FUNCTION_ARGS)
{
	DistState  *s = (DistState *) PG_GETARG_POINTER(0);
	Size		size = VARHDRSZ + sizeof(int64) + (Size) s->arr.n * sizeof(double);
	bytea	   *out;
	smup_error	err;

	smup_agg_context(fcinfo, "smup_distribution_serial");
	if (!s->sorted)
	{
		smup_check(smup_dist_sort(DIST_VALUES(s), (size_t) s->arr.n, smup_should_cancel, &err), &err);
		s->sorted = true;
	}
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("smup.distribution state of %lld values is too large to send to the leader",
						(long long) s->arr.n)));
	out = palloc(size);
	SET_VARSIZE(out, size);
	memcpy(VARDATA(out), &s->arr.n, sizeof(int64));
	memcpy(VARDATA(out) + sizeof(int64), DIST_VALUES(s), (Size) s->arr.n * sizeof(double));
	PG_RETURN_BYTEA_P(out);
}

Datum
smup_distribution_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	Size		len = VARSIZE_ANY_EXHDR(in);
	int64		n;
	DistState  *s;

	smup_agg_context(fcinfo, "smup_distribution_deserial");
	if (len < sizeof(int64))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid smup.distribution state")));
	memcpy(&n, VARDATA_ANY(in), sizeof(int64));
	if (n < 0 || (Size) n * sizeof(double) != len - sizeof(int64))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid smup.distribution state")));
	s = dist_state_new(CurrentMemoryContext, n > 0 ? n : 1);
	memcpy(DIST_VALUES(s), VARDATA_ANY(in) + sizeof(int64), (Size) n * sizeof(double));
	s->arr.n = n;
	/* trust, but verify: a sorted state is only ever merged */
	for (int64 i = 1; i < n; i++)
		if (DIST_VALUES(s)[i] < DIST_VALUES(s)[i - 1])
		{
			s->sorted = false;
			break;
		}
	PG_RETURN_POINTER(s);
}

/* ---- reading a distribution ------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(smup_distribution_percentile_rank);
PG_FUNCTION_INFO_V1(smup_distribution_cume_dist);
PG_FUNCTION_INFO_V1(smup_distribution_quantile);
PG_FUNCTION_INFO_V1(smup_rank_in_group);
PG_FUNCTION_INFO_V1(smup_percentile_in_group);
PG_FUNCTION_INFO_V1(smup_group_position);
PG_FUNCTION_INFO_V1(smup_distribution_quantiles);
PG_FUNCTION_INFO_V1(smup_distribution_summary);
PG_FUNCTION_INFO_V1(smup_distribution_z_score);
PG_FUNCTION_INFO_V1(smup_distribution_robust_z_score);

Datum
smup_distribution_percentile_rank(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		r;
	smup_error	err;

	smup_check(smup_dist_ranks(d->values, (size_t) d->count, x, &r, NULL, &err), &err);
	PG_RETURN_FLOAT8(r);
}

Datum
smup_distribution_cume_dist(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		r;
	smup_error	err;

	smup_check(smup_dist_ranks(d->values, (size_t) d->count, x, NULL, &r, &err), &err);
	PG_RETURN_FLOAT8(r);
}

/* polarity as smup.indicator spells it; anything else is an error naming it */
static smup_polarity
polarity_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *p = text_to_cstring(PG_GETARG_TEXT_PP(argno));

	if (strcmp(p, "higher_is_better") == 0)
		return SMUP_HIGHER_IS_BETTER;
	if (strcmp(p, "lower_is_better") == 0)
		return SMUP_LOWER_IS_BETTER;
	if (strcmp(p, "neutral") == 0)
		return SMUP_NEUTRAL;
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("unknown polarity \"%s\"", p),
					errhint("Use higher_is_better, lower_is_better or neutral.")));
	return SMUP_NEUTRAL;		/* not reached */
}

/* rank_in_group and percentile_in_group: one binary-search pair in the group's values */
static void
group_position_args(FunctionCallInfo fcinfo, int64 *rank, double *percentile, int *has_percentile)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	smup_polarity polarity = polarity_arg(fcinfo, 2);
	int64_t		r = 0;
	smup_error	err;

	smup_check(smup_dist_group_position(d->values, (size_t) d->count, x, polarity, &r, percentile,
										has_percentile, &err), &err);
	*rank = r;
}

Datum
smup_rank_in_group(PG_FUNCTION_ARGS)
{
	int64		rank;
	double		percentile;
	int			has_percentile;

	group_position_args(fcinfo, &rank, &percentile, &has_percentile);
	PG_RETURN_INT64(rank);
}

Datum
smup_percentile_in_group(PG_FUNCTION_ARGS)
{
	int64		rank;
	double		percentile;
	int			has_percentile;

	group_position_args(fcinfo, &rank, &percentile, &has_percentile);
	if (!has_percentile)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(percentile);
}

/* both at once: one detoast of the group for a row that shows both (smup.benchmark) */
Datum
smup_group_position(PG_FUNCTION_ARGS)
{
	int64		rank;
	double		percentile;
	int			has_percentile;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	group_position_args(fcinfo, &rank, &percentile, &has_percentile);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("smup.group_position must return a composite")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int64GetDatum(rank);
	values[1] = Float8GetDatum(percentile);
	nulls[1] = !has_percentile;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

Datum
smup_distribution_quantile(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	double		p = PG_GETARG_FLOAT8(1);
	double		r;
	smup_error	err;

	smup_check(smup_dist_quantiles(d->values, (size_t) d->count, &p, NULL, 1, &r, &err), &err);
	PG_RETURN_FLOAT8(r);
}

/* As percentile_cont(float8[]): same dimensions, NULL elements give NULL. */
Datum
smup_distribution_quantiles(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	ArrayType  *ps = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			np;
	double	   *p;
	double	   *out;
	char	   *skip;
	smup_error	err;

	if (ARR_NDIM(ps) == 0)
		PG_RETURN_POINTER(construct_empty_array(FLOAT8OID));
	deconstruct_array(ps, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &np);
	p = palloc(sizeof(double) * np);
	out = palloc0(sizeof(double) * np);
	skip = palloc(np);
	for (int i = 0; i < np; i++)
	{
		skip[i] = nulls[i];
		p[i] = nulls[i] ? 0.0 : DatumGetFloat8(elems[i]);
	}
	smup_check(smup_dist_quantiles(d->values, (size_t) d->count, p, skip, (size_t) np, out, &err),
			   &err);
	for (int i = 0; i < np; i++)
		elems[i] = Float8GetDatum(out[i]);
	PG_RETURN_POINTER(construct_md_array(elems, nulls, ARR_NDIM(ps), ARR_DIMS(ps), ARR_LBOUND(ps),
										 FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
										 TYPALIGN_DOUBLE));
}

Datum
smup_distribution_summary(PG_FUNCTION_ARGS)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	smup_dist_summary s;
	smup_error	err;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {false, false, false, false, false, false, false, false, false};

	smup_check(smup_dist_summarize(d->values, (size_t) d->count, &s, &err), &err);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("smup.summary must return a composite")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int64GetDatum(s.n);
	values[1] = Float8GetDatum(s.min);
	values[2] = Float8GetDatum(s.q1);
	values[3] = Float8GetDatum(s.median);
	values[4] = Float8GetDatum(s.q3);
	values[5] = Float8GetDatum(s.max);
	values[6] = Float8GetDatum(s.mean);
	values[7] = Float8GetDatum(s.sd);
	nulls[7] = !s.has_sd;
	values[8] = Float8GetDatum(s.mad);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static Datum
z_score_common(FunctionCallInfo fcinfo, bool robust)
{
	SmupDistribution *d = dist_arg(fcinfo, 0);
	double		x = PG_GETARG_FLOAT8(1);
	double		z = 0;
	int			has = 0;
	int			unused;
	smup_error	err;

	smup_require_finite(x, robust ? "smup.robust_z_score value" : "smup.z_score value");
	if (robust)
		smup_check(smup_dist_z_scores(d->values, (size_t) d->count, x, NULL, &unused, &z, &has, &err),
				   &err);
	else
		smup_check(smup_dist_z_scores(d->values, (size_t) d->count, x, &z, &has, NULL, &unused, &err),
				   &err);
	if (!has)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(z);
}

Datum
smup_distribution_z_score(PG_FUNCTION_ARGS)
{
	return z_score_common(fcinfo, false);
}

Datum
smup_distribution_robust_z_score(PG_FUNCTION_ARGS)
{
	return z_score_common(fcinfo, true);
}
