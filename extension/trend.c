/*
 * trend.c: the smup.trend(year int, value float8) aggregate → smup.trend_result. The state is a
 * growable array of (value, year) pairs in the aggregate context; the statistics are the
 * core's (smup_trend_compute). Parallel: combine appends, serialise copies the pairs.
 * smup._trend_series shares the state and returns the trend with the series sorted by year.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "agg_array.h"
#include "smup_glue.h"

/* The (value, year) pairs: smup_year_value elements. */
typedef SmupAggArray TrendState;

#define TREND_POINTS(s) ((smup_year_value *) (s)->data)
#define SMUP_TREND_MAX_POINTS ((int64) (MaxAllocSize / sizeof(smup_year_value)))

static TrendState *
trend_state_new(MemoryContext cxt, int64 capacity)
{
	TrendState *s = MemoryContextAlloc(cxt, sizeof(TrendState));

	smup_agg_array_init(s, cxt, sizeof(smup_year_value), capacity, SMUP_TREND_MAX_POINTS, "smup.trend", "points");
	return s;
}

PG_FUNCTION_INFO_V1(smup_trend_sfunc);
PG_FUNCTION_INFO_V1(smup_trend_final);
PG_FUNCTION_INFO_V1(smup_trend_series_final);
PG_FUNCTION_INFO_V1(smup_trend_combine);
PG_FUNCTION_INFO_V1(smup_trend_serial);
PG_FUNCTION_INFO_V1(smup_trend_deserial);

/* A NULL year or value is skipped; a NaN or infinite value is an error naming its year. */
Datum
smup_trend_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = smup_agg_context(fcinfo, "smup.trend support function");
	TrendState *s = PG_ARGISNULL(0) ? NULL : (TrendState *) PG_GETARG_POINTER(0);
	int32		year;
	double		v;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	year = PG_GETARG_INT32(1);
	v = PG_GETARG_FLOAT8(2);
	if (isnan(v) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("smup.trend value for year %d must be a finite number, not %s", year,
						isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"))));
	if (s == NULL)
		s = trend_state_new(cxt, 16);
	else
		smup_agg_array_reserve(s, 1);
	TREND_POINTS(s)[s->n].value = v;
	TREND_POINTS(s)[s->n].year = year;
	s->n++;
	PG_RETURN_POINTER(s);
}

/* The core's trend of the state's points; *sorted gets a copy of them sorted by year. */
static smup_trend
trend_of_state(TrendState *s, smup_year_value **sorted)
{
	smup_trend	t;
	smup_error	err;

	/* the core sorts by year: give it a copy, the state stays as it is */
	*sorted = palloc((Size) s->n * sizeof(smup_year_value));
	memcpy(*sorted, TREND_POINTS(s), (Size) s->n * sizeof(smup_year_value));
	smup_check(smup_trend_compute(*sorted, (size_t) s->n, smup_should_cancel, &t, &err), &err);
	return t;
}

/* A smup.trend_result row of a trend. */
static Datum
trend_result_datum(TupleDesc tupdesc, const smup_trend *t)
{
	Datum		values[9];
	bool		nulls[9];

	memset(nulls, 0, sizeof nulls);
	values[0] = Int64GetDatum(t->n);
	values[1] = Int32GetDatum(t->first_year);
	values[2] = Int32GetDatum(t->last_year);
	values[3] = Float8GetDatum(t->ols_slope);
	nulls[3] = !(t->present & SMUP_TREND_OLS_SLOPE);
	values[4] = Float8GetDatum(t->ols_slope_se);
	nulls[4] = !(t->present & SMUP_TREND_OLS_SE);
	values[5] = Float8GetDatum(t->theil_sen_slope);
	nulls[5] = !(t->present & SMUP_TREND_THEIL_SEN);
	values[6] = Float8GetDatum(t->mann_kendall_tau);
	nulls[6] = !(t->present & SMUP_TREND_MK_TAU);
	values[7] = Float8GetDatum(t->mann_kendall_p);
	nulls[7] = !(t->present & SMUP_TREND_MK_P);
	values[8] = Float8GetDatum(t->cagr);
	nulls[8] = !(t->present & SMUP_TREND_CAGR);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

Datum
smup_trend_final(PG_FUNCTION_ARGS)
{
	TrendState *s = PG_ARGISNULL(0) ? NULL : (TrendState *) PG_GETARG_POINTER(0);
	smup_year_value *points;
	smup_trend	t;
	TupleDesc	tupdesc;

	smup_agg_context(fcinfo, "smup.trend support function");
	if (s == NULL || s->n == 0)
		PG_RETURN_NULL();
	t = trend_of_state(s, &points);
	pfree(points);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("smup.trend must return a composite")));
	PG_RETURN_DATUM(trend_result_datum(BlessTupleDesc(tupdesc), &t));
}

