/*
 * similarity.c: smup._similar_peers, the k nearest similar units of a level (the core's
 * smup_similar_peers) from arrays the SQL wrappers gather: ids, a units × indicators matrix of
 * values (NULL = missing), the weights.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_similar_peers_sql);
PG_FUNCTION_INFO_V1(smup_similar_peer_sets_sql);

/* The text elements of a one-dimensional array without NULLs, as C strings. */
static int
text_elements(ArrayType *arr, const char ***out, Datum **datums, const char *what)
{
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("%s must be a one-dimensional array", what)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, datums, &nulls, &n);
	*out = palloc(sizeof(char *) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s: element %d is NULL", what, i + 1)));
		(*out)[i] = TextDatumGetCString((*datums)[i]);
	}
	return n;
}

/*
 * The arguments both SQL functions share, checked and passed to the core: ids text[], vals
 * float8[][], weights float8[], k int, method text, and (smup._similar_peers only) answer_for
 * text[]. Returns the core's rows (the caller frees them) and the ids as text datums.
 */
static void
similar_rows_of_args(FunctionCallInfo fcinfo, smup_similar_rows *rows, Datum **id_datums_out, int *n_indicators)
{
	ArrayType  *ids_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *vals_arr = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *w_arr = PG_GETARG_ARRAYTYPE_P(2);
	int32		k = PG_GETARG_INT32(3);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(4));
	const char **ids;
	Datum	   *id_datums;
	const char **only_ids = NULL;
	Datum	   *only_datums;
	int			n,
				m,
				n_only = 0;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	double	   *values;
	double	   *weights;
	size_t	   *only;
	int			robust;
	smup_error	err;
	smup_status status;

	if (strcmp(method, "z") == 0)
		robust = 0;
	else if (strcmp(method, "robust") == 0)
		robust = 1;
	else
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown standardisation method \"%s\"", method),
						errhint("Use 'z' (mean and standard deviation) or 'robust' (median and MAD).")));
	if (k <= 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("k must be at least 1, not %d", k)));

	n = text_elements(ids_arr, &ids, &id_datums, "ids");
	if (PG_NARGS() > 5)
		n_only = text_elements(PG_GETARG_ARRAYTYPE_P(5), &only_ids, &only_datums, "only");

	/* weights: one per indicator, none NULL */
	if (ARR_NDIM(w_arr) != 1)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("weights must be a one-dimensional array")));
	deconstruct_array(w_arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &m);
	weights = palloc(sizeof(double) * (m > 0 ? m : 1));
	for (int i = 0; i < m; i++)
	{
		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("weight %d is NULL", i + 1)));
		weights[i] = DatumGetFloat8(elems[i]);
	}

	/* values: n × m, NULL = missing (NaN to the core), a NaN value itself is an error */
	if (n > 0 && (ARR_NDIM(vals_arr) != 2 || ARR_DIMS(vals_arr)[0] != n || ARR_DIMS(vals_arr)[1] != m))
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
						errmsg("values must be a %d × %d array (units × indicators)", n, m)));
	deconstruct_array(vals_arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &nelems);
	values = palloc(sizeof(double) * (nelems > 0 ? nelems : 1));
	for (int i = 0; i < nelems; i++)
	{
		if (nulls[i])
			values[i] = NAN;
		else
		{
			values[i] = DatumGetFloat8(elems[i]);
			if (isnan(values[i]))
				ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
								errmsg("the value of unit %s, indicator %d is NaN", ids[i / m], i % m + 1)));
		}
	}

	/* the units asked about, as indices (ids are few: a linear search each is enough) */
	only = palloc(sizeof(size_t) * (n_only > 0 ? n_only : 1));
	for (int j = 0; j < n_only; j++)
	{
		int			found = -1;

		for (int i = 0; i < n && found < 0; i++)
			if (strcmp(ids[i], only_ids[j]) == 0)
				found = i;
		if (found < 0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("unit \"%s\" is not among the units compared", only_ids[j])));
		only[j] = (size_t) found;
	}

	status = smup_similar_peers(ids, (size_t) n, values, (size_t) m, weights, (size_t) k, robust,
								only, (size_t) n_only, smup_should_cancel, rows, &err);
	smup_check(status, &err);
	*id_datums_out = id_datums;
	*n_indicators = m;
}

