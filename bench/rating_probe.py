#!/usr/bin/env python3
"""rating_probe: the rating-change latency that ptyprobe does not measure.

Starts riskroom on a session in a pseudo-terminal (120x40, through ptyprobe's Probe),
waits for the first screen, then types ratings on the selected failure mode: the
column cursor starts on S, and 9 and 2 alternate so every key is a real change that
moves the row through the 100,000-row risk order (and back). Each key is timed from
the write to the last byte of the screen's answer. Autosaves (0.7 s after a change)
run meanwhile: a key that waited for one would show here.
usage: rating_probe.py MARKER KEYS -- argv...   (prints JSON)"""
import json, os, sys, time

sys.path.insert(0, os.environ.get("PTYPROBE_DIR", os.path.join(os.path.dirname(__file__), "../../shared/tools")))
from ptyprobe import Probe, stats  # noqa: E402


def main():
    marker, keys = sys.argv[1], int(sys.argv[2])
    argv = sys.argv[sys.argv.index("--") + 1:]
    p = Probe(argv)
    while time.perf_counter() - p.t0 < 30 and marker not in p.text():
        p.read_for(0.05)
    p.until_quiet(1.0, 10)
    presses = []
    for n in range(keys):
        presses.append(p.press(b"9" if n % 2 == 0 else b"2"))
        time.sleep(0.12)   # a facilitator's pace; lets autosaves start in between
        p.read_for(0)
    r = {"rating_last_byte_ms": stats([x["last_ms"] for x in presses]),
         "rating_bytes": stats([x["bytes"] for x in presses])}
    p.until_quiet(1.5, 10)                  # the last autosave lands
    r["saved_on_screen"] = "saved" in p.screen.display[0]
    r["rss_peak_mb"] = round(p.rss_mb(), 1)
    os.write(p.fd, b"q")
    for _ in range(100):
        p.read_for(0.05)
        if os.waitpid(p.pid, os.WNOHANG)[0]:
            break
    print(json.dumps(r))


if __name__ == "__main__":
    main()
