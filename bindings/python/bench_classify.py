# SPDX-License-Identifier: MIT
"""bench_classify.py - Python classifying cases through the batch call and
through per-case calls, with the rate of the C loop in the same run.

    python3 bench_classify.py [CASES]    (default 200000)

A benchmark: figures and ratios, never a verdict."""
import os
import sys
import time

import quotacase as qc

TOP = os.environ.get("QC_TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
rules = qc.Rules(os.path.join(TOP, "examples", "rules", "liaoning-2017.yaml"))
cases = [{"id": "C%d" % i, "office": "O", "line": "prosecution", "type": "fraud" if i % 3 else "theft",
          "registered": "2017-06-01", "facts": {"max_sentence_years": i % 15, "defendants": 1 + i % 6,
                                                "amount": float(i % 9000000)}} for i in range(n)]
with qc.Classifier(rules, office_level="basic") as c:
    t0 = time.perf_counter()
    batch = c.prepare(cases)
    t_prepare = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = c.classify_batch(batch)
    t_batch = time.perf_counter() - t0
    # the C loop alone, without Python building the result list
    import ctypes
    primary = (ctypes.c_char_p * n)()
    t0 = time.perf_counter()
    qc.lib.qc_classify_batch(c.ptr, ctypes.cast(batch.array, ctypes.POINTER(ctypes.c_void_p)), n, primary, None, None)
    t_c = time.perf_counter() - t0
    # columns, as a program holding its cases in lists has them
    columns = {"case.registered": ["2017-06-01"] * n, "case.line": ["prosecution"] * n,
               "case.type": [k["type"] for k in cases],
               "max_sentence_years": [k["facts"]["max_sentence_years"] for k in cases],
               "defendants": [k["facts"]["defendants"] for k in cases],
               "amount": [k["facts"]["amount"] for k in cases]}
    t0 = time.perf_counter()
    many_primary, many_weight = c.classify_many(columns)
    t_many = time.perf_counter() - t0
    t0 = time.perf_counter()
    per_case = [c.classify(k) for k in cases]
    t_single = time.perf_counter() - t0
assert [p for p, _ in out] == [r.primary for r in per_case]
assert many_primary == [r.primary for r in per_case]
print("python: %d cases, liaoning-2017 rules (9 rules)" % n)
print("  C loop inside qc_classify_batch     %10.0f cases/s" % (n / t_c))
print("  classify_many, from Python lists    %10.0f cases/s  (%.2fx the C rate; target >= 1 M/s)" % (n / t_many, t_c / t_many))
print("  batch call, results as Python list  %10.0f cases/s  (%.2fx the C rate)" % (n / t_batch, t_c / t_batch))
print("  per-case calls (dict -> record)     %10.0f cases/s  (%.3fx the C rate)" % (n / t_single, t_c / t_single))
print("  building the C records once         %10.0f cases/s" % (n / t_prepare))
