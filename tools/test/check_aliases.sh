#!/usr/bin/env bash
# Runs every alias of jbang-catalog.json through ./jbang (JBang from Maven Central) with quick settings
# and checks what it prints. Fails on the first alias that exits non-zero or misses an expected line.
# An alias added to the catalog without a check here fails too, so none goes untested.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

checked=()
# check ALIAS "ARGS" PATTERN... : every PATTERN (an extended regex) must match some line of the output.
check() {
  local alias="$1" args="$2"; shift 2
  checked+=("$alias")
  printf '  %-18s' "$alias" >&2
  local log="$out/$alias.log" started=$SECONDS
  # shellcheck disable=SC2086
  if ! ./jbang "$alias" $args >"$log" 2>&1; then
    echo "FAILED (exit status); it printed:" >&2; tail -30 "$log" >&2; exit 1
  fi
  local pattern
  for pattern in "$@"; do
    if ! grep -Eq -- "$pattern" "$log"; then
      echo "FAILED: no line matches /$pattern/; it printed:" >&2; tail -30 "$log" >&2; exit 1
    fi
  done
  echo "ok ($((SECONDS - started)) s)" >&2
}

check primes "--repeats 1 --warmups 0 --out $out/primes" \
  '^1116281 is prime: true$' '^1099726899285419 is prime: false$' \
  '^ +sequential +\|' '^ +threads +\|' '^ +threads-gil +\|' '^ +parallel-streams +\|' \
  "written to $out/primes"
[[ -s "$out/primes/summary.csv" && -s "$out/primes/speedup.png" ]] || { echo "primes wrote no CSV or chart" >&2; exit 1; }
check cpu-count "" '^[0-9]+$' 'availableProcessors'
check primes-threads "" '^1099726899285419 is prime: false$' 'PrimesThreads  [0-9.]+s user [0-9.]+s system [0-9]+% cpu [0-9.]+ total'

# Every alias in the catalog must have been checked above.
mapfile -t aliases < <(sed -n 's/^    "\([a-z0-9-]*\)": {$/\1/p' jbang-catalog.json)
for alias in "${aliases[@]}"; do
  [[ " ${checked[*]} " == *" $alias "* ]] || { echo "alias '$alias' has no check in $0" >&2; exit 1; }
done
echo "  all ${#aliases[@]} aliases passed" >&2
