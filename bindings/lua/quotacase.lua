-- SPDX-License-Identifier: MIT
--- quotacase - LuaJIT bindings for libquotacase.
--
-- The declarations come from the library's FFI header (quotacase_ffi.h)
-- through ffi.cdef, so every C function is reachable as quotacase.C.
-- Handles are freed by ffi.gc; failures raise an error table
-- {code=, name=, message=, details=} whose tostring is "QC_ENOREF: ...".
--
--   local qc = require("quotacase")
--   local store = qc.open("sqlite:province.db")
--   local rules = qc.rules("examples/rules/liaoning-2017.yaml")
--   local a = qc.assess(rules, store, "2017")
--   print(a:totals().offices_complying)
local ffi = require("ffi")

local M = {}

local function find(paths)
  for _, p in ipairs(paths) do
    if p and p ~= "" then
      local f = io.open(p, "r")
      if f then f:close(); return p end
    end
  end
end

-- The declarations: $QUOTACASE_FFI_HEADER if set (a build tree), else the
-- module generated when the binding was built (quotacase_ffi.lua), else an
-- installed quotacase_ffi.h; the runtime library alone is then enough.
do
  local text
  local env = os.getenv("QUOTACASE_FFI_HEADER")
  local header = env and env ~= "" and env or nil
  if not header then
    local ok, generated = pcall(require, "quotacase_ffi")
    if ok then text = generated end
  end
  if not text then
    header = header or find({ "/usr/local/include/quotacase_ffi.h", "/usr/include/quotacase_ffi.h" })
    if not header then
      error("quotacase: the library's FFI declarations are missing: no quotacase_ffi module (built with the binding) "
            .. "and no quotacase_ffi.h installed; set QUOTACASE_FFI_HEADER to one", 0)
    end
    local f, err = io.open(header, "r")
    if not f then error("quotacase: cannot read " .. header .. ": " .. tostring(err), 0) end
    text = f:read("*a")
    f:close()
  end
  ffi.cdef(text)
end
-- the runtime library by its soname, or $QUOTACASE_LIBRARY
local library = os.getenv("QUOTACASE_LIBRARY") or "libquotacase.so.0"
local loaded, C = pcall(ffi.load, library)
if not loaded then
  error("quotacase: cannot load the runtime library " .. library .. " (Debian: libquotacase0; or set "
        .. "QUOTACASE_LIBRARY to its path): " .. tostring(C), 0)
end
M.C = C

local function str(p) return p ~= nil and ffi.string(p) or nil end

local Error = {}
Error.__index = Error
Error.__tostring = function(e) return e.name .. ": " .. e.message end
M.Error = Error

