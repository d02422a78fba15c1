#!/bin/sh
# Quick start 1: build quotient and run it on the demo data set (period
# 2026-06, a quarter end), print a rep's statement and write the HTML
# site.
set -eu
cd "$(dirname "$0")/.."
sh .ci/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j2 >/dev/null
out=runs/demo-2026-06
mkdir -p runs
./build/quotient run --data fixtures/demo/data --plans fixtures/demo/plans \
  --period 2026-06 --out "$out" --replace
./build/quotient verify "$out"
echo
echo "Payout (first rows of $out/payout.csv):"
head -n 6 "$out/payout.csv"
echo
echo "A rep's statement (quotient statement --run $out --rep R101), its first lines:"
./build/quotient statement --run "$out" --rep R101 | head -n 16
site=site/demo-2026-06
rm -rf "$site"
./build/quotient report --run "$out" --out "$site"
echo
echo "Statements: $out/statements/<rep_id>.txt (for people) and .json (exact);"
echo "the HTML site: $site/index.html (finance), $site/reps/R101.html (a rep)."
