/*
 * spatial.c: the spatial family's entry points, called by the SQL wrappers of
 * sql/install/30-neighbours.sql (which check SRIDs, NULLs and validity first):
 *   smup._contiguity(ids text[], wkb bytea[], rule text, tolerance float8, order int)
 *   smup._contiguity(ids text[], geoms geometry[], rule text, tolerance float8, order int)
 *     (each geometry turned into EWKB by the type's own binary send function: no PostGIS
 *     headers, no per-row SQL call)
 *   smup._nearest(ids text[], x float8[], y float8[], k int)
 *   smup._within_distance(ids text[], x float8[], y float8[], metres float8)
 * each RETURNS TABLE (id text, neighbour_id text, value float8).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_contiguity_sql);
PG_FUNCTION_INFO_V1(smup_contiguity_geometry_sql);
PG_FUNCTION_INFO_V1(smup_nearest_sql);
PG_FUNCTION_INFO_V1(smup_within_distance_sql);

/* Elements of a one-dimensional array without NULLs; what names the argument in errors. */
static int
array_elements(ArrayType *arr, Oid elemtype, Datum **elems, const char *what)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, elems, &nulls, &n);
	for (int i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: element %d is NULL", what, i + 1)));
	return n;
}

static const char **
id_strings(Datum *elems, int n)
{
	const char **ids = palloc(sizeof(char *) * (n > 0 ? n : 1));

	for (int i = 0; i < n; i++)
		ids[i] = TextDatumGetCString(elems[i]);
	return ids;
}

/* Materialize the core's pairs as (id, neighbour_id, value) rows, then free them. */
static void
emit_pairs(FunctionCallInfo fcinfo, smup_pairs *pairs, Datum *ids)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	PG_TRY();
	{
		InitMaterializedSRF(fcinfo, 0);
		for (size_t i = 0; i < pairs->n; i++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			if ((i & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			values[0] = ids[pairs->a[i]];
			values[1] = ids[pairs->b[i]];
			if (isnan(pairs->value[i]))
				nulls[2] = true;
			else
				values[2] = Float8GetDatum(pairs->value[i]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	PG_FINALLY();
	{
		smup_pairs_free(pairs);
	}
	PG_END_TRY();
}

/* Run the core on n polygons as WKB and emit its pairs. */
static void
contiguity_run(FunctionCallInfo fcinfo, Datum *idd, int n, const uint8_t **wkb, size_t *wkb_len)
{
	char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(2));
	double		tolerance = PG_GETARG_FLOAT8(3);
	int32		order = PG_GETARG_INT32(4);
	const char **ids = id_strings(idd, n);
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	status = smup_contiguity((size_t) n, ids, wkb, wkb_len, rule, tolerance, order,
							 smup_should_cancel, &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, idd);
}

Datum
smup_contiguity_geometry_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *ida = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *ga = PG_GETARG_ARRAYTYPE_P(1);
	Oid			elemtype = ARR_ELEMTYPE(ga);
	Datum	   *idd,
			   *gd;
	bool	   *gnulls;
	int			n,
				ng;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Oid			sendfn;
	bool		isvarlena;
	FmgrInfo	send;
	const uint8_t **wkb;
	size_t	   *wkb_len;

	n = array_elements(ida, TEXTOID, &idd, "ids");
	if (ARR_NDIM(ga) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("geometries must be a one-dimensional array")));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(ga, elemtype, typlen, typbyval, typalign, &gd, &gnulls, &ng);
	if (n != ng)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids and geometries differ in length (%d and %d)", n, ng)));
	for (int i = 0; i < n; i++)
		if (gnulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("contiguity: the geometry of \"%s\" is NULL", TextDatumGetCString(idd[i])),
					 errhint("Leave out rows without a geometry (WHERE geom IS NOT NULL).")));
	getTypeBinaryOutputInfo(elemtype, &sendfn, &isvarlena);
	fmgr_info(sendfn, &send);
	wkb = palloc(sizeof(uint8_t *) * (n > 0 ? n : 1));
	wkb_len = palloc(sizeof(size_t) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
	{
		bytea	   *b = SendFunctionCall(&send, gd[i]);

		if ((i & 255) == 0)
			CHECK_FOR_INTERRUPTS();
		wkb[i] = (const uint8_t *) VARDATA(b);
		wkb_len[i] = VARSIZE(b) - VARHDRSZ;
	}
	contiguity_run(fcinfo, idd, n, wkb, wkb_len);
	return (Datum) 0;
}

Datum
smup_contiguity_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *ida = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *wkba = PG_GETARG_ARRAYTYPE_P(1);
	char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(2));
	double		tolerance = PG_GETARG_FLOAT8(3);
	int32		order = PG_GETARG_INT32(4);
	Datum	   *idd,
			   *wkbd;
	int			n,
				nw;
	const char **ids;
	const uint8_t **wkb;
	size_t	   *wkb_len;
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	n = array_elements(ida, TEXTOID, &idd, "ids");
	nw = array_elements(wkba, BYTEAOID, &wkbd, "geometries");
	if (n != nw)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids and geometries differ in length (%d and %d)", n, nw)));
	ids = id_strings(idd, n);
	wkb = palloc(sizeof(uint8_t *) * (n > 0 ? n : 1));
	wkb_len = palloc(sizeof(size_t) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
	{
		bytea	   *b = DatumGetByteaPP(wkbd[i]);

		wkb[i] = (const uint8_t *) VARDATA_ANY(b);
		wkb_len[i] = VARSIZE_ANY_EXHDR(b);
	}
	status = smup_contiguity((size_t) n, ids, wkb, wkb_len, rule, tolerance, order,
							 smup_should_cancel, &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, idd);
	return (Datum) 0;
}

/* ids, x and y arrays of one length. */
static int
point_arrays(FunctionCallInfo fcinfo, Datum **idd, const char ***ids, double **x, double **y)
{
	Datum	   *xd,
			   *yd;
	int			n = array_elements(PG_GETARG_ARRAYTYPE_P(0), TEXTOID, idd, "ids");
	int			nx = array_elements(PG_GETARG_ARRAYTYPE_P(1), FLOAT8OID, &xd, "x");
	int			ny = array_elements(PG_GETARG_ARRAYTYPE_P(2), FLOAT8OID, &yd, "y");

	if (n != nx || n != ny)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids, x and y differ in length (%d, %d, %d)", n, nx, ny)));
	*ids = id_strings(*idd, n);
	*x = palloc(sizeof(double) * (n > 0 ? n : 1));
	*y = palloc(sizeof(double) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
	{
		(*x)[i] = DatumGetFloat8(xd[i]);
		(*y)[i] = DatumGetFloat8(yd[i]);
	}
	return n;
}

Datum
smup_nearest_sql(PG_FUNCTION_ARGS)
{
	Datum	   *idd;
	const char **ids;
	double	   *x,
			   *y;
	int			n = point_arrays(fcinfo, &idd, &ids, &x, &y);
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	status = smup_nearest((size_t) n, ids, x, y, PG_GETARG_INT32(3), smup_should_cancel, &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, idd);
	return (Datum) 0;
}

Datum
smup_within_distance_sql(PG_FUNCTION_ARGS)
{
	Datum	   *idd;
	const char **ids;
	double	   *x,
			   *y;
	int			n = point_arrays(fcinfo, &idd, &ids, &x, &y);
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	status = smup_within_distance((size_t) n, ids, x, y, PG_GETARG_FLOAT8(3), smup_should_cancel,
								  &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, idd);
	return (Datum) 0;
}
