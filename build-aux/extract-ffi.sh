#!/bin/sh
# SPDX-License-Identifier: MIT
# Print the FFI-clean sections of the public headers: the lines between a
# line "/* QC_FFI_BEGIN */" and a line "/* QC_FFI_END */", with QC_EXTERN
# removed.  This is what LuaJIT's ffi.cdef and Python's cffi read.
# Usage: extract-ffi.sh HEADER...
set -e
echo "/* quotacase_ffi.h - generated from the public headers by extract-ffi.sh; do not edit. */"
for h in "$@"; do
  sed -n '/^\/\* QC_FFI_BEGIN \*\/$/,/^\/\* QC_FFI_END \*\/$/{/^\/\* QC_FFI_BEGIN \*\/$/d;/^\/\* QC_FFI_END \*\/$/d;p;}' "$h" |
    sed 's/^QC_EXTERN //'
done
