#!/bin/sh
# Quick start 1: build quotient and run it on the demo data set (period
# 2026-06, a quarter end), then show where the statements are.
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
echo "Statements: $out/statements/<rep_id>.txt (for people) and .json (exact), e.g.:"
echo "  less $out/statements/R101.txt"
