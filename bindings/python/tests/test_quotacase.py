# SPDX-License-Identifier: MIT
"""unittest suite of the Python bindings: every capability of the C API
through the Pythonic layer.  Run by `make check` (tests/python.test) with
QUOTACASE_LIBRARY and QUOTACASE_FFI_HEADER pointing into the build tree."""
import datetime
import json
import os
import sqlite3
import tempfile
import unittest

import quotacase as qc

TOP = os.environ.get("QC_TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(TOP, "tests", "data", "good")
RULES = os.path.join(TOP, "examples", "rules")


def sample_store(uri="memory:"):
    s = qc.Store(uri)
    for f in ["offices", "departments", "people", "cases", "participations", "acts", "reviews"]:
        s.import_file(os.path.join(DATA, f + ".csv"))
    s.import_file(os.path.join(DATA, "extra.yaml"))
    return s


class StoreTest(unittest.TestCase):
    def test_version_matches_header_enum(self):
        self.assertEqual(qc.version(), "%d.%d.%d" % (qc.QC_VERSION_MAJOR, qc.QC_VERSION_MINOR, qc.QC_VERSION_PATCH))

    def test_import_get_iterate_count(self):
        with sample_store() as s:
            self.assertEqual(s.backend, "memory")
            case = s.get("case", "C1")
            self.assertEqual(case["registered"], "2017-03-02")
            self.assertEqual(case["facts"]["defendants"], 3)
            self.assertIs(case["facts"]["sensitive"], True)
            self.assertAlmostEqual(case["facts"]["amount"], 1250000.5)
            acts = list(s.iterate("act", person="P2"))
            self.assertEqual([a["kind"] for a in acts], ["file_review", "interrogation", "court_appearance"])
            self.assertEqual(s.count("case", office="DL"), 3)
            s.set_office_subtree(True)  # DL-ZS is under DL: its case counts too
            self.assertEqual(s.count("case", office="DL"), 4)
            s.set_office_subtree(False)
            self.assertIsNone(s.scope)
            with sample_store() as narrow:
                narrow.set_scope("DL-ZS")
                self.assertEqual(narrow.scope, "DL-ZS")
                self.assertEqual(narrow.count("case"), 1)
                with self.assertRaises(qc.Denied):  # a scope only narrows; a PermissionError
                    narrow.set_scope("DL")
                self.assertTrue(issubclass(qc.Denied, PermissionError))
            self.assertEqual(s.count("case", date_from=datetime.date(2017, 4, 1), date_to="2017-06-30"), 2)

    def test_errors_carry_code_and_location(self):
        with sample_store() as s:
            before = s.count("act")
            with self.assertRaises(qc.Error) as cm:
                s.import_text("case,person,kind,time\nC1,P1,x,2017-05-01\nC1,NOBODY,x,2017-05-01\n", "csv", "acts.csv")
            self.assertEqual(cm.exception.name, "QC_ENOREF")
            self.assertEqual(cm.exception.code, qc.QC_ENOREF)
            self.assertIn("acts.csv:3:4: act.person", str(cm.exception))
            self.assertEqual(s.count("act"), before)  # nothing half-written
            with self.assertRaises(qc.NotFound) as nf:  # a LookupError, and a quotacase.Error
                s.get("case", "NOPE")
            self.assertIsInstance(nf.exception, LookupError)
            self.assertIsInstance(nf.exception, qc.Error)
            with self.assertRaises(qc.InvalidInput) as bad:  # a ValueError
                s.import_text("case,person,kind,time\nC1,NOBODY,x,2017-05-01\n", "csv", "acts.csv")
            self.assertIsInstance(bad.exception, ValueError)
            self.assertEqual(qc.__version__, qc.version())

    def test_import_again_open_existing_and_clock(self):
        with sample_store() as s:
            acts = s.count("act")
            text = "case,person,kind,time\nC1,P1,x,2017-05-01\n"
            self.assertEqual(s.import_text(text, "csv", "acts.csv"), 1)
            self.assertEqual(s.import_text(text, "csv", "acts.csv"), 0)  # the same act again: no change
            self.assertEqual(s.import_unchanged(), 1)
            self.assertEqual(s.count("act"), acts + 1)
            s.set_clock(1483228800)  # 2017-01-01: a later act is in the future
            with self.assertRaises(qc.Error) as cm:
                s.import_text("case,person,kind,time\nC2,P1,x,2017-05-02\n", "csv", "acts.csv")
            self.assertEqual(cm.exception.name, "QC_EDATE")
            self.assertIn("in the future", str(cm.exception))
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "missing.db")
            with self.assertRaises(qc.Error) as cm:
                qc.Store("sqlite:" + missing, existing=True)
            self.assertEqual(cm.exception.name, "QC_ENOTFOUND")
            self.assertFalse(os.path.exists(missing))

    def test_put_transaction_and_batch(self):
        with qc.Store("sqlite::memory:") as s:
            s.put("office", {"id": "O", "name": "某法院", "kind": "court", "level": "intermediate"})
            self.assertEqual(s.get("office", "O")["level"], "city")
            with self.assertRaises(qc.Error):
                with s.transaction():
                    s.put("case", {"id": "K1", "office": "O", "line": "civil", "type": "x", "registered": datetime.date(2017, 5, 1)})
                    s.put("case", {"id": "K1", "office": "O", "line": "civil", "type": "x", "registered": "2017-05-01"})
            self.assertEqual(s.count("case"), 0)  # rolled back
            rows = [{"id": "K%d" % i, "office": "O", "line": "civil", "type": "x", "registered": "2017-05-01",
                     "facts": {"n": i, "ratio": 0.5, "ok": True}} for i in range(100)]
            self.assertEqual(s.put_many("case", rows), 100)
            self.assertEqual(s.get("case", "K7")["facts"], {"n": 7, "ratio": 0.5, "ok": True})

    def test_amend_withdraw_history_as_of(self):
        with tempfile.TemporaryDirectory() as d:
            with qc.Store("sqlite:" + os.path.join(d, "h.db")) as s:
                s.set_clock(1514764800)  # 2018-01-01
                s.actor = "录入员"
                for f in ["offices", "departments", "people", "cases", "participations", "acts", "reviews"]:
                    s.import_file(os.path.join(DATA, f + ".csv"))
                s.set_clock(1517443200)  # 2018-02-01
                s.actor = "张三"
                self.assertEqual(s.actor, "张三")
                s.amend("case", "C2", {"closed": datetime.date(2017, 12, 20), "stage": None,
                                       "facts": {"defendants": 2}}, reason="结案")
                case = s.get("case", "C2")
                self.assertEqual(case["closed"], "2017-12-20")
                self.assertIsNone(case["stage"])
                self.assertEqual(case["facts"]["defendants"], 2)
                with self.assertRaises(qc.Error) as cm:
                    s.amend("case", "C2", {"closed": "2017-12-21"}, reason="")
                self.assertEqual(cm.exception.name, "QC_EMISSING")
                with self.assertRaises(qc.Error) as cm:
                    s.amend("case", "C1", {"closed": "2017-03-06"}, reason="too early")
                self.assertEqual(cm.exception.name, "QC_EDATE")
                acts = s.count("act")
                s.withdraw("act", match={"case": "C1", "person": "P2", "kind": "file_review",
                                         "time": "2017-03-05T09:00"}, reason="recorded twice")
                self.assertEqual(s.count("act"), acts - 1)
                with self.assertRaises(qc.Error) as cm:
                    s.withdraw("case", "C1", reason="x")
                self.assertEqual(cm.exception.name, "QC_ENOREF")
                h = s.history("case", "C2")
                self.assertEqual([r["op"] for r in h], ["insert", "amend"])
                self.assertEqual(h[1]["actor"], "张三")
                self.assertEqual(h[1]["reason"], "结案")
                self.assertEqual(h[1]["recorded"], "2018-02-01T00:00:00")
                self.assertIn("closed=2017-12-20\n", h[1]["body"])
                self.assertNotIn("closed=", h[1]["prior"])
                with s.as_of("2018-01-15") as then:
                    self.assertIsNone(then.get("case", "C2")["closed"])
                    self.assertEqual(then.count("act"), acts)
                    with self.assertRaises(qc.Error) as cm:
                        then.put("office", {"id": "X", "name": "x", "kind": "court", "level": "basic"})
                    self.assertEqual(cm.exception.name, "QC_ESTATE")
                fix = os.path.join(d, "fix-cases.csv")
                with open(fix, "w", encoding="utf-8") as f:
                    f.write("id,office,department,line,type,registered,closed,stage,source\n"
                            "C3,DL-ZS,ZS-1,prosecution,homicide,2017-02-14,2017-11-30,closed,raised\n")
                with self.assertRaises(qc.Error):
                    s.import_file(fix)
                self.assertEqual(s.import_file(fix, update=True), 0)
                self.assertEqual(s.import_updated(), 1)
                self.assertEqual(s.history("case", "C3")[-1]["reason"], "import " + fix)

    def test_journal_verify(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "j.db")
            with qc.Store("sqlite:" + path) as s:
                s.set_hash("sm3")
                for f in ["offices", "departments", "people", "cases", "participations", "acts", "reviews"]:
                    s.import_file(os.path.join(DATA, f + ".csv"))
                head, entries = s.head()
                self.assertTrue(head.startswith("sm3:") and len(head) == 4 + 64, head)
                self.assertGreater(entries, 20)
                v = s.verify()
                self.assertEqual((v["ok"], v["head"], v["entries"], v["bad_entry"]), (True, head, entries, 0))
                with self.assertRaises(qc.Error) as cm:
                    s.set_hash("sha256")
                self.assertEqual(cm.exception.name, "QC_EEXIST")
                s.amend("case", "C2", {"closed": "2017-12-20"}, reason="结案")
                self.assertEqual(s.verify(head)["head_seen"], entries)
                self.assertEqual(s.verify("sm3:" + "0" * 64)["head_seen"], 0)
                r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"))
                self.assertTrue(r.hash.startswith("sha256:"))
                a = qc.assess(r, s, period="2017")
                self.assertEqual(a.computed_on, {"store_state": s.head()[0], "store_entries": entries + 1,
                                                 "rules": r.hash})
            db = sqlite3.connect(path)
            db.execute("UPDATE cases SET closed = NULL WHERE id = 'C2'")
            db.commit()
            db.close()
            with qc.Store("sqlite:" + path) as s:
                v = s.verify()
                self.assertFalse(v["ok"])
                self.assertEqual((v["bad_kind"], v["bad_id"]), ("case", "C2"))
                self.assertIn("case C2 is not what the journal says", v["message"])


