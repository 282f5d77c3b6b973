/*
 * csv.c: smup.csv_parse(content text, delimiter text) RETURNS TABLE (line int, fields text[]).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "smup_glue.h"

PG_FUNCTION_INFO_V1(smup_csv_parse_sql);

Datum
smup_csv_parse_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *content = PG_GETARG_TEXT_PP(0);
	text	   *delimiter = PG_GETARG_TEXT_PP(1);
	smup_csv	csv;
	smup_error	err;
	smup_status status;

	if (VARSIZE_ANY_EXHDR(delimiter) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("delimiter must be a single one-byte character, not \"%s\"",
						text_to_cstring(delimiter))));

	status = smup_csv_parse(VARDATA_ANY(content), VARSIZE_ANY_EXHDR(content),
							*VARDATA_ANY(delimiter), smup_should_cancel, &csv, &err);
	smup_check(status, &err);

	/* From here on only PostgreSQL code runs; free the core's arrays on error too. */
	PG_TRY();
	{
		InitMaterializedSRF(fcinfo, 0);
		for (size_t i = 0; i < csv.n_records; i++)
		{
			size_t		first = csv.first_field[i];
			int			nfields = (int) (csv.first_field[i + 1] - first);
			Datum	   *elems = palloc(sizeof(Datum) * (nfields > 0 ? nfields : 1));
			Datum		values[2];
			bool		nulls[2] = {false, false};

			CHECK_FOR_INTERRUPTS();
			for (int f = 0; f < nfields; f++)
				elems[f] = PointerGetDatum(cstring_to_text_with_len(csv.text + csv.offset[first + f],
																	 (int) csv.length[first + f]));
			values[0] = Int32GetDatum((int32) csv.line[i]);
			values[1] = PointerGetDatum(construct_array(elems, nfields, TEXTOID, -1, false, TYPALIGN_INT));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			for (int f = 0; f < nfields; f++)
				pfree(DatumGetPointer(elems[f]));
			pfree(elems);
		}
	}
	PG_FINALLY();
	{
		smup_csv_free(&csv);
	}
	PG_END_TRY();

	return (Datum) 0;
}
