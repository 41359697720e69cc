-- SPDX-License-Identifier: MIT
-- test_quotacase.lua - the LuaJIT bindings end to end; prints TAP.
package.path = (arg[1] or ".") .. "/?.lua;" .. package.path
local qc = require("quotacase")
local top = os.getenv("QC_TOP_SRCDIR") or "../.."
local data, rules_dir = top .. "/tests/data/good/", top .. "/examples/rules/"
local n, failed = 0, 0
local function ok(cond, name)
  n = n + 1
  if cond then print("ok " .. n .. " - " .. name) else failed = failed + 1; print("not ok " .. n .. " - " .. name) end
end

local s = qc.open("memory:")
for _, f in ipairs({ "offices", "departments", "people", "cases", "participations", "acts", "reviews" }) do
  s:import_file(data .. f .. ".csv")
end
s:import_file(data .. "extra.yaml")
ok(s:backend() == "memory", "a memory store")
local c1 = s:get("case", "C1")
ok(c1.registered == "2017-03-02" and c1.facts.defendants == 3 and c1.facts.sensitive == true, "get a case with typed facts")
local kinds = {}
for act in s:iterate("act", { person = "P2" }) do kinds[#kinds + 1] = act.kind end
ok(table.concat(kinds, ",") == "file_review,interrogation,court_appearance", "iterate with a filter")
ok(s:count("case", { office = "DL" }) == 3, "count with a filter")
s:set_office_subtree(true)
ok(s:count("case", { office = "DL" }) == 4, "count with a filter: DL and the offices under it")
s:set_office_subtree(false)
ok(s:scope() == nil, "no scope by default")

local before = s:count("act")
local okcall, err = pcall(function() s:import_file(top .. "/tests/data/bad/latin1-people.csv") end)
ok(not okcall and err.name == "QC_EUTF8" and tostring(err):find("latin1%-people.csv:3:7"), "errors raise with code and location")
ok(s:count("act") == before, "a failed import writes nothing")
local acts = s:count("act")
ok(s:import_file(data .. "acts.csv") == 0 and s:import_unchanged() > 0 and s:count("act") == acts, "importing again changes nothing")
local okopen, operr = pcall(qc.open, "sqlite:" .. os.tmpname() .. "-missing.db", { existing = true })
ok(not okopen and operr.name == "QC_ENOTFOUND" and tostring(operr):find("no store at"), "open an existing store only")
s:set_clock(1483228800) -- 2017-01-01: an act dated later is in the future
local okfut, futerr = pcall(function() s:put("act", { case = "C2", person = "P1", kind = "x", time = "2017-05-01" }) end)
ok(not okfut and futerr.name == "QC_EDATE" and tostring(futerr):find("in the future"), "the store's clock")
s:set_clock(0)
okcall = pcall(function()
  s:transaction(function()
    s:put("office", { id = "ZZ", name = "x", kind = "court", level = "basic" })
    error("abort")
  end)
end)
ok(not okcall and not pcall(s.get, s, "office", "ZZ"), "a transaction rolls back on error")

local r = qc.rules(rules_dir .. "liaoning-2017.yaml", rules_dir .. "liaoning-2018.yaml")
ok(#r:versions() == 2 and r:versions()[2].version == "2018.1", "rule versions side by side")
ok(r:display_name("label", "major") == "重大", "display names")
local okbad, e = pcall(qc.rules_from_string, "name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: o, fallback: true}]\nclassify: [{id: r, label: o, when: nope}]\n", "bad.yaml")
ok(not okbad and e.name ~= nil and #e.details >= 1, "every problem of a bad rule file in details")

local c = qc.classifier(r, { explain = true, today = "2017-12-31" })
local res = c:classify({ id = "X", office = "O", line = "prosecution", type = "fraud", registered = "2017-06-01",
                         facts = { max_sentence_years = 12, defendants = 3 } })
ok(res.primary == "major" and res.matched[1] == "sentence-ten-years" and math.abs(res.weight - 4.2) < 1e-9, "classify one case")
ok(res.explanation:find("yes max_sentence_years >= 10", 1, true) ~= nil, "explanations")
local cases = {}
for i = 1, 20 do cases[i] = { id = "K" .. i, office = "O", line = "prosecution", type = "theft", registered = "2017-06-01",
                              facts = { max_sentence_years = i % 15 } } end
local primary, weight = c:classify_batch(cases)
ok(primary[10] == "major" and primary[9] == "ordinary" and weight[10] == 3, "classify a batch in one call")
local cs = qc.classifier(qc.rules(rules_dir .. "liaoning-2017.yaml"), { store = s, today = "2017-12-31" })
ok(cs:classify_store(s) == 1, "classify a store")

local a = qc.assess(qc.rules(rules_dir .. "liaoning-2017.yaml"), s, "2017")
local t = a:totals()
ok(t.offices == 3 and t.offices_complying == 1 and t.offices_without_leaders == 1, "assess: totals (LN has no leaders)")
local ru, nrole = a:rollups(), 0
for _, r in ipairs(a:roles()) do nrole = nrole + r.leaders end
ok(#ru == 2 and ru[2].office == "LN" and ru[2].offices == 3 and nrole == t.leaders, "assess: roll-ups by office tree and by role")
s:set_threads(1)
ok(qc.assess(qc.rules(rules_dir .. "liaoning-2017.yaml"), s, "2017"):totals().offices_complying == 1, "assess: one thread, same totals")
ok(not pcall(function() s:set_threads(-1) end), "set_threads: a negative count is an error")
local p2
for _, l in ipairs(a:leaders()) do if l.person == "P2" then p2 = l end end
ok(p2 and p2.name_only == 1 and p2.status == "short", "assess: name-only handling found")
local explained
for i, v in ipairs(a:verdicts()) do
  if v.person == "P2" and v.verdict == "name_only" then explained = a:explain(i, "zh") end
end
ok(explained and explained:find("疑似挂名办案", 1, true) == 1, "a name-only verdict explained in Chinese")
local tmp = os.tmpname()
a:report(tmp, "json", "en", false)
local f = io.open(tmp); local json = f:read("*a"); f:close(); os.remove(tmp)
ok(json:find('"offices_complying": 1', 1, true) and not json:find('"rank"', 1, true), "report without rankings")
ok(a:report_text("json", "en", false) == json, "the report in memory is the file's, byte for byte")
ok(not pcall(function() a:report_text("pdf") end), "report_text: an unknown format is an error")

local dtmp = os.tmpname()
qc.dossier(qc.rules(rules_dir .. "liaoning-2017.yaml"), s, "P2", "2017", dtmp, "json", "zh")
local df = io.open(dtmp); local dj = df:read("*a"); df:close(); os.remove(dtmp)
ok(dj:find('"verdict": "name_only"', 1, true) and dj:find('"role": "deputy_chief"', 1, true), "dossier")
ok(qc.dossier_text(qc.rules(rules_dir .. "liaoning-2017.yaml"), s, "P2", "2017", "json", "zh") == dj,
   "the dossier in memory is the file's")

local report = qc.run_rule_tests(rules_dir .. "spc-2017.test.yaml")
ok(report.passed and report.covered == report.rules, "the rule test runner")
local failing = qc.run_rule_tests(top .. "/tests/data/rules/failing.test.yaml")
ok(not failing.passed and failing.failed == 2 and failing.tap:find("want major, got ordinary", 1, true), "failing rule tests are reported")

-- deadlines
local ds = qc.open("memory:")
ds:import_file(top .. "/tests/data/deadlines/store.yaml")
local lr = qc.rules(rules_dir .. "liaoning-2017.yaml", rules_dir .. "liaoning-2018.yaml")
local dl = qc.deadlines(lr, ds, { on = "2018-04-15" })
ok(#dl == 7 and dl[1].case == "C1" and dl[1].due == "2018-04-16" and dl[1].days_left == 1 and dl[1].level == "orange",
   "deadlines on a day")
local c5 = qc.deadlines(lr, ds, { on = "2018-06-10", case = "C5", explain = "zh" })
ok(#c5 == 1 and c5[1].restarts == 3 and c5[1].over_limit and c5[1].explanation:find("超过 2 次", 1, true), "a restart over the limit, explained")

ds:import_file(top .. "/tests/data/deadlines/duties.yaml")
ok(qc.assess(lr, ds, "2018"):leaders()[1].credit == 8.5, "workload credit")
local cr = qc.assess(lr, ds, "2018"):case_ratio()
ok(cr.all.cases == 7 and cr.all.items == 11 and cr.offices[1].components.return_supplementary == 3, "the case-to-proceeding ratio")

ds:import_file(top .. "/tests/data/deadlines/node_control.yaml")
local nv = qc.node_violations(lr, ds, { on = "2018-04-15" })
ok(#nv == 4 and nv[4].case == "C9" and nv[4].requirement == "committee-before-decision", "node control violations")

-- a GBK file
local gbk_path = os.tmpname() .. "-offices.csv"
local gf = io.open(gbk_path, "wb")
gf:write("id,name,kind,level\nGB,\180\243\193\172\202\208,procuratorate,city\n") -- 大连市 in GBK
gf:close()
local gs = qc.open("memory:")
local okgbk = pcall(function() gs:import_file(gbk_path) end)
ok(not okgbk and gs:import_file(gbk_path, nil, { encoding = "gbk" }) == 1 and gs:get("office", "GB").name == "大连市", "import a GBK file")
os.remove(gbk_path)

-- records that change: amend, withdraw, history, as of
local h = qc.open("memory:")
h:set_clock(1514764800) -- 2018-01-01
h:set_actor("录入员")
for _, f in ipairs({ "offices", "departments", "people", "cases", "participations", "acts", "reviews" }) do
  h:import_file(data .. f .. ".csv")
end
h:set_clock(1517443200) -- 2018-02-01
h:set_actor("张三")
ok(h:actor() == "张三", "the actor")
h:amend("case", "C2", { closed = "2017-12-20", stage = qc.unset, facts = { defendants = 2 } }, "结案")
local c2 = h:get("case", "C2")
ok(c2.closed == "2017-12-20" and c2.stage == nil and c2.facts.defendants == 2, "amend: a case closed, a field unset, a fact corrected")
local okr, rerr = pcall(function() h:amend("case", "C2", { closed = "2017-12-21" }, nil) end)
ok(not okr and rerr.name == "QC_EMISSING", "amend: a reason is required")
local nacts = h:count("act")
h:withdraw("act", { case = "C1", person = "P2", kind = "file_review", time = "2017-03-05T09:00" }, "recorded twice")
ok(h:count("act") == nacts - 1, "withdraw an act without an id")
local okw, werr = pcall(function() h:withdraw("case", "C1", "x") end)
ok(not okw and werr.name == "QC_ENOREF", "a case with acts cannot be withdrawn")
local hist = h:history("case", "C2")
ok(#hist == 2 and hist[1].op == "insert" and hist[2].op == "amend" and hist[2].actor == "张三" and hist[2].reason == "结案"
   and hist[2].body:find("closed=2017-12-20\n", 1, true), "history: who, why, what")
local then_ = h:as_of("2018-01-15")
ok(then_:get("case", "C2").closed == nil and then_:count("act") == nacts, "as of before the changes")
ok(not pcall(function() then_:put("office", { id = "X", name = "x", kind = "court", level = "basic" }) end), "as of: read-only")


-- the journal
local j = qc.open("memory:")
j:set_hash("sm3")
for _, f in ipairs({ "offices", "departments", "people", "cases", "participations", "acts", "reviews" }) do
  j:import_file(data .. f .. ".csv")
end
local head, entries = j:head()
ok(head:sub(1, 4) == "sm3:" and #head == 4 + 64 and entries > 20, "the journal's head, with SM3")
local v = j:verify()
ok(v.ok and v.head == head and v.entries == entries and v.bad_entry == 0, "a clean store verifies")
local okh, herr = pcall(function() j:set_hash("sha256") end)
ok(not okh and herr.name == "QC_EEXIST", "the algorithm is the store's")
j:amend("case", "C2", { closed = "2017-12-20" }, "结案")
ok(j:verify(head).head_seen == entries and j:verify("sm3:" .. string.rep("0", 64)).head_seen == 0, "verify --head")
local lr = qc.rules(rules_dir .. "liaoning-2017.yaml")
local a = qc.assess(lr, j, "2017")
local on = a:computed_on()
ok(on.store_state == j:head() and on.store_entries == entries + 1 and on.rules == lr:hash(), "what an assessment was computed on")

-- inspections drawn from a plan, recorded and drawn again; assignment
local ps = qc.open("memory:")
for _, f in ipairs({ "offices", "departments", "people", "cases", "participations", "acts", "reviews" }) do
  ps:import_file(data .. f .. ".csv")
end
local plan = qc.plan(top .. "/examples/plans/quality-2017.yaml")
local draw1 = plan:draw(lr, ps, "LN", "2017", "20180105")
local draw2 = plan:draw(lr, ps, "LN", "2017", "20180105")
ok(draw1:list_hash() == draw2:list_hash() and #draw1:cases() == #draw2:cases(), "the same seed draws the same list")
draw1:record(ps, "I1", "案件管理部")
ok(qc.check_inspection(ps, "I1", plan, lr):list_hash() == draw1:list_hash(), "a recorded inspection drawn again")
ok(#qc.load_inspection(ps, "I1"):cases() == #draw1:cases(), "and loaded back")
local okc, cerr = pcall(function() qc.check_inspection(ps, "I1", plan, nil) end)
ok(not okc and cerr.name == "QC_EVALUE", "drawn again without its rules: refused")
local sg = qc.suggest(lr, ps, "C2", "2017-06-01")
ok(#sg.candidates > 0, "the suggestion lists who may take the case")
local who = qc.assign(ps, sg, { method = "random", seed = "2017-06-01", by = "系统" })
local found = false
for _, c in ipairs(sg.candidates) do found = found or c.person == who end
ok(found and ps:count("assignment") == 1, "a random assignment picks a candidate and is recorded")

print("1.." .. n)
os.exit(failed == 0 and 0 or 1)