class RulesTest(unittest.TestCase):
    def test_versions_and_display_names(self):
        r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"), os.path.join(RULES, "liaoning-2018.yaml"))
        self.assertEqual([v["version"] for v in r.versions], ["2017.1", "2018.1"])
        self.assertIn("dalian-zhongshan-pilot", r.versions[1]["rules"])
        self.assertEqual(r.display_name("label", "major"), "重大")
        self.assertEqual(r.display_name("role", "chief", "en"), "chief procurator")

    def test_every_problem_of_a_rule_file(self):
        bad = ("name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {n: {type: int}}\n"
               "labels: [{id: a}, {id: o, fallback: true}]\nclassify:\n"
               "  - {id: r1, label: a, when: nn > 1}\n  - {id: r2, label: b, when: n > 1}\n")
        with self.assertRaises(qc.Error) as cm:
            qc.Rules.from_string(bad, "bad.yaml")
        self.assertEqual(len(cm.exception.details), 2)
        self.assertIn("bad.yaml:7:30: classify[0].when: unknown fact 'nn' (did you mean 'n'?)", cm.exception.details)

    def test_classify_one_batch_and_store(self):
        r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"))
        with qc.Classifier(r, explain=True, today="2017-12-31") as c:
            res = c.classify({"id": "X", "office": "O", "line": "prosecution", "type": "fraud",
                              "registered": "2017-06-01", "facts": {"max_sentence_years": 12, "defendants": 3}})
            self.assertEqual(res.primary, "major")
            self.assertEqual(res.matched, ["sentence-ten-years"])
            self.assertAlmostEqual(res.weight, 3 * 1.4)
            self.assertIn("yes max_sentence_years >= 10", res.explanation)
        cases = [{"id": "K%d" % i, "office": "O", "line": "prosecution", "type": "theft", "registered": "2017-06-01",
                  "facts": {"max_sentence_years": i % 15}} for i in range(30)]
        with qc.Classifier(r) as c:
            batch = c.prepare(cases)
            out = c.classify_batch(batch)
            self.assertEqual([p for p, _ in out], ["major" if i % 15 >= 10 else "ordinary" for i in range(30)])
            self.assertEqual(out, [(c.classify(k).primary, c.classify(k).weight) for k in cases])
            # columns: the same answers, records built in C; a missing fact and a date column
            cols = {"case.registered": [k["registered"] for k in cases], "case.line": [k["line"] for k in cases],
                    "case.type": [k["type"] for k in cases],
                    "max_sentence_years": [k["facts"]["max_sentence_years"] for k in cases],
                    "amount": [float(i * 300000) if i % 4 else None for i in range(30)]}
            primary, weight = c.classify_many(cols)
            expect = [c.classify(dict(k, facts=dict(k["facts"], **({"amount": float(i * 300000)} if i % 4 else {}))))
                      for i, k in enumerate(cases)]
            self.assertEqual(primary, [e.primary for e in expect])
            self.assertEqual(weight, [e.weight for e in expect])
            # a text column with missing values (None: the fact is missing), and no cases at all
            many = c.classify_many({"case.registered": ["2017-06-01"] * 3, "case.line": ["prosecution", None, "civil"],
                                    "max_sentence_years": [12, 12, 12]})
            self.assertEqual(many[0], ["major", "major", "major"])
            self.assertEqual(c.classify_many({"case.registered": [], "case.line": []}), ([], []))
            with self.assertRaises(ValueError):
                c.classify_many({"case.registered": ["2017-06-01"], "case.line": ["prosecution", "prosecution"]})
        with sample_store() as s, qc.Classifier(r, store=s, today="2017-12-31") as c:
            self.assertEqual(c.classify_store(s), 1)  # C4; the others predate the rules
            self.assertEqual(list(s.iterate("classification"))[0]["primary"], "complex")

    def test_deadlines(self):
        with qc.Store("memory:") as s:
            s.import_file(os.path.join(TOP, "tests", "data", "deadlines", "store.yaml"))
            r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"), os.path.join(RULES, "liaoning-2018.yaml"))
            rows = qc.deadlines(r, s, on="2018-04-15")
            self.assertEqual([d["case"] for d in rows], ["C1", "C2", "C3", "C5", "C6", "C7", "C8"])
            c1 = rows[0]
            self.assertEqual((c1["node"], c1["started"], c1["due"], c1["days_left"], c1["level"]),
                             ("prosecution_review", "2018-03-01", "2018-04-16", 1, "orange"))
            self.assertTrue(rows[1]["suspended"])
            one = qc.deadlines(r, s, on="2018-06-10", case="C5", explain="en")
            self.assertEqual((one[0]["restarts"], one[0]["over_limit"]), (3, True))
            self.assertIn("violation: restarted 3 times, more than the 2 allowed", one[0]["explanation"])
            self.assertEqual(qc.deadlines(r, s, on="2018-04-15", office="SH")[0]["case"], "C6")
            with self.assertRaises(qc.Error):
                qc.deadlines(r, s, on="2018-02-30")
            s.import_file(os.path.join(TOP, "tests", "data", "deadlines", "duties.yaml"))
            a = qc.assess(r, s, "2018")
            self.assertEqual(a.leaders[0]["credit"], 8.5)
            self.assertIn("none offsets the quota", a.credit_explain(0, "en"))
            ratio = a.case_ratio
            self.assertEqual((ratio["all"]["cases"], ratio["all"]["items"]), (7, 11))
            self.assertEqual(ratio["offices"][0]["components"], {"return_supplementary": 3, "detention_extended": 1})

    def test_import_gbk(self):
        with tempfile.TemporaryDirectory() as d, qc.Store("memory:") as s:
            path = os.path.join(d, "offices.csv")
            with open(path, "wb") as f:
                f.write("id,name,kind,level\nDL,大连市人民检察院,procuratorate,city\n".encode("gbk"))
            with self.assertRaises(qc.Error) as cm:
                s.import_file(path)
            self.assertEqual(cm.exception.name, "QC_EUTF8")
            self.assertEqual(s.import_file(path, encoding="gbk"), 1)
            self.assertEqual(s.get("office", "DL")["name"], "大连市人民检察院")

    def test_node_control_and_notices(self):
        with qc.Store("memory:") as s:
            for f in ("store.yaml", "node_control.yaml"):
                s.import_file(os.path.join(TOP, "tests", "data", "deadlines", f))
            r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"), os.path.join(RULES, "liaoning-2018.yaml"))
            v = qc.node_violations(r, s, on="2018-04-15")
            self.assertEqual([(x["case"], x["requirement"]) for x in v],
                             [("C11", "leader-own-review-report"), ("C13", "leader-own-review-report"),
                              ("C16", "leader-own-review-report"), ("C9", "committee-before-decision")])
            self.assertEqual(v[3]["evidence"], "before indictment on 2018-03-25: no committee; acts recorded by then: none")
            s.put("notice", {"id": "N1", "case": "C9", "level": "violation", "issued": "2018-04-15", "by": "案件管理部",
                             "reason": v[3]["evidence"]})
            a = qc.assess(r, s, "2018-04")
            self.assertEqual(a.notices, [{"id": "N1", "case": "C9", "office": "DL", "node": None, "level": "violation",
                                          "issued": "2018-04-15", "age": 15}])

    def test_rule_test_runner_in_unittest(self):
        report = qc.run_rule_tests(os.path.join(RULES, "liaoning.test.yaml"))
        self.assertTrue(report.passed, report.tap)
        self.assertEqual((report.total, report.rules, report.covered), (60, 30, 30))
        failing = qc.run_rule_tests(os.path.join(TOP, "tests", "data", "rules", "failing.test.yaml"))
        self.assertFalse(failing.passed)
        self.assertEqual(failing.failed, 2)
        self.assertIn("#   primary: want major, got ordinary", failing.tap)
        with self.assertRaises(qc.Error) as cm:
            qc.run_rule_tests(os.path.join(TOP, "tests", "data", "rules", "invalid.test.yaml"))
        self.assertEqual(cm.exception.name, "QC_EUNKNOWN")


