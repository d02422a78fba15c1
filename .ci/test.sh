#!/bin/sh
# Quick start 2: build and run every test, then the whole suite once more
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh .ci/deps.sh
for variant in plain sanitize; do
  dir=build-test-$variant
  flag=OFF
  [ "$variant" = sanitize ] && flag=ON
  echo "== quotient tests ($variant)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DQT_SANITIZE=$flag >/dev/null
  cmake --build "$dir" -j2
  (cd "$dir" && ctest --output-on-failure -j2)
done
