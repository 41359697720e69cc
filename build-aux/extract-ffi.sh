#!/bin/sh
# Print the FFI-clean sections of the public headers (between the
# QC_FFI_BEGIN and QC_FFI_END marker comments), with QC_EXTERN removed:
# what LuaJIT's ffi.cdef and Python's cffi read.  Usage: extract-ffi.sh HEADER...
set -e
echo "/* quotacase_ffi.h - generated from the public headers by extract-ffi.sh; do not edit. */"
for h in "$@"; do
  sed -n '/QC_FFI_BEGIN/,/QC_FFI_END/{/QC_FFI_BEGIN/d;/QC_FFI_END/d;p;}' "$h" |
    sed 's/^QC_EXTERN //'
done
