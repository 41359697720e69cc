# SPDX-License-Identifier: MIT
"""report_job.py - the end-to-end job, in Python (see report_job.c):
open a store, import the sample data, load the rules, classify every case,
assess the year, print the report.

    python3 report_job.py DATA-DIR RULES-FILE
"""
import os
import sys

import quotacase as qc

FILES = ["offices.csv", "departments.csv", "people.csv", "cases.csv",
         "participations.csv", "acts.csv", "reviews.csv", "extra.yaml"]


def main(data_dir: str, rules_file: str) -> int:
    try:
        with qc.Store("memory:") as store:
            with store.transaction():  # all files, or none
                for name in FILES:
                    store.import_file(os.path.join(data_dir, name))
            rules = qc.Rules(rules_file)
            with qc.Classifier(rules) as classifier:
                print("classified: %d" % classifier.classify_store(store))
            qc.assess(rules, store, "2017").report("-", "text", "en", ranking=False)
    except qc.Error as e:
        print("error: %s (%s)" % (e.message, e.name), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
