/*
 * smup_capi.h: the only interface between the PostgreSQL glue (C) and the C++ core.
 *
 * Every function is extern "C", takes and returns plain data, never throws and never calls
 * PostgreSQL. It returns a smup_status; on failure it writes a message into the caller's
 * smup_error buffer. Results the core allocates are released with smup_free().
 */
#ifndef SMUP_CAPI_H
#define SMUP_CAPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum smup_status
{
	SMUP_OK = 0,
	SMUP_INVALID_ARGUMENT,      /* a value the caller passed is malformed: 22023 */
	SMUP_INVALID_TEXT,          /* a text representation cannot be parsed: 22P02 */
	SMUP_OUT_OF_RANGE,          /* numeric argument outside its domain: 22003 */
	SMUP_NOT_FINITE,            /* NaN or infinity where a finite number is needed: 22000 */
	SMUP_INVALID_GEOMETRY,      /* geometry the algorithm cannot use: 22023 */
	SMUP_OUT_OF_MEMORY,         /* std::bad_alloc: 53200 */
	SMUP_CANCELLED,             /* should_cancel() said so: the glue calls CHECK_FOR_INTERRUPTS */
	SMUP_INTERNAL               /* anything else: XX000 */
} smup_status;

#define SMUP_ERROR_MESSAGE_SIZE 512

typedef struct smup_error
{
	char		message[SMUP_ERROR_MESSAGE_SIZE];
} smup_error;

/* Polled by long-running core loops; returns non-zero when the query must stop. */
typedef int (*smup_cancel_callback) (void);

/* Release memory the core returned (allocated with malloc). */
void		smup_free(void *ptr);

/* ---- TERYT codes ---------------------------------------------------------------------- */

typedef struct smup_teryt
{
	char		id[8];			/* normalised key: "PL", "WW", "WWPP", "WWPPGG" (NUL-terminated) */
	char		teryt7[8];		/* full 7-digit gmina code when RODZ was given, else "" */
	char		level[16];		/* "kraj", "wojewodztwo", "powiat", "gmina" */
	int			rodz;			/* 0 when absent; 1-5, 8, 9 otherwise */
} smup_teryt;

/*
 * Parse a TERYT code as official sources write it. width is the number of digits the source
 * uses (2, 4, 6 or 7), or 0 to infer it; with a known width one dropped leading zero is
 * restored (BDL exports write 0201011 as 201011).
 */
smup_status smup_teryt_parse(const char *code, size_t len, int width,
							 smup_teryt *out, smup_error *err);

/* ---- delimited text -------------------------------------------------------------------- */

typedef struct smup_csv
{
	size_t		n_records;
	size_t	   *line;			/* [n_records] physical line where each record starts */
	size_t	   *first_field;	/* [n_records + 1] index of each record's first field */
	size_t	   *offset;			/* [n_fields] start of each field in text */
	size_t	   *length;			/* [n_fields] its length in bytes */
	char	   *text;			/* the unquoted fields, back to back */
} smup_csv;

/* Parse delimited text (RFC 4180 quoting); release the result with smup_csv_free. */
smup_status smup_csv_parse(const char *content, size_t len, char delimiter,
						   smup_cancel_callback should_cancel, smup_csv *out, smup_error *err);
void		smup_csv_free(smup_csv *csv);

#ifdef __cplusplus
}
#endif

/* Each family of operations declares its functions in its own header, same rules. */
#include "smup_capi_stats.h"
#include "smup_capi_spatial.h"
#include "smup_capi_autocorrelation.h"
#include "smup_capi_similarity.h"

#endif							/* SMUP_CAPI_H */