local function fail(rc)
  local details = {}
  for i = 0, C.qc_error_detail_count() - 1 do details[#details + 1] = str(C.qc_error_detail(i)) end
  error(setmetatable({ code = rc, name = str(C.qc_status_name(rc)), message = str(C.qc_error_last()), details = details }, Error), 2)
end

local function check(rc)
  rc = tonumber(rc)
  if rc < 0 and rc ~= C.QC_ITEROVER then fail(rc) end
  return rc
end

function M.version() return str(C.qc_version_string()) end

local function kind_of(k)
  if type(k) == "number" then return k end
  local n = C.qc_kind_lookup(k)
  if n == 0 then error("quotacase: unknown kind '" .. tostring(k) .. "'", 3) end
  return n
end

local function text_of(v)
  if type(v) == "boolean" then return v and "true" or "false" end
  return tostring(v)
end

-- Store:amend's value for a field to unset (a table cannot hold nil).
M.unset = setmetatable({}, { __tostring = function() return "quotacase.unset" end })

-- Set r's fields and facts (of kind k) from a table.
local function fill(r, k, t)
  for name, v in pairs(t) do
    if name == "facts" then
      for fname, fv in pairs(v) do
        if type(fv) == "boolean" then check(C.qc_record_set_fact_bool(r, fname, fv and 1 or 0))
        elseif type(fv) == "number" and fv == math.floor(fv) then check(C.qc_record_set_fact_int(r, fname, fv))
        elseif type(fv) == "number" then check(C.qc_record_set_fact_decimal(r, fname, fv))
        else check(C.qc_record_set_fact_parse(r, fname, C.QC_TYPE_NULL, tostring(fv))) end
      end
    else
      local f = C.qc_field_lookup(k, name)
      if f < 0 then error("quotacase: no field '" .. name .. "'", 4) end
      if v == M.unset then check(C.qc_record_unset(r, f))
      else check(C.qc_record_set_text(r, f, text_of(v))) end
    end
  end
  return r
end

-- A record (freed by ffi.gc) from a table of fields and `facts`.
local function record(kind, t)
  local k = kind_of(kind)
  local out = ffi.new("qc_record *[1]")
  check(C.qc_record_new(out, k))
  return fill(ffi.gc(out[0], C.qc_record_free), k, t)
end

-- A record (borrowed) as a table.
local function totable(r)
  local k = C.qc_record_kind(r)
  local t = {}
  for i = 0, C.qc_field_count(k) - 1 do
    if C.qc_record_has(r, i) ~= 0 then
      local name, ty = str(C.qc_field_name(k, i)), C.qc_field_type(k, i)
      if ty == C.QC_TYPE_BOOL then t[name] = C.qc_record_int(r, i) ~= 0
      elseif ty == C.QC_TYPE_INT then t[name] = tonumber(C.qc_record_int(r, i))
      elseif ty == C.QC_TYPE_DECIMAL then t[name] = C.qc_record_decimal(r, i)
      else t[name] = str(C.qc_record_text(r, i)) end
    end
  end
  local n = C.qc_record_fact_count(r)
  if n > 0 then
    t.facts = {}
    for i = 0, n - 1 do
      local ty, name = C.qc_record_fact_type(r, i), str(C.qc_record_fact_name(r, i))
      if ty == C.QC_TYPE_INT then t.facts[name] = tonumber(C.qc_record_fact_int(r, i))
      elseif ty == C.QC_TYPE_DECIMAL then t.facts[name] = C.qc_record_fact_decimal(r, i)
      elseif ty == C.QC_TYPE_BOOL then t.facts[name] = C.qc_record_fact_int(r, i) ~= 0
      else t.facts[name] = str(C.qc_record_fact_text(r, i)) end
    end
  end
  return t
end

local function filter(criteria)
  if not criteria then return nil end
  local out = ffi.new("qc_filter *[1]")
  check(C.qc_filter_new(out))
  local f = ffi.gc(out[0], C.qc_filter_free)
  if criteria.office then check(C.qc_filter_set_office(f, criteria.office)) end
  if criteria.person then check(C.qc_filter_set_person(f, criteria.person)) end
  if criteria.case then check(C.qc_filter_set_case(f, criteria.case)) end
  if criteria.line then check(C.qc_filter_set_line(f, criteria.line)) end
  if criteria.from or criteria.to then
    local lo, hi = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
    check(C.qc_date_parse(lo, criteria.from or "1900-01-01"))
    check(C.qc_date_parse(hi, criteria.to or "2999-12-31"))
    check(C.qc_filter_set_dates(f, lo[0], hi[0]))
  end
  return f
end

-- ---------------------------------------------------------------- stores

local Store = {}
Store.__index = Store

-- open(uri[, {existing = true}]): with existing, the store must be there
-- already (a SQLite path naming no file is an error, and nothing is created).
function M.open(uri, opts)
  local out = ffi.new("qc_store *[1]")
  local opener = opts and opts.existing and C.qc_store_open_existing or C.qc_store_open
  check(opener(out, uri or "memory:"))
  return setmetatable({ ptr = ffi.gc(out[0], C.qc_store_free) }, Store)
end

function Store:close()
  if self.ptr then C.qc_store_free(ffi.gc(self.ptr, nil)); self.ptr = nil end
end

function Store:backend() return str(C.qc_store_backend(self.ptr)) end
-- Cap the threads whole-store jobs may use: 0 one per CPU, 1 none beyond the caller's.
function Store:set_threads(n) check(C.qc_store_set_threads(self.ptr, n)) end
-- Whether an office criterion takes the offices under the office too
-- (true, the command line's --office) or the office alone (false, the default).
function Store:set_office_subtree(on) check(C.qc_store_set_office_subtree(self.ptr, on and 1 or 0)) end
-- Confine this handle to an office and those under it (only narrows; QC_EDENIED outside it).
function Store:set_scope(office) check(C.qc_store_set_scope(self.ptr, office)) end
function Store:scope() local p = C.qc_store_scope(self.ptr); return p ~= nil and ffi.string(p) or nil end

-- import_file(path[, kind[, {update = true}]]): with update, a record
-- stored with other values is amended, with the file as the reason.
function Store:import_file(path, kind, opts)
  local n = ffi.new("int64_t[1]")
  check(C.qc_store_set_import_update(self.ptr, opts and opts.update and 1 or 0))
  local rc = C.qc_store_set_import_encoding(self.ptr, opts and opts.encoding or nil)
  if rc == 0 then rc = C.qc_store_import_file(self.ptr, path, kind and kind_of(kind) or 0, n) end
  C.qc_store_set_import_update(self.ptr, 0)
  C.qc_store_set_import_encoding(self.ptr, nil)
  check(rc)
  return tonumber(n[0])
end

-- How many records the last import with {update = true} amended.
function Store:import_updated() return tonumber(C.qc_store_import_updated(self.ptr)) end

-- Who writes through this store (default: the login name).
function Store:set_actor(name) check(C.qc_store_set_actor(self.ptr, name)) end
function Store:actor() return str(C.qc_store_actor(self.ptr)) end

--- amend("case", "C1", {closed = "2017-09-01", stage = quotacase.unset}, "结案"):
--- correct a stored record; fields not named keep their values.
function Store:amend(kind, id, changes, reason)
  local k = kind_of(kind)
  local out = ffi.new("qc_record *[1]")
  check(C.qc_store_get(out, self.ptr, k, id))
  local r = fill(ffi.gc(out[0], C.qc_record_free), k, changes)
  check(C.qc_store_amend(self.ptr, r, reason))
end

--- withdraw("act", "A1", reason), or withdraw("act", {case = ..., ...}, reason)
--- for a record without an id.
function Store:withdraw(kind, which, reason)
  if type(which) == "table" then check(C.qc_store_withdraw_record(self.ptr, record(kind, which), reason))
  else check(C.qc_store_withdraw(self.ptr, kind_of(kind), which, reason)) end
end

--- Every revision of a record, oldest first: tables with op, body, prior,
--- actor, recorded and reason.
function Store:history(kind, id)
  local out = ffi.new("qc_iter *[1]")
  check(C.qc_store_history(out, self.ptr, kind_of(kind), id))
  local it = ffi.gc(out[0], C.qc_iter_free)
  local rec, list = ffi.new("const qc_record *[1]"), {}
  while check(C.qc_iter_next(rec, it)) ~= C.QC_ITEROVER do list[#list + 1] = totable(rec[0]) end
  return list
end

--- The store as it was recorded at `when` (ISO text or seconds since 1970
--- UTC): a new, read-only, in-memory store.
function Store:as_of(when)
  local secs = when
  if type(when) == "string" then
    local t = ffi.new("int64_t[1]")
    check(C.qc_datetime_parse(t, when))
    secs = t[0]
  end
  local out = ffi.new("qc_store *[1]")
  check(C.qc_store_open_as_of(out, self.ptr, secs))
  return setmetatable({ ptr = ffi.gc(out[0], C.qc_store_free) }, Store)
end

--- The journal (docs/data-model.md, "The journal").  Begin a new store's
--- journal with "sha256" (the default) or "sm3".
function Store:set_hash(algorithm) check(C.qc_store_set_hash(self.ptr, algorithm)) end

--- The journal's head ("sha256:HEX") and its number of entries.
function Store:head()
  local buf, n = ffi.new("char[160]"), ffi.new("int64_t[1]")
  check(C.qc_store_head(self.ptr, buf, 160, n))
  return ffi.string(buf), tonumber(n[0])
end

--- Check the chain and the tables against it.  A store changed outside the
--- library is a result: { ok = false, bad_entry = seq, bad_kind = "act",
--- bad_id = "", message = "..." }; with head (one a report printed),
--- head_seen is the entry after which it was the head, 0 if never.
function Store:verify(head)
  local out = ffi.new("qc_verify *[1]")
  local rc = C.qc_store_verify(out, self.ptr, head)
  if rc < 0 and rc ~= C.QC_ETAMPERED then fail(rc) end
  local v = ffi.gc(out[0], C.qc_verify_free)
  local kind = C.qc_verify_bad_kind(v)
  return { ok = rc == 0, entries = tonumber(C.qc_verify_entries(v)), head = str(C.qc_verify_head(v)),
           head_seen = tonumber(C.qc_verify_head_seen(v)), bad_entry = tonumber(C.qc_verify_bad_entry(v)),
           bad_kind = kind ~= 0 and str(C.qc_kind_name(kind)) or nil, bad_id = str(C.qc_verify_bad_id(v)),
           message = rc < 0 and str(C.qc_error_last()) or "" }
end

-- How many records the last import found stored already, the same.
function Store:import_unchanged() return tonumber(C.qc_store_import_unchanged(self.ptr)) end
-- The store's now in seconds since 1970 UTC (0: the system clock).
function Store:set_clock(now) check(C.qc_store_set_clock(self.ptr, now)) end

function Store:put(kind, t) check(C.qc_store_put(self.ptr, record(kind, t))) end

--- Run fn inside a transaction: committed if it returns, rolled back if it raises.
function Store:transaction(fn)
  check(C.qc_store_begin(self.ptr))
  local ok, err = pcall(fn, self)
  if ok then check(C.qc_store_commit(self.ptr)) else C.qc_store_rollback(self.ptr); error(err, 0) end
end

function Store:get(kind, id)
  local out = ffi.new("qc_record *[1]")
  check(C.qc_store_get(out, self.ptr, kind_of(kind), id))
  local r = ffi.gc(out[0], C.qc_record_free)
  return totable(r)
end

function Store:count(kind, criteria)
  local n = ffi.new("int64_t[1]")
  check(C.qc_store_count(n, self.ptr, kind_of(kind), filter(criteria)))
  return tonumber(n[0])
end

--- for rec in store:iterate("act", {person = "P2"}) do ... end
function Store:iterate(kind, criteria)
  local out = ffi.new("qc_iter *[1]")
  check(C.qc_iter_new(out, self.ptr, kind_of(kind), filter(criteria)))
  local it = ffi.gc(out[0], C.qc_iter_free)
  local rec = ffi.new("const qc_record *[1]")
  return function()
    local rc = check(C.qc_iter_next(rec, it))
    if rc == C.QC_ITEROVER then return nil end
    return totable(rec[0])
  end
end

-- ---------------------------------------------------------------- rules

local Rules = {}
Rules.__index = Rules

function M.rules(...)
  local out = ffi.new("qc_rules *[1]")
  check(C.qc_rules_new(out))
  local self = setmetatable({ ptr = ffi.gc(out[0], C.qc_rules_free) }, Rules)
  for _, path in ipairs({ ... }) do self:add(path) end
  return self
end

function M.rules_from_string(yaml, name)
  local r = M.rules()
  check(C.qc_rules_add_string(r.ptr, yaml, name or "<string>"))
  return r
end

function Rules:add(path) check(C.qc_rules_add_file(self.ptr, path)) end

function Rules:versions()
  local t = {}
  for i = 0, C.qc_rules_count(self.ptr) - 1 do
    t[#t + 1] = { name = str(C.qc_rules_name(self.ptr, i)), version = str(C.qc_rules_version(self.ptr, i)),
                  rules = C.qc_rules_rule_count(self.ptr, i) }
  end
  return t
end

--- The content hash of the rule texts ("sha256:HEX"; "" if none).
function Rules:hash() return str(C.qc_rules_hash(self.ptr)) end
function Rules:display_name(kind, id, lang) return str(C.qc_rules_display_name(self.ptr, kind, id, lang or "zh")) end

local Classifier = {}
Classifier.__index = Classifier

--- qc.classifier(rules, {store = s, explain = true, today = "2017-12-31", office_level = 4})
function M.classifier(rules, opts)
  opts = opts or {}
  local out = ffi.new("qc_classifier *[1]")
  check(C.qc_classifier_new(out, rules.ptr))
  local self = setmetatable({ ptr = ffi.gc(out[0], C.qc_classifier_free), rules = rules, store = opts.store }, Classifier)
  if opts.store then check(C.qc_classifier_set_store(self.ptr, opts.store.ptr)) end
  if opts.explain then check(C.qc_classifier_set_explain(self.ptr, 1)) end
  if opts.office_level then check(C.qc_classifier_set_office_level(self.ptr, opts.office_level)) end
  if opts.today then
    local d = ffi.new("int64_t[1]")
    check(C.qc_date_parse(d, opts.today))
    check(C.qc_classifier_set_today(self.ptr, d[0]))
  end
  return self
end

function Classifier:classify(case)
  local r = record("case", case)
  local res = ffi.new("const qc_result *[1]")
  check(C.qc_classify(res, self.ptr, r))
  local p = res[0]
  local out = { rules = str(C.qc_result_rules_name(p)), version = str(C.qc_result_rules_version(p)),
                primary = str(C.qc_result_primary(p)), weight = C.qc_result_weight(p),
                explanation = str(C.qc_result_explanation(p)), labels = {}, matched = {} }
  for i = 0, C.qc_result_label_count(p) - 1 do out.labels[#out.labels + 1] = str(C.qc_result_label(p, i)) end
  for i = 0, C.qc_result_match_count(p) - 1 do out.matched[#out.matched + 1] = str(C.qc_result_match_rule(p, i)) end
  return out
end

--- Classify many cases in one C call: returns {primary...}, {weight...}.
function Classifier:classify_batch(cases)
  local n = #cases
  local recs, keep = ffi.new("const qc_record *[?]", n), {}
  for i, c in ipairs(cases) do keep[i] = record("case", c); recs[i - 1] = keep[i] end
  local primary, weight = ffi.new("const char *[?]", n), ffi.new("double[?]", n)
  check(C.qc_classify_batch(self.ptr, recs, n, primary, weight, nil))
  local p, w = {}, {}
  for i = 0, n - 1 do p[i + 1] = str(primary[i]); w[i + 1] = weight[i] end
  return p, w
end

function Classifier:classify_store(store, office)
  local n = ffi.new("int64_t[1]")
  check(C.qc_classify_store(self.ptr, store.ptr, filter(office and { office = office }), n))
  return tonumber(n[0])
end

-- ---------------------------------------------------------------- assessment

local Assessment = {}
Assessment.__index = Assessment

function M.assess(rules, store, period, office)
  local lo, hi = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
  check(C.qc_period_parse(lo, hi, period))
  local out = ffi.new("qc_assessment *[1]")
  check(C.qc_assess(out, rules.ptr, store.ptr, office, lo[0], hi[0]))
  return setmetatable({ ptr = ffi.gc(out[0], C.qc_assessment_free), rules = rules }, Assessment)
end

local function rows(self, prefix, count, names)
  local t = {}
  for i = 0, count(self.ptr) - 1 do
    local row = {}
    for _, n in ipairs(names) do
      local v = C[prefix .. n](self.ptr, i)
      if type(v) == "cdata" then
        if ffi.istype("const char *", v) then v = str(v) else v = tonumber(v) end
      end
      row[n] = v
    end
    t[#t + 1] = row
  end
  return t
end

function Assessment:leaders()
  return rows(self, "qc_assessment_leader_", C.qc_assessment_leader_count,
    { "person", "name", "office", "role", "counted", "required", "required_max", "average", "share", "focus_share", "name_only", "quota", "status", "credit" })
end

function Assessment:people()
  return rows(self, "qc_assessment_person_", C.qc_assessment_person_count,
    { "id", "name", "office", "role", "cases", "score", "normalised", "grade", "consequence" })
end

function Assessment:offices()
  return rows(self, "qc_assessment_office_", C.qc_assessment_office_count,
    { "id", "name", "level", "leaders", "complying_leaders", "complies" })
end

--- Verdicts as { person, case, verdict, evidence }, in order (index i + 1 is verdict i of C).
function Assessment:verdicts()
  local t = {}
  for i = 0, C.qc_assessment_verdict_count(self.ptr) - 1 do
    t[#t + 1] = { person = str(C.qc_assessment_verdict_person(self.ptr, i)), case = str(C.qc_assessment_verdict_case(self.ptr, i)),
                  verdict = str(C.qc_assessment_verdict(self.ptr, i)), evidence = str(C.qc_assessment_verdict_evidence(self.ptr, i)) }
  end
  return t
end

--- What it was computed on: the store's journal head and entries, and the
--- content hash of the rule set that judged.
function Assessment:computed_on()
  return { store_state = str(C.qc_assessment_store_head(self.ptr)),
           store_entries = tonumber(C.qc_assessment_store_entries(self.ptr)),
           rules = str(C.qc_assessment_rules_hash(self.ptr)) }
end

--- The case-to-proceeding ratio (案-件比): { all = row, offices = { row... } },
--- each row { office, cases, items, ratio, components = { kind = n } }; nil
--- when the rules define none.
function Assessment:case_ratio()
  local a = self.ptr
  if C.qc_assessment_has_ratio(a) == 0 then return nil end
  local function row(i)
    local r = tonumber(C.qc_assessment_ratio(a, i))
    local t = { office = i >= 0 and str(C.qc_assessment_ratio_office(a, i)) or nil, cases = tonumber(C.qc_assessment_ratio_cases(a, i)),
                items = tonumber(C.qc_assessment_ratio_items(a, i)), ratio = r == r and r or nil, components = {} }
    for k = 0, C.qc_assessment_ratio_component_count(a) - 1 do
      t.components[str(C.qc_assessment_ratio_component(a, k))] = tonumber(C.qc_assessment_ratio_component_value(a, i, k))
    end
    return t
  end
  local t = { all = row(-1), offices = {} }
  for i = 0, C.qc_assessment_ratio_count(a) - 1 do t.offices[#t.offices + 1] = row(i) end
  return t
end

local rollup_figures = { "offices", "offices_complying", "leaders", "leaders_complying", "leaders_handling", "cases_by_leaders" }

--- Each office with offices under it, with its whole subtree's figures.
function Assessment:rollups()
  local t = {}
  for i = 0, C.qc_assessment_rollup_count(self.ptr) - 1 do
    local at = C.qc_assessment_rollup_office(self.ptr, i)
    local row = { office = str(C.qc_assessment_office_id(self.ptr, at)), name = str(C.qc_assessment_office_name(self.ptr, at)) }
    for _, k in ipairs(rollup_figures) do row[k] = tonumber(C.qc_assessment_rollup_value(self.ptr, i, k)) end
    t[#t + 1] = row
  end
  return t
end

--- The leaders by role, in the rules' order of leader roles.
function Assessment:roles()
  local t = {}
  for i = 0, C.qc_assessment_role_count(self.ptr) - 1 do
    local row = { role = str(C.qc_assessment_role(self.ptr, i)) }
    for k = 3, #rollup_figures do row[rollup_figures[k]] = tonumber(C.qc_assessment_role_value(self.ptr, i, rollup_figures[k])) end
    t[#t + 1] = row
  end
  return t
end

function Assessment:totals()
  local t = {}
  for _, k in ipairs({ "offices", "offices_complying", "leaders", "leaders_handling", "cases_by_leaders", "chiefs_handling_hard",
                       "offices_without_leaders" }) do
    t[k] = tonumber(C.qc_assessment_total(self.ptr, k))
  end
  return t
end

--- Verdict i's evidence (1-based, the index of a:verdicts(), as everywhere in Lua) in lang
--- "zh" or "en", with the rules' display names.
function Assessment:explain(i, lang)
  local n = check(C.qc_assessment_verdict_explain(self.ptr, i - 1, self.rules.ptr, lang or "zh", nil, 0))
  local buf = ffi.new("char[?]", n + 1)
  C.qc_assessment_verdict_explain(self.ptr, i - 1, self.rules.ptr, lang or "zh", buf, n + 1)
  return ffi.string(buf)
end

function Assessment:report(path, format, lang, ranking)
  check(C.qc_report_write(self.ptr, self.rules.ptr, path or "-", format or "text", lang or "zh", ranking == false and 0 or 1))
end

-- The text of a buffer the library allocated (out, size), freed here.
local function take_buffer(out, size)
  local text = ffi.string(out[0], size[0])
  C.qc_free(out[0])
  return text
end

--- The notification report as a string, written in memory (format, lang, ranking as report).
function Assessment:report_text(format, lang, ranking)
  local out, size = ffi.new("char *[1]"), ffi.new("size_t[1]")
  check(C.qc_report_write_buffer(out, size, self.ptr, self.rules.ptr, format or "text", lang or "zh",
                                 ranking == false and 0 or 1))
  return take_buffer(out, size)
end

--- The open cases in a process node on opts.on (YYYY-MM-DD), each as
--- { case, office, node, started, due, days_left, level, restarts,
--- suspended, over_limit [, explanation] }, in case id order; opts.office,
--- opts.case narrow them, opts.explain ("en" or "zh") explains each.
local date_buf = ffi.new("char[16]")
local function date_text(day) C.qc_date_format(date_buf, 16, day); return ffi.string(date_buf) end

-- The qc_deadlines of opts.on (freed by ffi.gc); what is the caller's name for errors.
local function compute_deadlines(rules, store, opts, what)
  local day = ffi.new("int64_t[1]")
  local on = assert(opts.on, what .. ": opts.on is required")
  check(C.qc_date_parse(day, on))
  local out = ffi.new("qc_deadlines *[1]")
  check(C.qc_deadlines_compute(out, rules.ptr, store.ptr, opts.office, opts.case, day[0]))
  return ffi.gc(out[0], C.qc_deadlines_free)
end

function M.deadlines(rules, store, opts)
  opts = opts or {}
  local d = compute_deadlines(rules, store, opts, "deadlines")
  local t = {}
  for i = 0, C.qc_deadlines_count(d) - 1 do
    local row = { case = str(C.qc_deadlines_case(d, i)), office = str(C.qc_deadlines_office(d, i)),
                  node = str(C.qc_deadlines_node(d, i)), started = date_text(C.qc_deadlines_started(d, i)),
                  due = date_text(C.qc_deadlines_due(d, i)), days_left = tonumber(C.qc_deadlines_days_left(d, i)),
                  level = str(C.qc_deadlines_level(d, i)), restarts = tonumber(C.qc_deadlines_restarts(d, i)),
                  suspended = C.qc_deadlines_suspended(d, i) ~= 0, over_limit = C.qc_deadlines_over_limit(d, i) ~= 0 }
    if opts.explain then
      local why = C.qc_deadlines_explain(d, i, rules.ptr, opts.explain)
      if why == nil then fail(C.qc_error_code()) end
      row.explanation = ffi.string(why)
    end
    t[#t + 1] = row
  end
  return t
end

--- Steps taken up to opts.on without what their node requires, each as
--- { case, office, node, requirement, step, date, cite, evidence }.
function M.node_violations(rules, store, opts)
  opts = opts or {}
  local d = compute_deadlines(rules, store, opts, "node_violations")
  local t = {}
  for i = 0, C.qc_deadlines_violation_count(d) - 1 do
    t[#t + 1] = { case = str(C.qc_deadlines_violation_case(d, i)), office = str(C.qc_deadlines_violation_office(d, i)),
                  node = str(C.qc_deadlines_violation_node(d, i)), requirement = str(C.qc_deadlines_violation_rule(d, i)),
                  step = str(C.qc_deadlines_violation_step(d, i)), date = date_text(C.qc_deadlines_violation_date(d, i)),
                  cite = str(C.qc_deadlines_violation_cite(d, i)), evidence = str(C.qc_deadlines_violation_evidence(d, i)) }
  end
  return t
end

--- A person's performance file for a period, to path ("-": stdout).
function M.dossier(rules, store, person, period, path, format, lang)
  local lo, hi = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
  check(C.qc_period_parse(lo, hi, period))
  check(C.qc_dossier_write(rules.ptr, store.ptr, person, lo[0], hi[0], path or "-", format or "text", lang))
end

--- The same file as a string, written in memory.
function M.dossier_text(rules, store, person, period, format, lang)
  local lo, hi = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
  check(C.qc_period_parse(lo, hi, period))
  local out, size = ffi.new("char *[1]"), ffi.new("size_t[1]")
  check(C.qc_dossier_write_buffer(out, size, rules.ptr, store.ptr, person, lo[0], hi[0], format or "text", lang))
  return take_buffer(out, size)
end

-- ---------------------------------------------------------------- rule tests

--- Run a rule test file; failing tests are in the result, an invalid file raises.
function M.run_rule_tests(path)
  local out = ffi.new("qc_test_report *[1]")
  local rc = tonumber(C.qc_rules_test_file(out, path))
  if rc < 0 and rc ~= C.QC_ETESTFAIL then fail(rc) end
  local r = ffi.gc(out[0], C.qc_test_report_free)
  local t = { total = C.qc_test_report_total(r), failed = C.qc_test_report_failed(r), tap = str(C.qc_test_report_tap(r)),
              rules = C.qc_test_report_rule_count(r), covered = C.qc_test_report_covered_count(r), uncovered = {} }
  for i = 0, t.rules - t.covered - 1 do t.uncovered[#t.uncovered + 1] = str(C.qc_test_report_uncovered(r, i)) end
  t.passed = t.failed == 0
  return t
end


-- ---------------------------------------------------------------- inspections and assignment

local Sample = {}
Sample.__index = Sample

local function sample_of(ptr) return setmetatable({ ptr = ffi.gc(ptr, C.qc_sample_free) }, Sample) end

--- The selected cases, by stratum then case: {case, office, department, line, handler, labels, stratum, reason, grade}.
function Sample:cases()
  local t = {}
  for i = 0, C.qc_sample_count(self.ptr) - 1 do
    t[#t + 1] = { case = str(C.qc_sample_case(self.ptr, i)), office = str(C.qc_sample_case_office(self.ptr, i)),
                  department = str(C.qc_sample_case_department(self.ptr, i)), line = str(C.qc_sample_case_line(self.ptr, i)),
                  handler = str(C.qc_sample_case_handler(self.ptr, i)), labels = str(C.qc_sample_case_labels(self.ptr, i)),
                  stratum = str(C.qc_sample_case_stratum(self.ptr, i)), reason = str(C.qc_sample_case_reason(self.ptr, i)),
                  grade = str(C.qc_sample_case_grade(self.ptr, i)) }
  end
  return t
end
function Sample:list_hash() return str(C.qc_sample_list_hash(self.ptr)) end
function Sample:id() return str(C.qc_sample_id(self.ptr)) end
function Sample:candidates() return tonumber(C.qc_sample_candidates(self.ptr)) end
--- Record the draw as inspection id, with its selections, in one transaction.
function Sample:record(store, id, by) check(C.qc_sample_record(self.ptr, store.ptr, id, by)) end
--- The list as text, csv, json or html (a printable checklist) to path ("-": stdout).
function Sample:write(path, format, lang) check(C.qc_sample_write(self.ptr, path or "-", format or "text", lang or "zh")) end

local Plan = {}
Plan.__index = Plan

--- A sampling plan from a file (docs/inspections.md).
function M.plan(path)
  local out = ffi.new("qc_plan *[1]")
  check(C.qc_plan_load_file(out, path))
  return setmetatable({ ptr = ffi.gc(out[0], C.qc_plan_free) }, Plan)
end
function Plan:id() return str(C.qc_plan_id(self.ptr)) end
function Plan:hash() return str(C.qc_plan_hash(self.ptr)) end
--- Draw the cases of office (and the offices under it) for period with seed; nothing is written.
function Plan:draw(rules, store, office, period, seed)
  local lo, hi = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
  check(C.qc_period_parse(lo, hi, period))
  local out = ffi.new("qc_sample *[1]")
  check(C.qc_sample_draw(out, self.ptr, rules and rules.ptr or nil, store.ptr, office, lo[0], hi[0], seed))
  return sample_of(out[0])
end

--- A recorded inspection, with the grades of the reviews made for it.
function M.load_inspection(store, id)
  local out = ffi.new("qc_sample *[1]")
  check(C.qc_sample_load(out, store.ptr, id))
  return sample_of(out[0])
end

--- Draw a recorded inspection again on the store as it was; an error naming the first difference if not the same.
function M.check_inspection(store, id, plan, rules)
  local out = ffi.new("qc_sample *[1]")
  check(C.qc_sample_check(out, store.ptr, id, plan.ptr, rules and rules.ptr or nil))
  return sample_of(out[0])
end

--- Who may take a case (day "YYYY-MM-DD", default its registration), best first.
function M.suggest(rules, store, case_id, day)
  local d = ffi.new("int64_t[1]")
  if day then check(C.qc_date_parse(d, day)) end
  local out = ffi.new("qc_suggestion *[1]")
  check(C.qc_suggest(out, rules.ptr, store.ptr, case_id, d[0]))
  local sg = ffi.gc(out[0], C.qc_suggestion_free)
  local t = { ptr = sg, case = case_id, hard = C.qc_suggestion_hard(sg) ~= 0, candidates = {} }
  for i = 0, C.qc_suggestion_count(sg) - 1 do
    t.candidates[#t.candidates + 1] = {
      person = str(C.qc_suggestion_person(sg, i)), name = str(C.qc_suggestion_name(sg, i)),
      role = str(C.qc_suggestion_role(sg, i)), leader = C.qc_suggestion_leader(sg, i) ~= 0,
      weight = C.qc_suggestion_weight(sg, i), cases = C.qc_suggestion_cases(sg, i),
      counted = C.qc_suggestion_counted(sg, i), required = C.qc_suggestion_required(sg, i),
      focus_share = C.qc_suggestion_focus_share(sg, i), score = C.qc_suggestion_score(sg, i) }
  end
  return t
end

local methods = { random = 1, designated = 2, suggested = 3 }

--- Assign a suggestion's case: opts = {method, by, person, seed, reason, capacity}; returns the person.
function M.assign(store, suggestion, opts)
  local m = methods[opts.method]
  if not m then error("quotacase: method '" .. tostring(opts.method) .. "' is not random, designated or suggested", 2) end
  local chosen = ffi.new("const char *[1]")
  check(C.qc_assign(chosen, store.ptr, suggestion.ptr, m, opts.person, opts.seed, opts.by, opts.reason,
                    opts.capacity == nil and "lead" or opts.capacity or nil))
  return str(chosen[0])
end

return M