/*
 * smup._similar_peers(ids text[], vals float8[][], weights float8[], k int, method text,
 *                     answer_for text[]) → (jst_id, rank, peer_id, distance, contributions float8[])
 */
Datum
smup_similar_peers_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *id_datums;
	int			m;
	smup_similar_rows rows;

	similar_rows_of_args(fcinfo, &rows, &id_datums, &m);

	PG_TRY();
	{
		InitMaterializedSRF(fcinfo, 0);
		for (size_t r = 0; r < rows.n; r++)
		{
			Datum		out[5];
			bool		out_nulls[5] = {false, false, false, false, false};
			Datum	   *shares = palloc(sizeof(Datum) * (m > 0 ? m : 1));
			bool	   *share_nulls = palloc(sizeof(bool) * (m > 0 ? m : 1));
			int			dims[1] = {m};
			int			lbs[1] = {1};

			if ((r & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			for (int i = 0; i < m; i++)
			{
				double		c = rows.contribution[r * (size_t) m + (size_t) i];

				share_nulls[i] = isnan(c);
				shares[i] = share_nulls[i] ? (Datum) 0 : Float8GetDatum(c);
			}
			out[0] = id_datums[rows.unit[r]];
			out[1] = Int32GetDatum(rows.rank[r]);
			out[2] = id_datums[rows.peer[r]];
			out[3] = Float8GetDatum(rows.distance[r]);
			out[4] = PointerGetDatum(construct_md_array(shares, share_nulls, 1, dims, lbs, FLOAT8OID, 8,
														FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_nulls);
			pfree(shares);
			pfree(share_nulls);
		}
	}
	PG_FINALLY();
	{
		smup_similar_rows_free(&rows);
	}
	PG_END_TRY();
	return (Datum) 0;
}

/*
 * smup._similar_peer_sets(ids text[], vals float8[][], weights float8[], k int, method text)
 * → (jst_id, peer_ids text[], distances float8[]): each unit's peers in rank order, one row a
 * unit (what smup.similar_unit_store keeps; no shares, no regrouping of a row per peer).
 */
Datum
smup_similar_peer_sets_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *id_datums;
	int			m;
	smup_similar_rows rows;

	similar_rows_of_args(fcinfo, &rows, &id_datums, &m);
	PG_TRY();
	{
		size_t		first = 0;

		InitMaterializedSRF(fcinfo, 0);
		/* the core gives each unit's peers together, in rank order */
		while (first < rows.n)
		{
			size_t		end = first;
			Datum		out[3];
			bool		out_nulls[3] = {false, false, false};
			Datum	   *peers;
			Datum	   *distances;
			int			count;

			CHECK_FOR_INTERRUPTS();
			while (end < rows.n && rows.unit[end] == rows.unit[first])
				end++;
			count = (int) (end - first);
			peers = palloc(sizeof(Datum) * count);
			distances = palloc(sizeof(Datum) * count);
			for (int i = 0; i < count; i++)
			{
				peers[i] = id_datums[rows.peer[first + i]];
				distances[i] = Float8GetDatum(rows.distance[first + i]);
			}
			out[0] = id_datums[rows.unit[first]];
			out[1] = PointerGetDatum(construct_array(peers, count, TEXTOID, -1, false, TYPALIGN_INT));
			out[2] = PointerGetDatum(construct_array(distances, count, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_nulls);
			/* (the tuplestore keeps its own copy: a level's arrays are not all held at once) */
			pfree(DatumGetPointer(out[1]));
			pfree(DatumGetPointer(out[2]));
			pfree(peers);
			pfree(distances);
			first = end;
		}
	}
	PG_FINALLY();
	{
		smup_similar_rows_free(&rows);
	}
	PG_END_TRY();
	return (Datum) 0;
}
