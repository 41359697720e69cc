#!/bin/sh
# SPDX-License-Identifier: MIT
# quickstart.sh - from a fresh Debian machine to the province report:
# install the build dependencies, build libquotacase and the quotacase
# command, generate the synthetic province of the seed article into an
# embedded SQLite store (province.db), assess May-December 2017 with the
# Liaoning rules, and write the notification report (province-report.html
# and the summary on the terminal).  Safe to run again.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
echo "== installing build dependencies"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  build-essential autoconf automake libtool pkg-config libsqlite3-dev libyaml-dev libssl-dev check \
  sqlite3 luajit python3 libpq-dev postgresql >/dev/null
echo "== building"
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --enable-werror
make -j"$(nproc)" >/dev/null
echo "== generating the province (137 procuratorates, the cases of May to December 2017) into province.db"
rm -f province.db province.db-wal province.db-shm
./examples/province_demo sqlite:province.db
rules=examples/rules/liaoning-2017.yaml
period=2017-05-01..2017-12-31
echo "== the notification report"
./tools/quotacase --db sqlite:province.db report --rules "$rules" --period "$period" --lang zh | sed -n '1,5p'
./tools/quotacase --db sqlite:province.db report --rules "$rules" --period "$period" --lang en | sed -n '3p;5p'
./tools/quotacase --db sqlite:province.db report --rules "$rules" --period "$period" --format html -o province-report.html
echo "== the store checked against its hash-chained journal (the head the report printed)"
./tools/quotacase --db sqlite:province.db verify
echo "== node control on the period's last day: overdue cases (the first five) and the case-to-proceeding ratio"
./tools/quotacase --db sqlite:province.db deadlines --rules "$rules" --on 2017-12-31 --level red | sed -n '1,6p'
./tools/quotacase --db sqlite:province.db assess --rules "$rules" --period "$period" 2>/dev/null | grep -E "^office  *cases|^\(all\)"
echo "== leaders who fall short, and why"
./tools/quotacase --db sqlite:province.db assess --rules "$rules" --period "$period" | grep -E "^office |short"
echo
echo "Open province-report.html in a browser.  Run the tests with: make check"