class AssessTest(unittest.TestCase):
    def test_assess_report_and_people(self):
        r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"))
        with sample_store() as s:
            a = qc.assess(r, s, "2017")
            self.assertEqual(a.totals["offices"], 3)
            self.assertEqual(a.totals["offices_complying"], 1)  # LN has no leaders: neither complies nor fails
            self.assertEqual(a.totals["offices_without_leaders"], 1)
            deputy = [l for l in a.leaders if l["person"] == "P2"][0]
            self.assertEqual((deputy["name_only"], deputy["status"]), (1, "short"))
            self.assertEqual([v["verdict"] for v in a.verdicts if v["person"] == "P2"], ["name_only"])
            i = [k for k, v in enumerate(a.verdicts) if v["person"] == "P2"][0]
            self.assertTrue(a.explain(i, "zh").startswith("疑似挂名办案"), a.explain(i, "zh"))
            self.assertIn("others' acts on the case do", a.explain(i, "en"))
            self.assertTrue(any(p["grade"] for p in a.people))
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "r.json")
                a.report(path, "json", "en", ranking=False)
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
                self.assertEqual(data["totals"]["offices_complying"], 1)
                self.assertNotIn("rank", data["offices"][0])
                # the same report in memory is byte for byte the file's
                with open(path, encoding="utf-8") as f:
                    self.assertEqual(a.report_text("json", "en", ranking=False), f.read())
                self.assertIn("<html", a.report_text("html", "zh"))
                with self.assertRaises(qc.InvalidInput):
                    a.report_text("pdf")
                # a bad format leaves no file behind and an earlier report intact
                with self.assertRaises(qc.InvalidInput):
                    a.report(path, "pdf")
                with open(path, encoding="utf-8") as f:
                    self.assertEqual(json.load(f), data)
                self.assertEqual(os.listdir(d), ["r.json"])
            with self.assertRaises(qc.Error):
                qc.assess(r, s, "2017-Q9")
            self.assertEqual(sorted(x["office"] for x in a.rollups), ["DL", "LN"])
            self.assertEqual(sum(x["leaders"] for x in a.roles), a.totals["leaders"])
            s.set_threads(1)
            self.assertEqual(qc.assess(r, s, "2017").totals, a.totals)
            with self.assertRaises(qc.Error):
                s.set_threads(-1)
            d = qc.dossier(r, s, "P2", "2017", path=None)
            self.assertEqual(d["name"], "李华")
            self.assertEqual([c["verdict"] for c in d["cases"]], ["name_only"])
            self.assertIn("court_appearance", d["cases"][0]["acts"])
            with self.assertRaises(qc.NotFound):
                qc.dossier(r, s, "NOBODY", "2017", path=None)