/* smup._trend_series: (trend smup.trend_result, years int[], values float8[]), years ascending. */
Datum
smup_trend_series_final(PG_FUNCTION_ARGS)
{
	TrendState *s = PG_ARGISNULL(0) ? NULL : (TrendState *) PG_GETARG_POINTER(0);
	smup_year_value *points;
	smup_trend	t;
	TupleDesc	tupdesc;
	TupleDesc	trend_desc;
	Datum	   *years;
	Datum	   *series;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	smup_agg_context(fcinfo, "smup._trend_series support function");
	if (s == NULL || s->n == 0)
		PG_RETURN_NULL();
	t = trend_of_state(s, &points);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 3)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("smup._trend_series must return a composite of three columns")));
	tupdesc = BlessTupleDesc(tupdesc);
	trend_desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(TupleDescAttr(tupdesc, 0)->atttypid, -1));
	years = palloc((Size) s->n * sizeof(Datum));
	series = palloc((Size) s->n * sizeof(Datum));
	for (int64 i = 0; i < s->n; i++)
	{
		years[i] = Int32GetDatum(points[i].year);
		series[i] = Float8GetDatum(points[i].value);
	}
	values[0] = trend_result_datum(trend_desc, &t);
	values[1] = PointerGetDatum(construct_array(years, (int) s->n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_array(series, (int) s->n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
												TYPALIGN_DOUBLE));
	pfree(points);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

Datum
smup_trend_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = smup_agg_context(fcinfo, "smup.trend support function");
	TrendState *a = PG_ARGISNULL(0) ? NULL : (TrendState *) PG_GETARG_POINTER(0);
	TrendState *b = PG_ARGISNULL(1) ? NULL : (TrendState *) PG_GETARG_POINTER(1);

	if (b == NULL || b->n == 0)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = trend_state_new(cxt, b->n);
	else
		smup_agg_array_reserve(a, b->n);
	memcpy(TREND_POINTS(a) + a->n, TREND_POINTS(b), (Size) b->n * sizeof(smup_year_value));
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/* Serialised state: int64 count, then (float8 value, int32 year) per point. */
Datum
smup_trend_serial(PG_FUNCTION_ARGS)
{
	TrendState *s = (TrendState *) PG_GETARG_POINTER(0);
	const Size	per = sizeof(double) + sizeof(int32);
	Size		size = VARHDRSZ + sizeof(int64) + (Size) s->n * per;
	bytea	   *out;
	char	   *p;

	smup_agg_context(fcinfo, "smup.trend support function");
	if (size > MaxAllocSize)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("smup.trend state too large to send to the leader")));
	out = palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memcpy(p, &s->n, sizeof(int64));
	p += sizeof(int64);
	for (int64 i = 0; i < s->n; i++)
	{
		memcpy(p, &TREND_POINTS(s)[i].value, sizeof(double));
		memcpy(p + sizeof(double), &TREND_POINTS(s)[i].year, sizeof(int32));
		p += per;
	}
	PG_RETURN_BYTEA_P(out);
}

Datum
smup_trend_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const Size	per = sizeof(double) + sizeof(int32);
	Size		len = VARSIZE_ANY_EXHDR(in);
	const char *p = VARDATA_ANY(in);
	int64		n;
	TrendState *s;

	smup_agg_context(fcinfo, "smup.trend support function");
	if (len < sizeof(int64))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid smup.trend state")));
	memcpy(&n, p, sizeof(int64));
	p += sizeof(int64);
	if (n < 0 || (Size) n * per != len - sizeof(int64))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid smup.trend state")));
	s = trend_state_new(CurrentMemoryContext, n > 0 ? n : 1);
	for (int64 i = 0; i < n; i++)
	{
		memcpy(&TREND_POINTS(s)[i].value, p, sizeof(double));
		memcpy(&TREND_POINTS(s)[i].year, p + sizeof(double), sizeof(int32));
		p += per;
	}
	s->n = n;
	PG_RETURN_POINTER(s);
}
