/*
 * teryt.c: smup.teryt_parse(code text, width int) → smup.teryt_code.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_teryt_parse_sql);

Datum
smup_teryt_parse_sql(PG_FUNCTION_ARGS)
{
	text	   *code;
	int32		width = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1);
	smup_teryt	parsed;
	smup_error	err;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	/* not strict: a NULL width means "infer", a NULL code gives NULL */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	code = PG_GETARG_TEXT_PP(0);

	smup_check(smup_teryt_parse(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code), width, &parsed, &err),
			   &err);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("teryt_parse must return a composite")));
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = CStringGetTextDatum(parsed.id);
	values[1] = CStringGetTextDatum(parsed.level);
	if (parsed.teryt7[0] != '\0')
		values[2] = CStringGetTextDatum(parsed.teryt7);
	else
		nulls[2] = true;
	if (parsed.rodz != 0)
		values[3] = Int32GetDatum(parsed.rodz);
	else
		nulls[3] = true;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