def documented_key(seed, case_id):
    """The draw's key, written from docs/inspections.md alone."""
    m = (1 << 64) - 1
    h = 14695981039346656037
    for b in seed.encode() + b"\0" + case_id.encode():
        h = ((h ^ b) * 1099511628211) & m
    z = (h + 0x9E3779B97F4A7C15) & m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
    return z ^ (z >> 31)


class InspectionTest(unittest.TestCase):
    def store(self):
        s = qc.Store("memory:")
        rows = ["offices:", "  - {id: O, name: 某院, kind: procuratorate, level: basic}", "cases:"]
        for i in range(1, 41):
            rows.append("  - {id: K%02d, office: O, line: %s, type: theft, registered: 2017-06-01, closed: 2017-11-%02d}"
                        % (i, "prosecution" if i % 4 else "arrest_review", 1 + i % 28))
        s.import_text("\n".join(rows) + "\n", "yaml", "w.yaml")
        return s

    def test_the_draw_is_the_documented_algorithm(self):
        s = self.store()
        plan = qc.Plan(text="plan: p\nstrata: {by: [line], ratio: 0.15, minimum: 2}\n")
        for seed in ["20180105", "抽签 2018", "x"]:
            got = [(c["case"], c["stratum"]) for c in plan.draw(None, s, "O", "2017", seed).cases]
            # by hand: per stratum ceil(N x 0.15) (at least 2) of the lowest keys, listed by stratum then case
            want = []
            for line in ["arrest_review", "prosecution"]:
                ids = ["K%02d" % i for i in range(1, 41) if (line == "prosecution") == bool(i % 4)]
                n = max(2, -(-len(ids) * 150000 // 1000000))
                chosen = sorted(ids, key=lambda c: (documented_key(seed, c), c))[:n]
                want += [(c, "line=" + line) for c in sorted(chosen)]
            self.assertEqual(got, want)

    def test_record_check_and_assign(self):
        s = self.store()
        plan = qc.Plan(text="plan: p\nstrata: {ratio: 0.1}\n")
        d = plan.draw(None, s, "O", "2017", "seed")
        d.record(s, "I1", "案件管理部")
        self.assertEqual(qc.check_inspection(s, "I1", plan).list_hash, d.list_hash)
        self.assertEqual([c["case"] for c in qc.load_inspection(s, "I1").cases], [c["case"] for c in d.cases])
        with self.assertRaises(qc.InvalidInput) as e:
            qc.check_inspection(s, "I1", qc.Plan(text="plan: p\nstrata: {ratio: 0.2}\n"))
        self.assertIn("not the plan", str(e.exception))
        with self.assertRaises(qc.InvalidInput) as bad:
            qc.Plan(text="plan: p\nstrata: {ratio: 2}\ntriggers: [{overdue: false}]\n", name="bad.yaml")
        self.assertEqual(len(bad.exception.details), 2)
        self.assertTrue(all(d.startswith("bad.yaml:") for d in bad.exception.details))

    def test_suggest_and_assign(self):
        r = qc.Rules(os.path.join(RULES, "liaoning-2017.yaml"))
        with sample_store() as s:
            sg = qc.suggest(r, s, "C2", day="2017-06-01")
            people = [c["person"] for c in sg.candidates]
            self.assertTrue(people)
            who = qc.assign(s, sg, "random", by="系统", seed="2017-08-01")
            self.assertIn(who, people)
            rec = list(s.iterate("assignment"))[0]
            self.assertEqual((rec["method"], rec["seed"], rec["person"]), ("random", "2017-08-01", who))
            with self.assertRaises(qc.InvalidInput):
                qc.assign(s, sg, "designated", by="x", person=people[0])  # no reason
            a = qc.assess(r, s, "2017")
            self.assertTrue(all("assigned" in l for l in a.leaders))


if __name__ == "__main__":
    unittest.main()
