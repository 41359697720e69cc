/* SPDX-License-Identifier: MIT
 * version.c - the library's version at run time.
 *
 * The header's QC_VERSION_* enum is the single source: configure reads the
 * package version from it, and this file reports the compiled-in values, so
 * a program can compare the header it was built with and the library it
 * runs with.
 */
#include "config.h"

#include "internal.h"

QC_EXTERN int qc_version(void)
{
    return QC_VERSION_MAJOR * 10000 + QC_VERSION_MINOR * 100 + QC_VERSION_PATCH;
}

QC_EXTERN const char *qc_version_string(void)
{
    /* PACKAGE_VERSION comes from configure, which took it from the enum. */
    return PACKAGE_VERSION;
}
