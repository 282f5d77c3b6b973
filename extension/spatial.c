/*
 * spatial.c: the spatial family's entry points (sql/install/30-neighbours.sql):
 *   smup._contiguity(ids text[], wkb bytea[], rule text, tolerance float8, order int)
 *   smup.contiguity(polygons_sql text, rule text, tolerance float8, order int, check_valid boolean)
 *   smup.contiguity(ids text[], geoms geometry[], rule, tolerance, order, check_valid)
 *     (both read their polygons through one SPI cursor; see read_layer)
 *   smup._nearest(ids text[], x float8[], y float8[], k int)
 *   smup._within_distance(ids text[], x float8[], y float8[], metres float8)
 * each RETURNS TABLE (id text, neighbour_id text, value float8); and
 *   smup.refresh_neighbours() RETURNS TABLE (level text, rule text, "order" int, pairs bigint).
 */
#include "postgres.h"

#include <math.h>

#include "access/table.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "access/tableam.h"
#include "executor/executor.h"
#include "lib/stringinfo.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/snapmgr.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_contiguity_sql);
PG_FUNCTION_INFO_V1(smup_contiguity_query_sql);
PG_FUNCTION_INFO_V1(smup_contiguity_arrays_sql);
PG_FUNCTION_INFO_V1(smup_nearest_sql);
PG_FUNCTION_INFO_V1(smup_within_distance_sql);
PG_FUNCTION_INFO_V1(smup_refresh_neighbours_sql);

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

/* The schema of the postgis extension, quoted, for qualified calls under any search_path. */
static const char *
postgis_schema(void)
{
	bool		isnull;

	if (SPI_execute("SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e "
					"JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'",
					true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("contiguity needs the postgis extension")));
	return TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * PostGIS's ST_IsValid(geometry), to be called on the values this file detoasts anyway (in the
 * query, it would detoast each geometry once more).
 */
static void
lookup_isvalid(const char *postgis, FmgrInfo *isvalid)
{
	Oid			argtype = TEXTOID;
	Datum		signature = CStringGetTextDatum(psprintf("%s.st_isvalid(%s.geometry)", postgis, postgis));
	bool		isnull;
	Datum		oid;

	if (SPI_execute_with_args("SELECT pg_catalog.to_regprocedure($1)::pg_catalog.oid", 1, &argtype, &signature,
							  NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "contiguity: could not look up ST_IsValid");
	oid = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("contiguity: PostGIS's ST_IsValid(geometry) was not found in schema %s", postgis)));
	fmgr_info(DatumGetObjectId(oid), isvalid);
}

/* Whether EWKB holds a Polygon or a MultiPolygon (of any dimension): ST_IsValid applies. */
static bool
ewkb_polygonal(const uint8 *w, size_t len)
{
	uint32		type;

	if (len < 5)
		return false;
	type = w[0] == 1 ? (uint32) w[1] | ((uint32) w[2] << 8) | ((uint32) w[3] << 16) | ((uint32) w[4] << 24) :
		((uint32) w[1] << 24) | ((uint32) w[2] << 16) | ((uint32) w[3] << 8) | (uint32) w[4];
	type = (type & 0x0FFFFFFF) % 1000;	/* EWKB's Z, M, SRID flags off; ISO's 1000s off */
	return type == 3 || type == 6;
}

/* Raise for an invalid polygon, with ST_IsValidReason's words. */
static void
report_invalid(const char *postgis, Oid geomtype, Datum geom, const char *id)
{
	char	   *reason = "";

	if (SPI_execute_with_args(psprintf("SELECT %s.ST_IsValidReason($1)", postgis), 1, &geomtype, &geom,
							  NULL, true, 1) == SPI_OK_SELECT && SPI_processed == 1)
		reason = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("contiguity: the geometry of \"%s\" is not valid: %s", id, reason),
			 errhint("Repair it first, e.g. with ST_MakeValid.")));
}

/*
 * The rings of a 2-D Polygon or MultiPolygon in PostGIS's own serialisation (GSERIALIZED version
 * 2, PostGIS 3: liblwgeom/gserialized.txt), read in place: the coordinates stay in the detoasted
 * value g, which the caller keeps, and the core reads them there. Native byte order; after the
 * varlena header: 3 bytes of SRID, a flags byte, an optional float box, then the geometry: type,
 * ring count, point counts (padded to 8 bytes), the x, y pairs; a MultiPolygon holds a count and
 * its Polygons so laid out. False for anything else (Z or M, another version or header, another
 * type, an empty geometry or ring): the caller then goes through EWKB.
 */
