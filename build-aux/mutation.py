#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mutation.py - mutation testing of libquotacase with standard tools only.

For each chosen source file: find the points where one small change would
alter behaviour (a relational operator swapped, && for ||, an off-by-one
constant, a condition negated, an error return disabled, a computed value
replaced), draw N of them deterministically from a seed, and for each:
apply the change, rebuild, run the test command with a timeout, restore
the file.  A mutant is killed when the build of the tests or the tests
fail (or time out); it survives when they pass; it is void when the
library itself no longer compiles (not counted).  Mutants listed in the
equivalents file (with a one-line reason each) are reported apart, so the
survivor list shows only real gaps.  The score is killed / (killed +
survived).  It prints, per file, the counts and each survivor as
file:line: before -> after.  It never fails on a score: exit 0 unless it
could not run at all, and it always restores the files.

    build-aux/mutation.py [--seed S] [--mutants N] [--timeout SEC]
                          [--test "make check"] FILE...
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

# (name, pattern, replacement) applied at one match; patterns look at code
# with comments and string literals blanked out, so they never mutate text.
OPERATORS = [
    ("<= to <", r"<=", "<"),
    ("< to <=", r"(?<![<-])<(?![<=])", "<="),
    (">= to >", r">=", ">"),
    ("> to >=", r"(?<![>-])>(?![>=])", ">="),
    ("== to !=", r"==", "!="),
    ("!= to ==", r"!=", "=="),
    ("&& to ||", r"&&", "||"),
    ("|| to &&", r"\|\|", "&&"),
    ("+ 1 to - 1", r"\+ 1\b", "- 1"),
    ("- 1 to + 1", r"- 1\b", "+ 1"),
    ("0 to 1", r"(?<![\w.])0(?![\w.x])", "1"),
    ("1 to 0", r"(?<![\w.])1(?![\w.])", "0"),
    ("true to false", r"\btrue\b", "false"),
    ("false to true", r"\bfalse\b", "true"),
    ("return rc to return QC_OK", r"\breturn rc;", "return QC_OK;"),
    ("error return disabled", r"\breturn qc__error\(", "return QC_OK; (void)qc__error("),
]


def blank_comments_and_strings(text):
    """The text with comments, string and character literals replaced by
    spaces (newlines kept), so positions still line up."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def mutation_points(path):
    """Every (offset, length, replacement, name) that could be mutated."""
    text = open(path, encoding="utf-8").read()
    code = blank_comments_and_strings(text)
    points = []
    for line_start in [0] + [m.end() for m in re.finditer("\n", code)]:
        line_end = code.find("\n", line_start)
        line_end = len(code) if line_end < 0 else line_end
        line = code[line_start:line_end]
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("QC_EXTERN") and stripped.endswith(";"):
            continue  # preprocessor lines and prototypes
        for name, pattern, replacement in OPERATORS:
            for m in re.finditer(pattern, line):
                points.append((line_start + m.start(), m.end() - m.start(), replacement, name))
        # negate the condition of an if (the whole parenthesised expression)
        for m in re.finditer(r"\bif \(", line):
            depth, j = 1, m.end()
            while j < len(line) and depth:
                depth += {"(": 1, ")": -1}.get(line[j], 0)
                j += 1
            if depth == 0:
                cond = text[line_start + m.end():line_start + j - 1]
                points.append((line_start + m.end(), j - 1 - m.end(), "!(" + cond + ")", "negate if"))
    return text, sorted(set(points))


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def load_equivalents(path):
    """Lines 'FILE:LINE[:COLUMN]: BEFORE -> AFTER # reason'."""
    known = set()
    if path and os.path.exists(path):
        for raw in open(path, encoding="utf-8"):
            raw = raw.split("#", 1)[0].strip()
            if raw:
                known.add(raw)
    return known


def run(cmd, timeout):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return -1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mutants", type=int, default=40, help="per file")
    ap.add_argument("--timeout", type=int, default=300, help="seconds for one run of the tests")
    ap.add_argument("--build", default="make -j2 lib/libquotacase.la")
    ap.add_argument("--test", default="make -j2 check")
    ap.add_argument("--equivalents", default=os.path.join(os.path.dirname(__file__), "mutation-equivalents.txt"))
    args = ap.parse_args()
    equivalents = load_equivalents(args.equivalents)
    if run(args.build, args.timeout) != 0 or run(args.test, args.timeout) != 0:
        print("mutation: the unmutated tree does not build or pass its tests; nothing to measure")
        return 1
    totals = [0, 0, 0]
    for path in args.files:
        text, points = mutation_points(path)
        rng = random.Random("%d:%s" % (args.seed, path))
        chosen = sorted(rng.sample(points, min(args.mutants, len(points))))
        killed, survivors, void, equivalent = 0, [], 0, []
        started = time.time()
        try:
            for offset, length, replacement, name in chosen:
                before = text[offset:offset + length]
                line = line_of(text, offset)
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                change = "%s -> %s" % (before.strip(), replacement.strip())
                # the column tells apart two mutants of one line ("1 -> 0" twice);
                # an entry without it covers every such mutant of its line
                label = "%s:%d:%d: %s" % (path, line, column, change)
                loose = "%s:%d: %s" % (path, line, change)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text[:offset] + replacement + text[offset + length:])
                if run(args.build, args.timeout) != 0:
                    void += 1
                    continue
                if label in equivalents or loose in equivalents:
                    equivalent.append(label)
                    continue
                if run(args.test, args.timeout) != 0:
                    killed += 1
                else:
                    survivors.append("%s (%s)" % (label, name))
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        counted = killed + len(survivors)
        score = 100.0 * killed / counted if counted else 100.0
        print("%s: %d mutants (seed %d), %d killed, %d survived, %d equivalent, %d did not compile: %.0f%% (%.0f s)"
              % (path, len(chosen), args.seed, killed, len(survivors), len(equivalent), void, score,
                 time.time() - started))
        for s in survivors:
            print("  survived: " + s)
        sys.stdout.flush()
        totals[0] += killed
        totals[1] += len(survivors)
        totals[2] += len(equivalent)
    run(args.build, args.timeout)  # the library as it was
    counted = totals[0] + totals[1]
    print("mutation score: %d of %d killed (%.0f%%), %d equivalent set aside"
          % (totals[0], counted, 100.0 * totals[0] / counted if counted else 100.0, totals[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
