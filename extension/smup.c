/*
 * smup.c: module magic and the one place that turns core statuses into ereport.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"

#include "smup_glue.h"

PG_MODULE_MAGIC;

int
smup_should_cancel(void)
{
	return QueryCancelPending || ProcDiePending;
}

void
smup_report(smup_status status, const smup_error *err)
{
	int			code;

	switch (status)
	{
		case SMUP_CANCELLED:
			CHECK_FOR_INTERRUPTS();
			/* the flag was cleared in between: still stop, as the core did */
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("canceling statement due to user request")));
			break;
		case SMUP_INVALID_ARGUMENT:
		case SMUP_INVALID_GEOMETRY:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case SMUP_INVALID_TEXT:
			code = ERRCODE_INVALID_TEXT_REPRESENTATION;
			break;
		case SMUP_OUT_OF_RANGE:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		case SMUP_NOT_FINITE:
			code = ERRCODE_DATA_EXCEPTION;
			break;
		case SMUP_OUT_OF_MEMORY:
			code = ERRCODE_OUT_OF_MEMORY;
			break;
		default:
			code = ERRCODE_INTERNAL_ERROR;
			break;
	}
	ereport(ERROR, (errcode(code), errmsg("%s", err->message)));
	pg_unreachable();
}

void
smup_require_finite(double value, const char *what)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must be a finite number, not %s", what,
						isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"))));
}