static bool
serialized_rings(const struct varlena *g, smup_rings *out)
{
	const uint8 *p = (const uint8 *) VARDATA(g);
	size_t		len = VARSIZE(g) - VARHDRSZ;
	size_t		at = 4;
	uint8		flags;
	uint32		type,
				parts = 1,
				total = 0;
	int32		srid;
	uint32	   *points;
	const double **coords;
	uint8	   *holes;

#define SERIALIZED_U32(v) do { if (at + 4 > len) return false; memcpy(&(v), p + at, 4); at += 4; } while (0)
	if (len < 4)
		return false;
	flags = p[3];
	/* version 2 (0x40) and nothing but a box (0x04): no Z, M, geodetic, extended or reserved bits */
	if ((flags & ~0x04) != 0x40)
		return false;
	srid = (int32) (((uint32) p[0] << 16) | ((uint32) p[1] << 8) | p[2]);
	srid = (int32) ((uint32) srid << 11) >> 11;	/* 21 bits, signed */
	if (flags & 0x04)
		at += 4 * sizeof(float);	/* xmin, xmax, ymin, ymax */
	SERIALIZED_U32(type);
	if (type == 6)
		SERIALIZED_U32(parts);
	else if (type != 3)
		return false;
	/* every ring takes at least 20 bytes (its count and a point): room enough for all of them */
	points = palloc(sizeof(uint32) * (len / 20 + 1));
	coords = palloc(sizeof(double *) * (len / 20 + 1));
	holes = palloc(sizeof(uint8) * (len / 20 + 1));
	for (uint32 k = 0; k < parts; k++)
	{
		uint32		nrings;
		size_t		counts;

		if (type == 6)
		{
			uint32		sub;

			SERIALIZED_U32(sub);
			if (sub != 3)
				return false;
		}
		SERIALIZED_U32(nrings);
		if (nrings == 0 || (size_t) nrings > (len - at) / 4)
			return false;
		counts = at;
		at += 4 * (size_t) nrings + (nrings % 2 ? 4 : 0);
		if (at > len)
			return false;
		for (uint32 r = 0; r < nrings; r++, total++)
		{
			memcpy(&points[total], p + counts + 4 * r, 4);
			if (points[total] == 0 || (len - at) / 16 < points[total] || (uintptr_t) (p + at) % sizeof(double) != 0)
				return false;
			coords[total] = (const double *) (p + at);
			holes[total] = r > 0;	/* each Polygon's first ring is its shell */
			at += (size_t) points[total] * 16;
		}
	}
	if (at != len || total == 0)
		return false;
#undef SERIALIZED_U32
	out->nrings = total;
	out->srid = srid;
	out->points = points;
	out->coords = coords;
	out->holes = holes;
	return true;
}

/* A polygon layer read for the core: ids (as text Datums and C strings) and geometries. */
typedef struct layer
{
	int			n;
	Datum	   *idd;
	const char **ids;
	const uint8_t **wkb;
	size_t	   *wkb_len;
	smup_rings *rings;
} layer;

/*
 * The (id, geom) rows of query (with nargs args; read_only as SPI takes it), between SPI_connect
 * and SPI_finish: the collected rows live in SPI's procedure context.
 * Rows are read in batches through a cursor, each geometry handed to the core in place
 * (serialized_rings) or as EWKB: no array of the whole layer is built. NULLs and, when
 * check_valid, the validity of each Polygon and MultiPolygon (PostGIS's ST_IsValid) are checked
 * here, naming the id; the core checks types, emptiness, mixed SRIDs and duplicates. Any SRID
 * is served (0 and geographic too): queen and rook are topological.
 */
