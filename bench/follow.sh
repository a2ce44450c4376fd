#!/usr/bin/env bash
# bench/follow.sh: the room following the facilitator (issue 13). For each size of
# session and each number of followers, bench/follow_probe.py runs the facilitator
# (120x40) and the followers (80x24) in pseudo-terminals, types ratings at a
# facilitator's pace and times the facilitator's answer and every follower's screen;
# then idle and memory. Prints a Markdown table with the budgets of issue 13.
#
#   bench/follow.sh [FAILURE_MODES...]      (default 1000 100000)
#
# RUNS=N runs of every configuration (default 3; the table gives the medians, runs
# interleaved so a busy minute hits every configuration alike), KEYS=N keys a run
# (default 40), FOLLOWERS="0 1 20" the numbers of followers, PACE=s the least time
# between keys (default 0.15). RISKROOM=/path/to/riskroom measures another build
# (default: target/release/riskroom, built here); GENERATE=/path/to/generate uses
# that build of examples/generate.rs. KEEP=DIR keeps every run's JSON there.
# FOLLOWER_NICE=N and FOLLOWERS_STOPPED=1 are passed on to the probe (variants that
# show where the facilitator's time goes; see bench/follow_probe.py).
# Needs python3 with pyte (installed into bench/.tools/venv when missing) and
# ../shared/tools/ptyprobe.py (PTYPROBE_DIR to use another place).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sizes=${*:-1000 100000}
runs=${RUNS:-3}
keys=${KEYS:-40}
followers=${FOLLOWERS:-0 1 20}
probe_dir=${PTYPROBE_DIR:-$root/../shared/tools}
[ -f "$probe_dir/ptyprobe.py" ] || { echo "follow.sh: $probe_dir/ptyprobe.py not found (set PTYPROBE_DIR)" >&2; exit 2; }
python=python3
if ! python3 -c 'import pyte' 2>/dev/null; then
  venv=$root/bench/.tools/venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet pyte >&2 ||
      { echo "follow.sh: needs pyte (pip install pyte, or python3-venv to let this script install it)" >&2; exit 2; }
  fi
  python=$venv/bin/python
fi

if [ -z "${RISKROOM:-}" ] || [ -z "${GENERATE:-}" ]; then
  cargo build --quiet --release --bin riskroom --example generate
