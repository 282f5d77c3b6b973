/*
 * intervals.c: smup.rate_ci (exact Poisson, Garwood) and smup.proportion_ci (Wilson,
 * Clopper–Pearson, Jeffreys). The limits are the core's (Boost.Math quantiles).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "smup_glue.h"

static Datum
interval_tuple(FunctionCallInfo fcinfo, const smup_interval *r)
{
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("function returning an interval must return a composite")));
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(r->estimate);
	values[1] = Float8GetDatum(r->lower);
	values[2] = Float8GetDatum(r->upper);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

PG_FUNCTION_INFO_V1(smup_rate_ci_sql);
PG_FUNCTION_INFO_V1(smup_proportion_ci_sql);

Datum
smup_rate_ci_sql(PG_FUNCTION_ARGS)
{
	smup_interval r;
	smup_error	err;

	smup_check(smup_rate_ci(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
							PG_GETARG_FLOAT8(3), &r, &err), &err);
	PG_RETURN_DATUM(interval_tuple(fcinfo, &r));
}

Datum
smup_proportion_ci_sql(PG_FUNCTION_ARGS)
{
	text	   *method = PG_GETARG_TEXT_PP(3);
	smup_interval r;
	smup_error	err;

	smup_check(smup_proportion_ci(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
								  VARDATA_ANY(method), VARSIZE_ANY_EXHDR(method), &r, &err), &err);
	PG_RETURN_DATUM(interval_tuple(fcinfo, &r));
}