static void
read_layer(const char *postgis, const char *query, int nargs, Oid *argtypes, Datum *args, bool read_only,
		   bool check_valid, layer *out)
{
	Portal		portal;
	int			capacity = 1024;
	int			n = 0;
	Datum	   *idd;
	const char **ids;
	const uint8_t **wkb;
	size_t	   *wkb_len;
	smup_rings *rings;
	FmgrInfo	send,
				isvalid;
	Oid			geomtype = InvalidOid;

	idd = palloc(sizeof(Datum) * capacity);
	ids = palloc(sizeof(char *) * capacity);
	wkb = palloc(sizeof(uint8_t *) * capacity);
	wkb_len = palloc(sizeof(size_t) * capacity);
	rings = palloc(sizeof(smup_rings) * capacity);
	if (check_valid)
		lookup_isvalid(postgis, &isvalid);
	portal = SPI_cursor_open_with_args(NULL, query, nargs, argtypes, args, NULL, read_only, 0);
	for (;;)
	{
		SPITupleTable *batch;	/* the checks below run queries of their own: SPI_tuptable changes */
		uint64		rows;

		SPI_cursor_fetch(portal, true, 256);
		batch = SPI_tuptable;
		rows = SPI_processed;
		if (rows == 0)
			break;
		if (!OidIsValid(geomtype))
		{
			Oid			sendfn;
			bool		isvarlena;

			geomtype = SPI_gettypeid(batch->tupdesc, 2);
			getTypeBinaryOutputInfo(geomtype, &sendfn, &isvarlena);
			fmgr_info(sendfn, &send);
		}
		for (uint64 r = 0; r < rows; r++)
		{
			HeapTuple	tuple = batch->vals[r];
			TupleDesc	desc = batch->tupdesc;
			bool		id_null,
						geom_null,
						polygonal;
			Datum		id = SPI_getbinval(tuple, desc, 1, &id_null);
			Datum		geom = SPI_getbinval(tuple, desc, 2, &geom_null);
			struct varlena *value;

			CHECK_FOR_INTERRUPTS();
			if (id_null)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("contiguity: the id of polygon %d is NULL", n + 1)));
			if (n == capacity)
			{
				capacity *= 2;
				idd = repalloc(idd, sizeof(Datum) * capacity);
				ids = repalloc(ids, sizeof(char *) * capacity);
				wkb = repalloc(wkb, sizeof(uint8_t *) * capacity);
				wkb_len = repalloc(wkb_len, sizeof(size_t) * capacity);
				rings = repalloc(rings, sizeof(smup_rings) * capacity);
			}
			idd[n] = datumCopy(id, false, -1);
			ids[n] = TextDatumGetCString(idd[n]);
			if (geom_null)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("contiguity: the geometry of \"%s\" is NULL", ids[n]),
						 errhint("Leave out rows without a geometry (WHERE geom IS NOT NULL).")));
			/*
			 * The detoasted copy is kept for the core, which reads the rings in place; what
			 * serialized_rings does not take goes as EWKB, written by the type's send function.
			 */
			value = (struct varlena *) PG_DETOAST_DATUM_COPY(geom);
			if (serialized_rings(value, &rings[n]))
			{
				wkb[n] = NULL;
				wkb_len[n] = 0;
				polygonal = true;
			}
			else
			{
				bytea	   *b = SendFunctionCall(&send, PointerGetDatum(value));

				rings[n].nrings = 0;
				wkb_len[n] = VARSIZE(b) - VARHDRSZ;
				wkb[n] = (const uint8_t *) VARDATA(b);
				polygonal = ewkb_polygonal(wkb[n], wkb_len[n]);
			}
			/* other types are left to the core, which names what they are */
			if (check_valid && polygonal && !DatumGetBool(FunctionCall1(&isvalid, PointerGetDatum(value))))
				report_invalid(postgis, geomtype, geom, ids[n]);
			n++;
		}
		SPI_freetuptable(batch);
	}
	SPI_freetuptable(SPI_tuptable);
	SPI_cursor_close(portal);
	out->n = n;
	out->idd = idd;
	out->ids = ids;
	out->wkb = wkb;
	out->wkb_len = wkb_len;
	out->rings = rings;
}

/*
 * Contiguity of the polygons of a query: user_sql's (id, geom), or when user_sql is NULL the
 * unnest of the two array arguments (args); see read_layer.
 */
static void
contiguity_over(FunctionCallInfo fcinfo, const char *user_sql, int nargs, Oid *argtypes, Datum *args,
				text *rule_text, double tolerance, int32 order, bool check_valid)
{
	const char *postgis;
	const char *source;
	char	   *rule = text_to_cstring(rule_text);
	layer		l;
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	SPI_connect();
	postgis = postgis_schema();
	source = user_sql ?
		psprintf("(SELECT q.id::text, q.geom::%s.geometry FROM (%s) AS q(id, geom)) AS l(id, geom)", postgis, user_sql) :
		"ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS l(id, geom)";
	/* after SPI_connect the current context lives until SPI_finish: the collected rows go there */
	read_layer(postgis, psprintf("SELECT l.id, l.geom FROM %s", source), nargs, argtypes, args, user_sql == NULL,
			   check_valid, &l);
	status = smup_contiguity((size_t) l.n, l.ids, l.wkb, l.wkb_len, l.rings, rule, tolerance, order,
							 smup_should_cancel, &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, l.idd);
	SPI_finish();
}

