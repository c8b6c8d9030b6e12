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
# check ALIAS "ARGS" PATTERN... : every PATTERN (an extended regex) must match some line of the output;
# a PATTERN written N=REGEX must match exactly N lines.
check() {
  local alias="$1" args="$2"; shift 2
  checked+=("$alias")
  printf '  %-18s' "$alias" >&2
  local log="$out/$alias.log" started=$SECONDS
  # shellcheck disable=SC2086
  if ! ./jbang "$alias" $args >"$log" 2>&1; then
    echo "FAILED (exit status); it printed:" >&2; tail -30 "$log" >&2; exit 1
  fi
  local pattern found
  for pattern in "$@"; do
    if [[ "$pattern" =~ ^([0-9]+)=(.*)$ ]]; then
      found="$(grep -Ec -- "${BASH_REMATCH[2]}" "$log" || true)"
      if [[ "$found" != "${BASH_REMATCH[1]}" ]]; then
        echo "FAILED: $found lines match /${BASH_REMATCH[2]}/, not ${BASH_REMATCH[1]}; it printed:" >&2
        tail -30 "$log" >&2; exit 1
      fi
    elif ! grep -Eq -- "$pattern" "$log"; then
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
check primes-processes "--workers 4" '^1116281 is prime: true$' '^1099726899285419 is prime: false$' \
  'PrimesProcesses  [0-9.]+s user [0-9.]+s system [0-9]+% cpu [0-9.]+ total' 'Starting the 4 worker JVMs took'
# The start-method lines of create-process and fork; CPython's where Debian's python3 is.
start_methods=('^- java spawn: start\(\) to running [0-9.]+ ms, to joined [0-9.]+ ms' '^- java forkserver: start\(\) to running [0-9.]+ ms')
if [[ -x /usr/bin/python3 ]]; then
  start_methods+=('^- CPython fork: start\(\) to running [0-9.]+ ms' '^- CPython forkserver: start\(\) to running [0-9.]+ ms')
fi
check create-process "" '3=^Loop count: 20$' 'Name: MainProcess' 'Name: Process-1' 'Name: Process-2' \
  '^20: Ping$' '^20: Pong$' '^20: Good$' 'now has \[30, 40\]' "${start_methods[@]}"
check fork "" '^PID: [0-9]+ \(MainProcess\)$' '^Child - PID: [0-9]+, parent PID: [0-9]+' 'staticCounter = 0' \
  'my list is \[parent.s, data\]' 'start\(\) took [0-9]+ ms' "${start_methods[@]}"
check counter-broken "" '50=^Ping$' '50=^Pong$' "^Ping's process counted to 50" "^Pong's process counted to 50" \
  "The parent's counter is still 0"
check ping-pong "" '50=^(Ping|Pong)$' '^Ping and Pong printed 50 times in total$' '2=exited with code 0' \
  'its waiting thread used [0-9.]+ s of CPU'
check ipc-bench "--round-trips 2000 --messages 100000" '^ +java SharedQueue +\| +round trip +\| +long +\| +spin' \
  '^ +java SharedQueue +\| +round trip +\| +long +\| +backoff' '^ +java SharedQueue +\| +one-way +\|' \
  '^ +java Pipe +\| +round trip +\|' '^ +python( Queue +\| +round trip| +\|.*skipped: )' 'load average: '
check shared-state "--repeats 2" '^ +JVM threads +\| +plain-long +\|' \
  '^ +JVM threads +\| +volatile-long +\|' '^ +JVM threads +\| +atomic-long +\| .* +\| +yes +\| +[0-9]+ +\| +([0-9]+) +\| +\1 +\| +0 +\|' \
  '^ +JVM threads +\| +long-adder +\|' '(^ +CPython threads +\| +int-plus-equals +\||^CPython.s rows skipped: )' \
  'the plain long lost up to [0-9,]+ updates' '^The rule it teaches'
check cluster-primes "--members 2 --repeats 1 --warmups 0" '65=^[0-9]+ is prime: (true|false)$' \
  '^1116281 is prime: true$' '^1099726899285419 is prime: false$' '^cluster workbook-[0-9a-f-]+: 2 members at ' \
  '^ +threads +\|' '^ +processes +\|' '^ +cluster +\|'
# Every member it started is gone once it has exited.
cluster_name="$(sed -n 's/^cluster \(workbook-[0-9a-f-]*\): .*/\1/p' "$out/cluster-primes.log")"
if pgrep -f -- "-Ddev.workbook.process.name=$cluster_name-member-" >/dev/null; then
  echo "  cluster-primes left members of $cluster_name running:" >&2; pgrep -af -- "$cluster_name-member-" >&2; exit 1
fi
check report "--quick --out $out/report/report.html" '^\[1/3\] ' '^\[2/3\] ' '^\[3/3\] ' \
  "^Report written to $out/report/report.html"
report="$out/report/report.html"
for part in '<table' '<img alt="[^"]+" width="[0-9]+" height="[0-9]+" src="data:image/png;base64,' '<dt>cores</dt>' \
    '<h2>2\. Speedup against workers' '</html>'; do
  grep -Eq -- "$part" "$report" || { echo "  the report $report has no /$part/" >&2; exit 1; }
done
[[ "$(grep -Eo '<img ' "$report" | wc -l)" -ge 4 ]] || { echo "  the report has fewer than 4 charts" >&2; exit 1; }
/usr/bin/python3 tools/test/check_reports_offline.py "$report" >/dev/null \
  || { echo "  the report $report loads something from outside itself:" >&2; /usr/bin/python3 tools/test/check_reports_offline.py "$report" >&2; exit 1; }

# Every alias in the catalog must have been checked above.
mapfile -t aliases < <(sed -n 's/^    "\([a-z0-9-]*\)": {$/\1/p' jbang-catalog.json)
for alias in "${aliases[@]}"; do
  [[ " ${checked[*]} " == *" $alias "* ]] || { echo "alias '$alias' has no check in $0" >&2; exit 1; }
done
echo "  all ${#aliases[@]} aliases passed" >&2
