#!/bin/sh
# quickstart.sh - from a fresh Debian machine to a working store:
# install the build dependencies, build libquotacase and the quotacase
# command, import the sample offices, people, cases and acts into
# quickstart.db, and show what is there.  Safe to run again.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
echo "== installing build dependencies"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  build-essential autoconf automake libtool pkg-config libsqlite3-dev libyaml-dev check \
  sqlite3 luajit python3 >/dev/null
echo "== building"
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --enable-werror
make -j"$(nproc)" >/dev/null
echo "== importing the sample data into quickstart.db"
rm -f quickstart.db quickstart.db-wal quickstart.db-shm
d=tests/data/good
./tools/quotacase --db sqlite:quickstart.db import "$d/offices.csv" "$d/departments.csv" "$d/people.csv" \
  "$d/cases.csv" "$d/participations.csv" "$d/acts.csv" "$d/reviews.csv" "$d/extra.yaml" "$d/extra.json"
echo "== offices"
./tools/quotacase --db sqlite:quickstart.db list offices
echo "== case C1, with its facts, participants, acts and reviews"
./tools/quotacase --db sqlite:quickstart.db show case C1
echo
echo "Done.  Try: ./tools/quotacase --db sqlite:quickstart.db list acts --person P2"
echo "Run the tests with: make check"