/* smup.contiguity(polygons_sql text, rule, tolerance, order, check_valid): any query's (id, geom). */
Datum
smup_contiguity_query_sql(PG_FUNCTION_ARGS)
{
	contiguity_over(fcinfo, text_to_cstring(PG_GETARG_TEXT_PP(0)), 0, NULL, NULL, PG_GETARG_TEXT_PP(1),
					PG_GETARG_FLOAT8(2), PG_GETARG_INT32(3), PG_GETARG_BOOL(4));
	return (Datum) 0;
}

/* smup.contiguity(ids text[], geoms geometry[], rule, tolerance, order, check_valid). */
Datum
smup_contiguity_arrays_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *ida = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *ga = PG_GETARG_ARRAYTYPE_P(1);
	int			n = ArrayGetNItems(ARR_NDIM(ida), ARR_DIMS(ida));
	int			ng = ArrayGetNItems(ARR_NDIM(ga), ARR_DIMS(ga));
	Oid			argtypes[2] = {get_fn_expr_argtype(fcinfo->flinfo, 0), get_fn_expr_argtype(fcinfo->flinfo, 1)};
	Datum		args[2] = {PointerGetDatum(ida), PointerGetDatum(ga)};

	if (ARR_NDIM(ida) > 1 || ARR_NDIM(ga) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("ids and geometries must be one-dimensional arrays")));
	if (n != ng)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids and geometries differ in length (%d and %d)", n, ng)));
	contiguity_over(fcinfo, NULL, 2, argtypes, args, PG_GETARG_TEXT_PP(2), PG_GETARG_FLOAT8(3), PG_GETARG_INT32(4), PG_GETARG_BOOL(5));
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
	status = smup_contiguity((size_t) n, ids, wkb, wkb_len, NULL, rule, tolerance, order,
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

/*
 * smup._nearest(ids, x, y, k) and smup._within_distance(ids, x, y, metres): the same arrays in,
 * the same pairs out; only the core call differs.
 */
static Datum
proximity_pairs(FunctionCallInfo fcinfo, bool nearest)
{
	Datum	   *idd;
	const char **ids;
	double	   *x,
			   *y;
	int			n = point_arrays(fcinfo, &idd, &ids, &x, &y);
	smup_pairs	pairs;
	smup_error	err;
	smup_status status;

	status = nearest ?
		smup_nearest((size_t) n, ids, x, y, PG_GETARG_INT32(3), smup_should_cancel, &pairs, &err) :
		smup_within_distance((size_t) n, ids, x, y, PG_GETARG_FLOAT8(3), smup_should_cancel, &pairs, &err);
	smup_check(status, &err);
	emit_pairs(fcinfo, &pairs, idd);
	return (Datum) 0;
}

Datum
smup_nearest_sql(PG_FUNCTION_ARGS)
{
	return proximity_pairs(fcinfo, true);
}

Datum
smup_within_distance_sql(PG_FUNCTION_ARGS)
{
	return proximity_pairs(fcinfo, false);
}

/* The levels and sets smup.refresh_neighbours stores (the sets numbered as the core does). */
static const char *const neighbour_levels[] = {"gmina", "powiat", "wojewodztwo"};
static const char *const neighbour_rule[SMUP_NEIGHBOUR_SETS] = {"queen", "queen", "rook", "rook"};
static const int32 neighbour_order[SMUP_NEIGHBOUR_SETS] = {1, 2, 1, 2};

/* The rows of smup.neighbour as stored: where they are, their ids (in one buffer), set and value. */
typedef struct stored_rows
{
	size_t		n;
	ItemPointerData *tids;
	const char **ids;
	const char **nbs;
	uint8_t    *set;
	double	   *value;
} stored_rows;

/* The text of a value as a C string in buf; its offset there. */
static size_t
append_cstring(StringInfo buf, Datum value)
{
	text	   *t = DatumGetTextPP(value);
	size_t		at = (size_t) buf->len;

	appendBinaryStringInfo(buf, VARDATA_ANY(t), (int) VARSIZE_ANY_EXHDR(t));
	appendStringInfoChar(buf, '\0');
	return at;
}

/* Whether a text value is word. */
static bool
text_is(Datum value, const char *word)
{
	text	   *t = DatumGetTextPP(value);

	return VARSIZE_ANY_EXHDR(t) == strlen(word) && memcmp(VARDATA_ANY(t), word, strlen(word)) == 0;
}

/*
 * Every row of smup.neighbour (relid), read by a plain scan under a fresh snapshot (the caller
 * holds a lock that keeps other writers out, so the tids stay valid). The caller's SELECT
 * privilege is checked as a query would.
 */
static void
read_stored(Oid relid, stored_rows *out)
{
	const char *columns[5] = {"id", "neighbour_id", "rule", "order", "shared_border_m"};
	AttrNumber	att[5];
	Relation	rel;
	Snapshot	snapshot;
	TableScanDesc scan;
	TupleTableSlot *slot;
	StringInfoData text;
	size_t		n = 0,
				capacity = 1024;
	size_t	   *id_at,
			   *nb_at;
	AclResult	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);

	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, get_rel_name(relid));
	for (int c = 0; c < 5; c++)
		if ((att[c] = get_attnum(relid, columns[c])) == InvalidAttrNumber)
			elog(ERROR, "refresh_neighbours: the table has no column %s", columns[c]);
	out->tids = palloc(sizeof(ItemPointerData) * capacity);
	id_at = palloc(sizeof(size_t) * capacity);
	nb_at = palloc(sizeof(size_t) * capacity);
	out->set = palloc(sizeof(uint8_t) * capacity);
	out->value = palloc(sizeof(double) * capacity);
	initStringInfo(&text);
	rel = table_open(relid, AccessShareLock);
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	scan = table_beginscan(rel, snapshot, 0, NULL);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum	   *v;
		bool	   *isnull;
		int32		order;

		if ((n & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n == capacity)
		{
			capacity *= 2;
			out->tids = repalloc_huge(out->tids, sizeof(ItemPointerData) * capacity);
			id_at = repalloc_huge(id_at, sizeof(size_t) * capacity);
			nb_at = repalloc_huge(nb_at, sizeof(size_t) * capacity);
			out->set = repalloc_huge(out->set, sizeof(uint8_t) * capacity);
			out->value = repalloc_huge(out->value, sizeof(double) * capacity);
		}
		slot_getallattrs(slot);
		v = slot->tts_values;
		isnull = slot->tts_isnull;
		out->tids[n] = slot->tts_tid;
		/* the columns are NOT NULL but shared_border_m */
		id_at[n] = append_cstring(&text, v[att[0] - 1]);
		nb_at[n] = append_cstring(&text, v[att[1] - 1]);
		order = DatumGetInt32(v[att[3] - 1]);
		out->set[n] = SMUP_NO_SET;
		for (int s = 0; s < SMUP_NEIGHBOUR_SETS; s++)
			if (order == neighbour_order[s] && text_is(v[att[2] - 1], neighbour_rule[s]))
				out->set[n] = (uint8_t) s;
		out->value[n] = isnull[att[4] - 1] ? get_float8_nan() : DatumGetFloat8(v[att[4] - 1]);
		n++;
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, NoLock);
	/* the strings where the buffer ended up */
	out->ids = palloc_extended(sizeof(char *) * (n + 1), MCXT_ALLOC_HUGE);
	out->nbs = palloc_extended(sizeof(char *) * (n + 1), MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < n; i++)
	{
		out->ids[i] = text.data + id_at[i];
		out->nbs[i] = text.data + nb_at[i];
	}
	out->n = n;
}

