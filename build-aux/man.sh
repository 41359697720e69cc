#!/bin/sh
# SPDX-License-Identifier: MIT
# man.sh SRCDIR OUTDIR - write the man pages made from the docs and the
# headers (build-aux/mkman.py) into OUTDIR: what `make man` runs, and what
# tests/man.test compares the committed pages with.
set -e
src=$1 out=$2
mk="${PYTHON3:-python3} $src/build-aux/mkman.py"
mkdir -p "$out"
$mk doc "$src/docs/rules.md" quotacase-rules 5 "the rule file format: facts, labels, rules, assessment, deadlines" > "$out/quotacase-rules.5"
$mk doc "$src/docs/import.md" quotacase-import 5 "the import file formats: CSV, YAML and JSON" > "$out/quotacase-import.5"
$mk doc "$src/docs/api.md" libquotacase 3 "leaders' personal case handling, quotas and reports: the C API" > "$out/libquotacase.3"
$mk doc "$src/docs/backend.md" libquotacase-backend 3 "storage backends: the interface, SQLite, PostgreSQL, the conformance suite" > "$out/libquotacase-backend.3"
$mk api "$src/include/quotacase.h" records "versions, errors, dates, the schema and records" "Versions and errors" "Dates" "Schema" "Records" > "$out/libquotacase-records.3"
$mk api "$src/include/quotacase.h" store "stores, transactions, imports, history, the journal, filters and iteration" "Stores" "Filters" > "$out/libquotacase-store.3"
$mk api "$src/include/quotacase.h" rules "rule sets, classification and the rule test runner" "Rules" "Classification" "The rule test runner" > "$out/libquotacase-rules.3"
$mk api "$src/include/quotacase.h" assess "assessment, reports, deadlines, notices, credit and the case-to-proceeding ratio" "Assessment" "Deadlines" "Process" "Workload" "The case-to-proceeding" > "$out/libquotacase-assess.3"
$mk api "$src/include/quotacase.h" inspect "inspections drawn from sampling plans, and case assignment" "Inspections" "Case assignment" > "$out/libquotacase-inspect.3"
$mk doc "$src/docs/inspections.md" quotacase-plan 5 "sampling plans, inspections drawn again, and case assignment" > "$out/quotacase-plan.5"
