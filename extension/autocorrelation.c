/*
 * autocorrelation.c: spatial autocorrelation over user queries, pgRouting style
 * (sql/install/65-autocorrelation.sql):
 *   smup.moran_i(values_sql, neighbours_sql, style, permutations, seed)  one row
 *   smup.geary_c(values_sql, neighbours_sql, style, permutations, seed)  one row
 *   smup.local_moran(values_sql, neighbours_sql, style, permutations, seed, significance)
 *   smup.getis_ord(values_sql, neighbours_sql, star, permutations, seed)
 *   smup.eb_rate(events_sql)
 * The queries run through SPI with the caller's rights; their rows are checked here (column
 * count and types, NULLs naming the id), copied into plain arrays, and handed to the C++ core,
 * which checks ids (duplicates, pairs naming unknown ids, negative weights). No PostgreSQL call
 * runs while the core works; it polls smup_should_cancel.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_moran_i_sql);
PG_FUNCTION_INFO_V1(smup_geary_c_sql);
PG_FUNCTION_INFO_V1(smup_local_moran_sql);
PG_FUNCTION_INFO_V1(smup_getis_ord_sql);
PG_FUNCTION_INFO_V1(smup_eb_rate_sql);

#define MAX_COLUMNS 3

/*
 * The rows of a user query: columns of kind 't' (an id, any type, read as its text) or 'n' (a
 * number of any numeric type, read as float8). The last column is optional when
 * optional_last; names are the column names the errors use.
 */
typedef struct query_rows
{
	uint64		n;
	int			ncols;
	char	  **text[MAX_COLUMNS];
	double	   *num[MAX_COLUMNS];
} query_rows;

static bool
numeric_type(Oid type)
{
	return type == FLOAT8OID || type == FLOAT4OID || type == INT2OID || type == INT4OID ||
		type == INT8OID || type == NUMERICOID;
}

static double
number_value(Datum d, Oid type)
{
	switch (type)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case FLOAT4OID:
			return (double) DatumGetFloat4(d);
		case INT2OID:
			return (double) DatumGetInt16(d);
		case INT4OID:
			return (double) DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		default:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
}

/* Describes a row for an error: "x" for one id, ("x", "y") for a pair. */
static const char *
row_name(query_rows *out, uint64 r, const char *kinds)
{
	if (kinds[1] == 't')
		return psprintf("(\"%s\", \"%s\")", out->text[0][r], out->text[1][r]);
	return psprintf("\"%s\"", out->text[0][r]);
}

/* Runs sql (argument argname) between SPI_connect and SPI_finish; see query_rows. */
static void
read_query(const char *sql, const char *argname, const char *kinds, bool optional_last,
		   const char *const *names, query_rows *out)
{
	int			want = (int) strlen(kinds);
	TupleDesc	desc;
	SPITupleTable *tuptable;

	if (SPI_execute(sql, false, 0) != SPI_OK_SELECT || SPI_tuptable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a query that returns rows (a SELECT)", argname)));
	tuptable = SPI_tuptable;
	desc = tuptable->tupdesc;
	out->ncols = desc->natts;
	if (!(desc->natts == want || (optional_last && desc->natts == want - 1)))
	{
		StringInfoData cols;

		initStringInfo(&cols);
		for (int c = 0; c < want; c++)
			appendStringInfo(&cols, "%s%s%s", c ? ", " : "", names[c], optional_last && c == want - 1 ? " optional" : "");
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s must return the columns (%s), not %d columns", argname, cols.data, desc->natts)));
	}
	for (int c = 0; c < desc->natts; c++)
		if (kinds[c] == 'n' && !numeric_type(SPI_gettypeid(desc, c + 1)))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: column %d (%s) must be a number, not %s", argname, c + 1, names[c],
							format_type_be(SPI_gettypeid(desc, c + 1)))));
	out->n = SPI_processed;
	for (int c = 0; c < desc->natts; c++)
	{
		if (kinds[c] == 't')
			out->text[c] = palloc_extended(sizeof(char *) * (out->n + 1), MCXT_ALLOC_HUGE);
		else
			out->num[c] = palloc_extended(sizeof(double) * (out->n + 1), MCXT_ALLOC_HUGE);
	}
	for (uint64 r = 0; r < out->n; r++)
	{
		HeapTuple	tuple = tuptable->vals[r];

		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the ids first, so that the other checks can name them */
		for (int c = 0; c < desc->natts; c++)
			if (kinds[c] == 't')
			{
				out->text[c][r] = SPI_getvalue(tuple, desc, c + 1);
				if (out->text[c][r] == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("%s: row %llu has a NULL %s", argname, (unsigned long long) r + 1, names[c])));
			}
		for (int c = 0; c < desc->natts; c++)
			if (kinds[c] == 'n')
			{
				bool		isnull;
				Datum		d = SPI_getbinval(tuple, desc, c + 1, &isnull);

				if (isnull)
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("%s: the %s of %s is NULL", argname, names[c], row_name(out, r, kinds)),
							 errhint("Leave such rows out (WHERE %s IS NOT NULL) or give them a value.", names[c])));
				out->num[c][r] = number_value(d, SPI_gettypeid(desc, c + 1));
			}
	}
}

