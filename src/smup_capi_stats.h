/*
 * smup_capi_stats.h: extern "C" functions of the stats family (see smup_capi.h for the rules).
 */
#ifndef SMUP_CAPI_STATS_H
#define SMUP_CAPI_STATS_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
