/*
 * smup_glue.h: helpers shared by the PostgreSQL entry points.
 */
#ifndef SMUP_GLUE_H
#define SMUP_GLUE_H

#include "postgres.h"
#include "fmgr.h"

#include "smup_capi.h"

/* Cancel callback handed to the core: reads the flags only, never raises. */
int			smup_should_cancel(void);

/*
 * Raise the error for a failed core call. Called only after the core returned, so no C++
 * frame is live. SMUP_CANCELLED goes through CHECK_FOR_INTERRUPTS for the proper error.
 */
void		smup_report(smup_status status, const smup_error *err) pg_attribute_noreturn();

/* Raise unless status is SMUP_OK. */
static inline void
smup_check(smup_status status, const smup_error *err)
{
	if (status != SMUP_OK)
		smup_report(status, err);
}

/* Require a finite float8 argument, naming the function and argument. */
void		smup_require_finite(double value, const char *what);

#endif							/* SMUP_GLUE_H */
