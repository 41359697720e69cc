# SPDX-License-Identifier: MIT
"""ffi_check.py MODE HEADER LIBRARY: read the FFI header with cffi (MODE
cffi, exit 77 if cffi is missing) or check ctypes against it (MODE ctypes),
then call the library.  Exits non-zero on any mismatch."""
import ctypes
import re
import sys

mode, header, libpath = sys.argv[1:4]
text = open(header, encoding="utf-8").read()


def enum_value(name):
    m = re.search(r"\b%s\s*=\s*(-?\d+)" % name, text)
    if not m:
        sys.exit("no %s in the header" % name)
    return int(m.group(1))


def fail(what):
    print("FAIL:", what)
    sys.exit(1)


if mode == "cffi":
    try:
        import cffi
    except ImportError:
        sys.exit(77)
    ffi = cffi.FFI()
    ffi.cdef(text)
    qc = ffi.dlopen(libpath)
    want = qc.QC_VERSION_MAJOR * 10000 + qc.QC_VERSION_MINOR * 100 + qc.QC_VERSION_PATCH
    if qc.qc_version() != want:
        fail("qc_version %d != %d" % (qc.qc_version(), want))
    store = ffi.new("qc_store **")
    if qc.qc_store_open(store, b"memory:") != qc.QC_OK:
        fail("open")
    n = ffi.new("int64_t *")
    if qc.qc_store_count(n, store[0], qc.QC_KIND_CASE, ffi.NULL) != qc.QC_OK or n[0] != 0:
        fail("count")
    rc = qc.qc_store_open(store, b"nosuch:thing")
    if rc != qc.QC_EUNKNOWN or b"nosuch" not in ffi.string(qc.qc_error_last()):
        fail("error message through cffi")
    print("cffi: libquotacase", ffi.string(qc.qc_version_string()).decode())
else:
    lib = ctypes.CDLL(libpath)
    lib.qc_version_string.restype = ctypes.c_char_p
    lib.qc_error_last.restype = ctypes.c_char_p
    want = enum_value("QC_VERSION_MAJOR") * 10000 + enum_value("QC_VERSION_MINOR") * 100 + enum_value("QC_VERSION_PATCH")
    if lib.qc_version() != want:
        fail("qc_version")
    store = ctypes.c_void_p()
    if lib.qc_store_open(ctypes.byref(store), b"memory:") != 0:
        fail("open")
    lib.qc_store_free(store)
    rc = lib.qc_store_open(ctypes.byref(store), b"nosuch:thing")
    if rc != enum_value("QC_EUNKNOWN") or b"nosuch" not in lib.qc_error_last():
        fail("error code and message through ctypes")
    # every function declared in the header is exported by the library
    for name in re.findall(r"\b(qc_[a-z_0-9]+)\s*\(", text):
        if not hasattr(lib, name):
            fail("header declares %s, library lacks it" % name)
    print("ctypes: libquotacase", lib.qc_version_string().decode())