fi
riskroom=${RISKROOM:-$root/target/release/riskroom}
generate=${GENERATE:-$root/target/release/examples/generate}
work=$(mktemp -d "${TMPDIR:-/tmp}/riskroom-follow.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The followers and the facilitator are the same user here; a home of their own
# keeps the runs out of the user's config and list of sessions.
export HOME=$work/home PTYPROBE_DIR=$probe_dir
mkdir -p "$HOME"
for fms in $sizes; do
  assets=$(( fms / 100 < 100 ? 100 : fms / 100 ))
  "$generate" "$work/s$fms.ron" "$assets" "$fms" >/dev/null
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB; $(uname -sr)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  for fms in $sizes; do
    for n in $followers; do
      # Every run opens a fresh copy in a folder of its own (the room's socket and
      # the lock go beside the session).
      dir=$work/run-$fms-$n-$run
      mkdir "$dir"
      cp "$work/s$fms.ron" "$dir/session.ron"
      echo "run $run: $fms failure modes, $n followers (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      "$python" "$root/bench/follow_probe.py" "$n" "$keys" -- "$riskroom" "$dir/session.ron" \
        >"$work/$fms-$n-$run.json"
      rm -rf "$dir"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/*.json "$KEEP"/; fi

python3 - "$work" "$runs" "$sizes" "$followers" <<'PY'
import json, os, statistics, sys
work, runs, sizes, counts = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
load = lambda fms, n: [json.load(open(f"{work}/{fms}-{n}-{r}.json")) for r in range(1, runs + 1)]
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
fmt = lambda v: "-" if v is None else f"{v:.1f}" if v < 100 else f"{v:.0f}"
variant = [f"{k}={v}" for k, v in (("FOLLOWER_NICE", os.environ.get("FOLLOWER_NICE")),
                                    ("FOLLOWERS_STOPPED", os.environ.get("FOLLOWERS_STOPPED"))) if v]
print(f"\n{runs} runs of {json.load(open(f'{work}/{sizes[0]}-{counts[0]}-1.json'))['keys']} keys; medians of the runs (ms)"
      + (f"; followers with {' '.join(variant)}" if variant else "") + "\n")
print("| failure modes | followers | facilitator key p50 / p95 / max | vs none (p95) | inside the facilitator p50 / p95 / max | vs none (p95) | follower screen p50 / p95 / max | not shown | follower joins, first / median / max |")
print("|---:|---:|---|---:|---|---:|---|---:|---|")
base, base_in = {}, {}
for fms in sizes:
    for n in counts:
        rs = load(fms, n)
        fk = [med([r["facilitator_key_ms"][q] for r in rs]) for q in ("p50", "p95", "max")]
        fi = [med([r["facilitator_inside_ms"][q] for r in rs]) for q in ("p50", "p95", "max")]
        if n == "0":
            base[fms], base_in[fms] = fk[1], fi[1]
        ratio = f"{fk[1] / base[fms]:.2f}x" if fms in base and n != "0" else ""
        ratio_in = f"{fi[1] / base_in[fms]:.2f}x" if fms in base_in and n != "0" else ""
        if n == "0":
            fol, missing, joins = "", "", ""
        else:
            fs = [med([r["follower_screen_ms"][q] for r in rs]) for q in ("p50", "p95", "max")]
            fol = " / ".join(fmt(v) for v in fs)
            missing = str(sum(r["follower_screen_ms"]["missing"] for r in rs))
            js = [r["join_ms"] for r in rs]
            joins = " / ".join(fmt(med(v)) for v in ([j[0] for j in js], [statistics.median(j) for j in js], [max(j) for j in js]))
        print(f"| {int(fms):,} | {n} | {' / '.join(fmt(v) for v in fk)} | {ratio} | {' / '.join(fmt(v) for v in fi)} | {ratio_in} | {fol} | {missing} | {joins} |")
print("\n| failure modes | followers | CPU ms a key: facilitator / followers together | idle 5 s: follower bytes (max) | follower CPU ms (max) | facilitator bytes / CPU ms | peak memory MB: facilitator / a follower (max) / all followers |")
print("|---:|---:|---|---:|---:|---|---|")
for fms in sizes:
    for n in counts:
        rs = load(fms, n)
        idle = [r["idle_5s"] for r in rs]
        fb = max((max(i["follower_bytes"], default=0) for i in idle), default=0)
        fc = max((max(i["follower_cpu_ms"], default=0) for i in idle), default=0)
        fac = f"{max(i['facilitator_bytes'] for i in idle)} / {max(i['facilitator_cpu_ms'] for i in idle):.1f}"
        mem = [r["rss_peak_mb"] for r in rs]
        m = (med([x["facilitator"] for x in mem]), med([max(x["followers"], default=None) for x in mem]),
             med([sum(x["followers"]) for x in mem]) if n != "0" else None)
        cpu = " / ".join(fmt(med([r["cpu_ms_per_key"][k] for r in rs])) for k in ("facilitator", "followers_together"))
        print(f"| {int(fms):,} | {n} | {cpu} | {fb if n != '0' else ''} | {fc if n != '0' else ''} | {fac} | {' / '.join(fmt(v) for v in m)} |")
print("\nper run, facilitator key p95 / follower screen p95 (ms), and the facilitator's own p95 inside:")
for fms in sizes:
    for n in counts:
        rs = load(fms, n)
        print(f"  {fms} x {n}: " + ", ".join(f"{r['facilitator_key_ms']['p95']} / {r['follower_screen_ms']['p95']}" for r in rs)
              + "; inside p95 " + ", ".join(f"{r['facilitator_inside_ms']['p95']}" for r in rs)
              + f" ({rs[0]['facilitator_inside_keys']} keys traced)"
              + f"; key interval p50 {med([r['key_interval_ms']['p50'] for r in rs])} ms"
              + f"; every follower ended on the last value: {all(r['followers_show_last_value'] for r in rs)}")
PY