/* The values and neighbours of an analysis, read and checked: the core's input. */
static void
read_spatial_input(FunctionCallInfo fcinfo, bool with_style, smup_spatial_input *in)
{
	static const char *const value_names[] = {"id", "value"};
	static const char *const pair_names[] = {"id", "neighbour_id", "weight"};
	query_rows	values,
				pairs;
	int32		permutations = PG_GETARG_INT32(3);

	memset(in, 0, sizeof *in);
	if (with_style)
	{
		char	   *style = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (pg_strcasecmp(style, "W") != 0 && pg_strcasecmp(style, "B") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown style \"%s\": use W (row-standardised) or B (binary, weights as given)", style)));
		in->binary = pg_strcasecmp(style, "B") == 0;
	}
	if (permutations < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("permutations must be 0 or more, not %d", permutations)));
	read_query(text_to_cstring(PG_GETARG_TEXT_PP(0)), "values_sql", "tn", false, value_names, &values);
	read_query(text_to_cstring(PG_GETARG_TEXT_PP(1)), "neighbours_sql", "ttn", true, pair_names, &pairs);
	in->n = (size_t) values.n;
	in->ids = (const char *const *) values.text[0];
	in->values = values.num[1];
	in->m = (size_t) pairs.n;
	in->from = (const char *const *) pairs.text[0];
	in->to = (const char *const *) pairs.text[1];
	in->weight = pairs.ncols == 3 ? pairs.num[2] : NULL;
	in->permutations = (uint32_t) permutations;
	in->seed = (uint64_t) PG_GETARG_INT64(4);
}

/* A float8 Datum, or NULL for NaN (undefined). */
static void
put_float(double v, Datum *value, bool *isnull)
{
	*isnull = isnan(v);
	*value = *isnull ? (Datum) 0 : Float8GetDatum(v);
}

