#!/usr/bin/env bash
# ./workbook compare on two small result directories, as two machines' runs would leave them: the page it
# writes names both machines and the lesson's and loads nothing from outside itself (checked in headless
# Chromium), and a bad call fails with a message and writes nothing.
# Needs lib built (mvn package). Run from anywhere: tools/test/check_compare.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

header="strategy,workers,runs,wall_s,cpu_s,cpu_pct,speedup,note,cpu_model,cores,memory_gib,os,jvm,date"
mkdir -p "$work/alice" "$work/bob"
cat >"$work/alice/summary.csv" <<CSV
$header
sequential,1,3,1.6,1.6,100,1.0,,Test CPU A,2,4.0,Linux 6.1 amd64,OpenJDK 64-Bit Server VM 17.0.15+6,2026-12-02T06:00:00Z
threads,2,3,0.8,1.6,200,2.0,,Test CPU A,2,4.0,Linux 6.1 amd64,OpenJDK 64-Bit Server VM 17.0.15+6,2026-12-02T06:00:00Z
processes,2,3,1.1,2.0,182,1.45,,Test CPU A,2,4.0,Linux 6.1 amd64,OpenJDK 64-Bit Server VM 17.0.15+6,2026-12-02T06:00:00Z
CSV
cat >"$work/bob/summary.csv" <<CSV
$header
sequential,1,3,1.2,1.2,100,1.0,,Test CPU B,8,16.0,Linux 6.8 aarch64,OpenJDK 64-Bit Server VM 21.0.5+11,2026-12-02T06:00:00Z
threads,8,3,0.16,1.25,780,7.5,,Test CPU B,8,16.0,Linux 6.8 aarch64,OpenJDK 64-Bit Server VM 21.0.5+11,2026-12-02T06:00:00Z
processes,8,3,0.3,1.9,633,4.0,,Test CPU B,8,16.0,Linux 6.8 aarch64,OpenJDK 64-Bit Server VM 21.0.5+11,2026-12-02T06:00:00Z
CSV

cd "$work" # relative directories are taken from where the command is run
"$root/workbook" compare --out page/compare.html alice bob >"$work/out.txt"
for wanted in "alice: 2 cores, Linux, JVM 17.0.15+6" "bob: 8 cores, Linux, JVM 21.0.5+11" "the lesson: 4 cores, macOS, CPython"; do
  grep -qF "$wanted" page/compare.html || { echo "check_compare: the page does not name '$wanted'" >&2; exit 1; }
done
if grep -qE '(src|href)="[^d#][^"]*"' page/compare.html; then
  echo "check_compare: the page refers to something outside itself" >&2; exit 1
fi
# and in headless Chromium with the network off, as the notebooks' reports are checked
/usr/bin/python3 "$root/tools/test/check_reports_offline.py" page/compare.html >"$work/offline.txt" 2>&1 \
  || { cat "$work/offline.txt" >&2; echo "check_compare: the page is not self-contained" >&2; exit 1; }
if "$root/workbook" compare --out none.html missing-dir 2>"$work/err.txt"; then
  echo "check_compare: a missing directory did not fail" >&2; exit 1
fi
grep -q "missing-dir" "$work/err.txt" || { echo "check_compare: the error does not name the directory" >&2; exit 1; }
[[ ! -e none.html ]] || { echo "check_compare: a failed compare left a page behind" >&2; exit 1; }
echo "  compare: a page of alice, bob and the lesson ($(wc -c <page/compare.html) bytes)"
