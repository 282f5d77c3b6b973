/*
 * smup_capi_spatial.h: extern "C" functions of the spatial family (see smup_capi.h for the rules).
 */
#ifndef SMUP_CAPI_SPATIAL_H
#define SMUP_CAPI_SPATIAL_H

#include "smup_capi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