/* moran_i and geary_c: one row of (n, statistic, expected, moments, z, p under both, p_permutation). */
static Datum
global_test(FunctionCallInfo fcinfo, bool moran)
{
	TupleDesc	tupdesc;
	smup_spatial_input in;
	smup_global_test t;
	smup_error	err;
	smup_status status;
	Datum		values[10];
	bool		nulls[10];
	double		fields[9];
	HeapTuple	tuple;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	SPI_connect();
	read_spatial_input(fcinfo, true, &in);
	status = moran ? smup_moran_i(&in, smup_should_cancel, &t, &err) : smup_geary_c(&in, smup_should_cancel, &t, &err);
	smup_check(status, &err);
	SPI_finish();
	values[0] = Int64GetDatum(t.n);
	nulls[0] = false;
	fields[0] = t.statistic;
	fields[1] = t.expected;
	fields[2] = t.variance_normal;
	fields[3] = t.z_normal;
	fields[4] = t.p_normal;
	fields[5] = t.variance_random;
	fields[6] = t.z_random;
	fields[7] = t.p_random;
	fields[8] = t.p_permutation;
	for (int c = 0; c < 9; c++)
		put_float(fields[c], &values[c + 1], &nulls[c + 1]);
	tuple = heap_form_tuple(tupdesc, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

Datum
smup_moran_i_sql(PG_FUNCTION_ARGS)
{
	return global_test(fcinfo, true);
}

Datum
smup_geary_c_sql(PG_FUNCTION_ARGS)
{
	return global_test(fcinfo, false);
}

/*
 * smup.local_moran(...) RETURNS TABLE (id, value, lag, ii, expected, variance, z, p_permutation,
 * cluster), one row per unit in the order values_sql returned them.
 */
Datum
smup_local_moran_sql(PG_FUNCTION_ARGS)
{
	static const char *const cluster_names[] = {"ns", "HH", "LL", "HL", "LH"};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	smup_spatial_input in;
	smup_local_moran_row *rows;
	smup_error	err;
	smup_status status;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	read_spatial_input(fcinfo, true, &in);
	rows = palloc_extended(sizeof(smup_local_moran_row) * (in.n + 1), MCXT_ALLOC_HUGE);
	status = smup_local_moran(&in, PG_GETARG_FLOAT8(5), smup_should_cancel, rows, &err);
	smup_check(status, &err);
	for (size_t i = 0; i < in.n; i++)
	{
		Datum		values[9];
		bool		nulls[9];

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = CStringGetTextDatum(in.ids[i]);
		nulls[0] = false;
		put_float(in.values[i], &values[1], &nulls[1]);
		put_float(rows[i].lag, &values[2], &nulls[2]);
		put_float(rows[i].ii, &values[3], &nulls[3]);
		put_float(rows[i].expected, &values[4], &nulls[4]);
		put_float(rows[i].variance, &values[5], &nulls[5]);
		put_float(rows[i].z, &values[6], &nulls[6]);
		put_float(rows[i].p_permutation, &values[7], &nulls[7]);
		values[8] = CStringGetTextDatum(cluster_names[rows[i].cluster]);
		nulls[8] = false;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* smup.getis_ord(values_sql, neighbours_sql, star, permutations, seed) RETURNS TABLE (id, g, z, p_normal, p_permutation). */
Datum
smup_getis_ord_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	smup_spatial_input in;
	smup_getis_ord_row *rows;
	smup_error	err;
	smup_status status;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	read_spatial_input(fcinfo, false, &in);
	rows = palloc_extended(sizeof(smup_getis_ord_row) * (in.n + 1), MCXT_ALLOC_HUGE);
	status = smup_getis_ord(&in, PG_GETARG_BOOL(2), smup_should_cancel, rows, &err);
	smup_check(status, &err);
	for (size_t i = 0; i < in.n; i++)
	{
		Datum		values[5];
		bool		nulls[5];

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = CStringGetTextDatum(in.ids[i]);
		nulls[0] = false;
		put_float(rows[i].g, &values[1], &nulls[1]);
		put_float(rows[i].z, &values[2], &nulls[2]);
		put_float(rows[i].p_normal, &values[3], &nulls[3]);
		put_float(rows[i].p_permutation, &values[4], &nulls[4]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* smup.eb_rate(events_sql) RETURNS TABLE (id, raw_rate, eb_rate). */
Datum
smup_eb_rate_sql(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"id", "events", "population"};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	query_rows	rows;
	double	   *raw,
			   *eb;
	smup_error	err;
	smup_status status;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	read_query(text_to_cstring(PG_GETARG_TEXT_PP(0)), "events_sql", "tnn", false, names, &rows);
	raw = palloc_extended(sizeof(double) * (rows.n + 1), MCXT_ALLOC_HUGE);
	eb = palloc_extended(sizeof(double) * (rows.n + 1), MCXT_ALLOC_HUGE);
	status = smup_eb_rate((size_t) rows.n, (const char *const *) rows.text[0], rows.num[1], rows.num[2], raw, eb, &err);
	smup_check(status, &err);
	for (uint64 i = 0; i < rows.n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(rows.text[0][i]);
		values[1] = Float8GetDatum(raw[i]);
		values[2] = Float8GetDatum(eb[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}