/*
 * smup.refresh_neighbours() RETURNS TABLE (level text, rule text, "order" int, pairs bigint):
 * smup.neighbour recomputed from smup.jst. Per level one contiguity pass gives queen and rook
 * and the core derives the second orders (smup_neighbour_sets); the stored rows are then
 * matched with the new ones (smup_match_rows) and only the difference written: one DELETE of
 * the rows no longer right (by ctid), one INSERT ... SELECT of the missing rows from arrays (in
 * the primary key's order). The table is locked in SHARE ROW EXCLUSIVE mode first: readers go
 * on (and see the old rows until commit), other writers wait, so the ctids read stay valid.
 */
Datum
smup_refresh_neighbours_sql(PG_FUNCTION_ARGS)
{
	const int	nlevels = lengthof(neighbour_levels);
	const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
	const char *postgis;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		counts[lengthof(neighbour_levels)][SMUP_NEIGHBOUR_SETS];
	size_t		nnew = 0,
				capacity = 1024;
	Datum	   *new_idd,
			   *new_nbd;
	const char **new_id,
			  **new_nb;
	uint8_t    *new_set;
	double	   *new_value;
	uint8_t    *present;
	Oid			schema_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			relid = get_relname_relid("neighbour", schema_oid);
	stored_rows stored;
	uint8_t    *keep;
	size_t		ndelete = 0,
				ninsert = 0;
	smup_error	err;
	smup_status status;

	if (!OidIsValid(relid))
		elog(ERROR, "refresh_neighbours: %s.neighbour not found", schema);
	SPI_connect();
	postgis = postgis_schema();
	if (SPI_execute(psprintf("LOCK TABLE %s.neighbour IN SHARE ROW EXCLUSIVE MODE", schema), false, 0) < 0)
		elog(ERROR, "refresh_neighbours: could not lock %s.neighbour", schema);

	/* the new rows of every level */
	new_idd = palloc(sizeof(Datum) * capacity);
	new_nbd = palloc(sizeof(Datum) * capacity);
	new_id = palloc(sizeof(char *) * capacity);
	new_nb = palloc(sizeof(char *) * capacity);
	new_set = palloc(sizeof(uint8_t) * capacity);
	new_value = palloc(sizeof(double) * capacity);
	for (int l = 0; l < nlevels; l++)
	{
		layer		ly;
		Oid			argtype = TEXTOID;
		Datum		arg = CStringGetTextDatum(neighbour_levels[l]);
		smup_neighbour_rows rows;

		/* the register's boundaries are checked when loaded (as smup.neighbours does) */
		read_layer(postgis, psprintf("SELECT j.id, j.geom FROM %s.jst j WHERE j.level = $1 ORDER BY j.id", schema), 1, &argtype,
				   &arg, false, false, &ly);
		status = smup_neighbour_sets((size_t) ly.n, ly.ids, ly.wkb, ly.wkb_len, ly.rings, smup_should_cancel,
									 &rows, &err);
		smup_check(status, &err);
		/* copied into palloc'd arrays; the core's are released whatever happens */
		PG_TRY();
		{
			if (nnew + rows.n > capacity)
			{
				while (nnew + rows.n > capacity)
					capacity *= 2;
				new_idd = repalloc_huge(new_idd, sizeof(Datum) * capacity);
				new_nbd = repalloc_huge(new_nbd, sizeof(Datum) * capacity);
				new_id = repalloc_huge(new_id, sizeof(char *) * capacity);
				new_nb = repalloc_huge(new_nb, sizeof(char *) * capacity);
				new_set = repalloc_huge(new_set, sizeof(uint8_t) * capacity);
				new_value = repalloc_huge(new_value, sizeof(double) * capacity);
			}
			for (size_t i = 0; i < rows.n; i++, nnew++)
			{
				new_idd[nnew] = ly.idd[rows.a[i]];
				new_nbd[nnew] = ly.idd[rows.b[i]];
				new_id[nnew] = ly.ids[rows.a[i]];
				new_nb[nnew] = ly.ids[rows.b[i]];
				new_set[nnew] = rows.set[i];
				new_value[nnew] = rows.value[i];
			}
			memcpy(counts[l], rows.count, sizeof counts[l]);
		}
		PG_FINALLY();
		{
			smup_neighbour_rows_free(&rows);
		}
		PG_END_TRY();
	}

	/* the stored rows, matched with the new ones */
	read_stored(relid, &stored);
	keep = palloc_extended(sizeof(uint8_t) * (stored.n + 1), MCXT_ALLOC_HUGE);
	present = palloc_extended(sizeof(uint8_t) * (nnew + 1), MCXT_ALLOC_HUGE);
	status = smup_match_rows(stored.n, stored.ids, stored.nbs, stored.set, stored.value, nnew, new_id, new_nb,
							 new_set, new_value, smup_should_cancel, keep, present, &err);
	smup_check(status, &err);

	/* what is no longer right goes, by ctid */
	for (size_t i = 0; i < stored.n; i++)
		ndelete += !keep[i];
	if (ndelete > 0)
	{
		Datum	   *tids = palloc_extended(sizeof(Datum) * ndelete, MCXT_ALLOC_HUGE);
		Oid			argtype = TIDARRAYOID;
		Datum		arg;
		size_t		k = 0;

		for (size_t i = 0; i < stored.n; i++)
			if (!keep[i])
				tids[k++] = PointerGetDatum(&stored.tids[i]);
		arg = PointerGetDatum(construct_array(tids, (int) ndelete, TIDOID, sizeof(ItemPointerData), false,
											  TYPALIGN_SHORT));
		if (SPI_execute_with_args(psprintf("DELETE FROM %s.neighbour n WHERE n.ctid = ANY ($1)", schema), 1, &argtype,
								  &arg, NULL, false, 0) != SPI_OK_DELETE || SPI_processed != ndelete)
			elog(ERROR, "refresh_neighbours: could not delete from %s.neighbour", schema);
	}

	/* what is missing comes in, in one INSERT ... SELECT from arrays */
	for (size_t j = 0; j < nnew; j++)
		ninsert += !present[j];
	if (ninsert > 0)
	{
		Datum	   *ids = palloc_extended(sizeof(Datum) * ninsert, MCXT_ALLOC_HUGE);
		Datum	   *nbs = palloc_extended(sizeof(Datum) * ninsert, MCXT_ALLOC_HUGE);
		Datum	   *rules = palloc_extended(sizeof(Datum) * ninsert, MCXT_ALLOC_HUGE);
		Datum	   *orders = palloc_extended(sizeof(Datum) * ninsert, MCXT_ALLOC_HUGE);
		Datum	   *values = palloc_extended(sizeof(Datum) * ninsert, MCXT_ALLOC_HUGE);
		bool	   *value_nulls = palloc_extended(sizeof(bool) * ninsert, MCXT_ALLOC_HUGE);
		Datum		rule_text[SMUP_NEIGHBOUR_SETS];
		Oid			argtypes[5] = {TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT4ARRAYOID, FLOAT8ARRAYOID};
		Datum		args[5];
		int			dims[1] = {(int) ninsert};
		int			lbs[1] = {1};
		size_t		k = 0;

		for (int s = 0; s < SMUP_NEIGHBOUR_SETS; s++)
			rule_text[s] = CStringGetTextDatum(neighbour_rule[s]);
		for (size_t j = 0; j < nnew; j++)
		{
			if (present[j])
				continue;
			ids[k] = new_idd[j];
			nbs[k] = new_nbd[j];
			rules[k] = rule_text[new_set[j]];
			orders[k] = Int32GetDatum(neighbour_order[new_set[j]]);
			value_nulls[k] = isnan(new_value[j]);
			values[k] = value_nulls[k] ? (Datum) 0 : Float8GetDatum(new_value[j]);
			k++;
		}
		args[0] = PointerGetDatum(construct_array(ids, (int) ninsert, TEXTOID, -1, false, TYPALIGN_INT));
		args[1] = PointerGetDatum(construct_array(nbs, (int) ninsert, TEXTOID, -1, false, TYPALIGN_INT));
		args[2] = PointerGetDatum(construct_array(rules, (int) ninsert, TEXTOID, -1, false, TYPALIGN_INT));
		args[3] = PointerGetDatum(construct_array(orders, (int) ninsert, INT4OID, 4, true, TYPALIGN_INT));
		args[4] = PointerGetDatum(construct_md_array(values, value_nulls, 1, dims, lbs, FLOAT8OID, 8,
													 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		if (SPI_execute_with_args(psprintf("INSERT INTO %s.neighbour (id, neighbour_id, rule, \"order\", shared_border_m) "
										   "SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3), "
										   "pg_catalog.unnest($4), pg_catalog.unnest($5))", schema),
								  5, argtypes, args, NULL, false, 0) != SPI_OK_INSERT || SPI_processed != ninsert)
			elog(ERROR, "refresh_neighbours: could not insert into %s.neighbour", schema);
	}

	/* the rows stored per level, rule and order */
	InitMaterializedSRF(fcinfo, 0);
	for (int l = 0; l < nlevels; l++)
		for (int s = 0; s < SMUP_NEIGHBOUR_SETS; s++)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			values[0] = CStringGetTextDatum(neighbour_levels[l]);
			values[1] = CStringGetTextDatum(neighbour_rule[s]);
			values[2] = Int32GetDatum(neighbour_order[s]);
			values[3] = Int64GetDatum((int64) counts[l][s]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	SPI_finish();
	return (Datum) 0;
}
