-- SPDX-License-Identifier: MIT
-- ffi_check.lua HEADER LIBRARY: feed the FFI header to ffi.cdef as is, then
-- call the library through it.  Exits non-zero on any mismatch.
local ffi = require("ffi")
local header, libpath = arg[1], arg[2]
local f = assert(io.open(header, "r"))
ffi.cdef(f:read("*a"))
f:close()
local qc = ffi.load(libpath)

local function check(cond, what)
  if not cond then io.stderr:write("FAIL: " .. what .. "\n"); os.exit(1) end
end

local v = qc.qc_version()
check(v == qc.QC_VERSION_MAJOR * 10000 + qc.QC_VERSION_MINOR * 100 + qc.QC_VERSION_PATCH,
      "qc_version matches the header's enum")
print("luajit: libquotacase " .. ffi.string(qc.qc_version_string()))

local store = ffi.new("qc_store *[1]")
check(qc.qc_store_open(store, "memory:") == qc.QC_OK, "open memory store")
local rec = ffi.new("qc_record *[1]")
check(qc.qc_record_new(rec, qc.QC_KIND_OFFICE) == qc.QC_OK, "new record")
qc.qc_record_set_text(rec[0], qc.QC_OFFICE_ID, "O1")
qc.qc_record_set_text(rec[0], qc.QC_OFFICE_NAME, "某法院")
qc.qc_record_set_text(rec[0], qc.QC_OFFICE_KIND, "court")
local rc = qc.qc_store_put(store[0], rec[0])
check(rc == qc.QC_EMISSING, "missing level is QC_EMISSING")
check(ffi.string(qc.qc_error_last()):find("office.level", 1, true), "message names the field")
qc.qc_record_set_text(rec[0], qc.QC_OFFICE_LEVEL, "basic")
check(qc.qc_store_put(store[0], rec[0]) == qc.QC_OK, "put office")
local n = ffi.new("int64_t[1]")
check(qc.qc_store_count(n, store[0], qc.QC_KIND_OFFICE, nil) == qc.QC_OK and n[0] == 1, "count offices")
qc.qc_record_free(rec[0])
qc.qc_store_free(store[0])
print("luajit: ok")
