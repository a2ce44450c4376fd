#!/usr/bin/env bash
# bench/compare.sh: riskroom on a generated session of 100,000 failure modes and
# csvlens on the same failure modes exported to CSV, measured in the same run by
# the same probe (../shared/tools/ptyprobe.py: a 120x40 pseudo-terminal emulated
# with pyte), printed side by side with the budgets of issue 6.
#
#   bench/compare.sh [FAILURE_MODES] [ASSETS]      (default 100000 1000)
#
# Needs cargo and python3 with pyte (installed into bench/.tools/venv when
# missing). csvlens is installed with
# `cargo install --root bench/.tools` when it is not there yet (bench/.tools is
# ignored by git); CSVLENS=/path/to/csvlens uses another one. RUNS=N repeats
# each probe N times (default 3) and reports the median of each metric;
# RISKROOM=/path/to/riskroom measures another build of riskroom.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
fms=${1:-100000}
assets=${2:-1000}
runs=${RUNS:-3}
probe_dir=${PTYPROBE_DIR:-$root/../shared/tools}
probe=$probe_dir/ptyprobe.py
[ -f "$probe" ] || { echo "compare.sh: $probe not found (set PTYPROBE_DIR)" >&2; exit 2; }
# pyte emulates the screen. Without it, a virtual environment in bench/.tools
# gets it (the system's Python is left alone).
python=python3
if ! python3 -c 'import pyte' 2>/dev/null; then
  venv=$root/bench/.tools/venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet pyte >&2 ||
      { echo "compare.sh: needs pyte (pip install pyte, or python3-venv to let this script install it)" >&2; exit 2; }
  fi
  python=$venv/bin/python
fi

csvlens=${CSVLENS:-$root/bench/.tools/bin/csvlens}
if [ ! -x "$csvlens" ]; then
  echo "compare.sh: installing csvlens into bench/.tools (once; takes a few minutes)" >&2
  cargo install --quiet --locked --root "$root/bench/.tools" csvlens >&2
  csvlens=$root/bench/.tools/bin/csvlens
fi

cargo build --quiet --release --bin riskroom --example generate
# RISKROOM=/path/to/riskroom measures another build (an older one, for a before
# and after) on the same data.
riskroom=${RISKROOM:-$root/target/release/riskroom}
work=$(mktemp -d "${TMPDIR:-/tmp}/riskroom-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$root/target/release/examples/generate" "$work/register.ron" "$assets" "$fms" >/dev/null
"$riskroom" export "$work/register.ron" --out "$work" --no-bom >/dev/null
csv=$work/register-failure-modes.csv
# csvlens shows the file's first rows: the first and the 20th ID mark its first
# screen with data. riskroom's marks are its table title and its footer, which
# come in the same frame as the rows.
first_id=$(sed -n 2p "$csv" | cut -d, -f1)
last_id=$(sed -n 21p "$csv" | cut -d, -f1)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(uname -sr)" >&2
echo "data: $fms failure modes, $assets assets; $(du -m "$work/register.ron" | cut -f1) MB session, $(du -m "$csv" | cut -f1) MB CSV; $runs runs each" >&2

for run in $(seq "$runs"); do
  # Every run opens a fresh copy: riskroom saves and keeps a .bak beside it.
  cp "$work/register.ron" "$work/run.ron"; rm -f "$work/run.ron.bak"
  "$python" "$probe" riskroom "by RPN ($fms" "q quit" -- "$riskroom" "$work/run.ron" >"$work/riskroom-$run.json"
  "$python" "$probe" csvlens "$first_id" "$last_id" -- "$csvlens" "$csv" >"$work/csvlens-$run.json"
  cp "$work/register.ron" "$work/rate.ron"; rm -f "$work/rate.ron.bak"
  PTYPROBE_DIR=$probe_dir "$python" "$root/bench/rating_probe.py" "q quit" 60 -- "$riskroom" "$work/rate.ron" >"$work/rating-$run.json"
done

python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
load = lambda name: [json.load(open(f"{work}/{name}-{r}.json")) for r in range(1, runs + 1)]
rr, cl, rt = load("riskroom"), load("csvlens"), load("rating")
med = lambda xs: statistics.median(x for x in xs if x is not None) if any(x is not None for x in xs) else None
def metric(rs, f):
    return med([f(r) for r in rs])
rows = [
    ("first data screen (ms)", lambda r: r["startup_ms"]["first_data_screen"], "<= csvlens"),
    ("idle 5 s: bytes", lambda r: r["idle_5s"]["bytes"], "0"),
    ("idle 5 s: CPU (ms)", lambda r: r["idle_5s"]["cpu_ms"], "< 1"),
    ("Down inside the view (bytes)", lambda r: r["down_bytes_cursor_phase"], "<= 300"),
    ("Down that scrolls (bytes)", lambda r: r["down_bytes_scroll_phase"], "<= 1500"),
    ("Down key to last byte, median (ms)", lambda r: r["down_last_byte_ms"]["median"], ""),
    ("Down key to last byte, p95 (ms)", lambda r: r["down_last_byte_ms"]["p95"], "<= 2"),
    ("PageDown, median (bytes)", lambda r: r["pgdn_bytes"]["median"], ""),
    ("peak memory after the keys (MB)", lambda r: r["rss_peak_mb"], "<= 150"),
]
fmt = lambda v: "-" if v is None else (f"{v:.1f}" if isinstance(v, float) and v != int(v) else f"{int(v)}" if isinstance(v, (int, float)) else str(v))
print(f"| metric (120x40) | riskroom | csvlens | budget |")
print(f"|---|---:|---:|---|")
for name, f, budget in rows:
    print(f"| {name} | {fmt(metric(rr, f))} | {fmt(metric(cl, f))} | {budget} |")
print(f"| rating change incl. re-sort, median (ms) | {fmt(metric(rt, lambda r: r['rating_last_byte_ms']['median']))} | n/a (a viewer) | |")
print(f"| rating change incl. re-sort, p95 (ms) | {fmt(metric(rt, lambda r: r['rating_last_byte_ms']['p95']))} | n/a | <= 5 |")
print(f"| rating change, median (bytes) | {fmt(metric(rt, lambda r: r['rating_bytes']['median']))} | n/a | |")
print(f"| peak memory with 60 ratings and their autosaves (MB) | {fmt(metric(rt, lambda r: r['rss_peak_mb']))} | n/a | <= 150 |")
print(f"\nriskroom runs, first data screen (ms): {[r['startup_ms']['first_data_screen'] for r in rr]}")
print(f"csvlens runs, first data screen (ms): {[r['startup_ms']['first_data_screen'] for r in cl]}")
print(f"every rating run ended saved on screen: {all(r['saved_on_screen'] for r in rt)}")
PY
