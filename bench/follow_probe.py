#!/usr/bin/env python3
"""follow_probe: how fast the room follows the facilitator (issue 13; SPEC 9.1).

Starts the facilitator (`riskroom SESSION`, 120x40) and N followers (`riskroom follow
SESSION`, 80x24, each in its own pseudo-terminal), all through ptyprobe's Probe (pyte
screens). The facilitator selects the second failure mode by RPN (Down), so a follower
has joined when its screen shows "live" and the same failure mode selected: the
selection comes after the snapshot in the room's stream, so the snapshot is in. The
followers join one after the other (as people do), each timed from its start.

Then the facilitator types ratings on the selected failure mode, as rating_probe.py
does: the column cursor is on S, "9" and "2" alternate (every key is a change that
moves the row through the risk order and back), at a facilitator's pace (a key at
most every PACE seconds). For each key:
  facilitator: write of the key -> last byte of its answer (bytes then 80 ms quiet),
      as ptyprobe's press();
  follower (each): write of the key -> the read after which its pyte screen shows
      the new severity in the selected row ("screen"), and -> the last byte of its
      answer burst ("last byte").
Every pty is read by one select() loop that only reads and timestamps while a key
is under way; the screens are fed to pyte after everybody has gone quiet, so feeding
21 emulated screens delays no reading. Then 5 s idle (after the last autosave): the
bytes and CPU time of every follower and of the facilitator. Peak memory (VmHWM) of
each process at the end.

The facilitator also runs with RISKROOM_KEY_TRACE: its own time per key, from its input
thread reading the key to the answering frame written ("inside"), which leaves out the
terminal's delivery both ways and this probe's own wake-ups; on a busy two-core
machine those are most of what the outside time sees.
usage: follow_probe.py FOLLOWERS KEYS -- argv...   (argv: riskroom SESSION; prints JSON)
env: PACE (seconds between keys, default 0.15). Two variants that say where the
facilitator's time goes: FOLLOWER_NICE=N starts the followers under `nice -n N`;
FOLLOWERS_STOPPED=1 stops them (SIGSTOP) after they joined and continues them after
the keys, so they stay connected and are sent every change but draw nothing
meanwhile (their screens are then not timed)."""
import json, os, re, select, signal, sys, time

sys.path.insert(0, os.environ.get("PTYPROBE_DIR", os.path.join(os.path.dirname(__file__), "../../shared/tools")))
import ptyprobe  # noqa: E402
from ptyprobe import Probe  # noqa: E402

QUIET = ptyprobe.QUIET_KEY          # 80 ms: the end of an answer, as ptyprobe's press()
# The selected row: "▶ FM-617 ... 9  10   9   810  H ..." (S O D RPN AP, the last such
# group on the line; the title may hold digits too).
SELECTED = re.compile(r"▶ (FM-\d+)\b.*\s(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([HML])\b")


def spawn(argv, rows, cols):
    """A Probe in a rows x cols pty (ptyprobe's size is a module setting)."""
    saved = ptyprobe.ROWS, ptyprobe.COLS
    ptyprobe.ROWS, ptyprobe.COLS = rows, cols
    try:
        p = Probe(argv)
        p.raw = []                                    # (time, bytes) read, not yet fed
        return p
    finally:
        ptyprobe.ROWS, ptyprobe.COLS = saved


def selected(p):
    """(ID, S, O, D, RPN) of the selected failure mode on p's screen, or None."""
    for line in p.screen.display:
        m = SELECTED.search(line)
        if m:
            return (m.group(1),) + tuple(int(m.group(i)) for i in range(2, 6))
    return None


def read_raw(probes, timeout):
    """Reads whatever arrives within timeout from any of probes, without feeding pyte:
    appends (time, bytes) to each probe's .raw. Returns whether anything came."""
    by_fd = {p.fd: p for p in probes}
    got = False
    for fd in select.select(list(by_fd), [], [], timeout)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:
            continue
        if data:
            by_fd[fd].raw.append((time.perf_counter(), data))
            got = True
    return got


def feed(p, check=None):
    """Feeds p's raw chunks to its screen; returns the time of the first chunk after
    which check(p) holds (None if never)."""
    seen = None
    for t, data in p.raw:
        p.total += len(data)
        p.stream.feed(data)
        if check and seen is None and check(p):
            seen = t
    p.raw = []
    return seen


def pump(probes, quiet, cap):
    """Reads and feeds everything until all probes are quiet for `quiet` s (or cap)."""
    t = time.perf_counter()
    while time.perf_counter() - t < cap and read_raw(probes, quiet):
        for p in probes:
            feed(p)
    for p in probes:
        feed(p)


def burst_end(chunks, t0):
    """Time (ms after t0) of the last chunk before the first gap of QUIET s."""
    if not chunks:
        return None
    last = chunks[0][0]
    for t, _ in chunks[1:]:
        if t - last >= QUIET:
            break
        last = t
    return (last - t0) * 1e3


def pct(v, q):
    v = sorted(x for x in v if x is not None)
    return round(v[int(q * (len(v) - 1))], 2) if v else None


def summary(v):
    return {"n": len(v), "missing": sum(x is None for x in v), "p50": pct(v, 0.5),
            "p95": pct(v, 0.95), "max": pct(v, 1.0)}


def quit_all(probes):
    for p in probes:
        try:
            os.write(p.fd, b"q")
        except OSError:
            pass
    deadline = time.perf_counter() + 20
    alive = list(probes)
    while alive and time.perf_counter() < deadline:
        read_raw(alive, 0.05)
        for p in alive:
            p.raw = []
        alive = [p for p in alive if not os.waitpid(p.pid, os.WNOHANG)[0]]
    for p in alive:                                   # only the children we started
        os.kill(p.pid, signal.SIGTERM)
        os.waitpid(p.pid, 0)


def main():
    followers, keys = int(sys.argv[1]), int(sys.argv[2])
    argv = sys.argv[sys.argv.index("--") + 1:]
    pace = float(os.environ.get("PACE", "0.15"))
    r = {"followers": followers, "keys": keys, "pace_s": pace}

    # The facilitator's own trace (RISKROOM_KEY_TRACE), beside the session; the
    # followers must not get the variable.
    trace = os.path.join(os.path.dirname(os.path.abspath(argv[-1])), "facilitator.keys")
    os.environ["RISKROOM_KEY_TRACE"] = trace
    fac = spawn(argv, 40, 120)
    del os.environ["RISKROOM_KEY_TRACE"]
    first_screen = None
    while time.perf_counter() - fac.t0 < 60 and first_screen is None:
        got = fac.read_for(0.05)
        if got and "by RPN (" in fac.text():
            first_screen = got[-1][0]
    if first_screen is None:
        sys.exit("follow_probe: the facilitator showed no failure modes within 60 s:\n" + fac.text())
    r["facilitator_first_screen_ms"] = round((first_screen - fac.t0) * 1e3)
    fac.until_quiet(1.0, 20)
    fac.press(b"\x1bOB" if ptyprobe.DECCKM in fac.screen.mode else b"\x1b[B")
    target = selected(fac)
    if target is None or "[S]" not in fac.text() or target[1] == 9:
        sys.exit("follow_probe: no failure mode selected with the column cursor on S (not 9):\n"
                 + fac.text())
    r["selected"] = target[0]

    # Followers join one at a time; each is in when it is live and shows the
    # facilitator's selection, and everybody is quiet again.
    follow_argv = argv[:1] + ["follow"] + argv[1:]
    if os.environ.get("FOLLOWER_NICE"):
        follow_argv = ["nice", "-n", os.environ["FOLLOWER_NICE"]] + follow_argv
        r["follower_nice"] = int(os.environ["FOLLOWER_NICE"])
    stopped = os.environ.get("FOLLOWERS_STOPPED") == "1"
    r["followers_stopped"] = stopped
    fols, joins = [], []
    for n in range(followers):
        f = spawn(follow_argv, 24, 80)
        fols.append(f)
        joined = None
        in_room = lambda s: "live" in s.screen.display[0] and (selected(s) or ("",))[0] == target[0]
        while time.perf_counter() - f.t0 < 120 and joined is None:
            read_raw([fac] + fols, 0.05)
            for p in [fac] + fols[:-1]:
                feed(p)
            joined = feed(f, in_room)
        if joined is None:
            sys.exit(f"follow_probe: follower {n + 1} did not join within 120 s:\n" + f.text())
        joins.append(round((joined - f.t0) * 1e3))
        pump([fac] + fols, 0.3, 60)
    r["join_ms"] = joins
    pump([fac] + fols, 1.0, 60)
    r["facilitator_says"] = fac.screen.display[0].strip()

    fac_ms, fol_screen, fol_last, intervals = [], [], [], []
    everyone = [fac] + fols
    timed = [] if stopped else fols
    for f in fols if stopped else []:
        os.kill(f.pid, signal.SIGSTOP)
    cpu0 = [p.cpu_ms() for p in everyone]
    last_key = None
    for n in range(keys):
        # "9" sets S to 9; the "2" right after it makes "92" (SPEC 3: a second digit at
        # once is a two-digit number), off the scale, which takes the 9 back: S is as
        # before. Both are changes in the room's stream, as in rating_probe.py.
        key, value = (b"9", 9) if n % 2 == 0 else (b"2", target[1])
        if last_key is not None:
            time.sleep(max(0.0, last_key + pace - time.perf_counter()))
            intervals.append(time.perf_counter() - last_key)
        t = last_key = time.perf_counter()
        os.write(fac.fd, key)
        # Read until everybody has answered and all are quiet (cap 5 s).
        while time.perf_counter() - t < 5:
            if read_raw(everyone, QUIET):
                continue
            if all(p.raw for p in timed) and fac.raw:
                break
        fac_ms.append(burst_end(fac.raw, t))
        shows = lambda s: (selected(s) or ("", 0))[:2] == (target[0], value)
        feed(fac)
        for f in timed:
            fol_last.append(burst_end(f.raw, t))
            seen = feed(f, shows)
            fol_screen.append(None if seen is None else (seen - t) * 1e3)
    cpu = [p.cpu_ms() - c for p, c in zip(everyone, cpu0)]
    r["cpu_ms_per_key"] = {"facilitator": round(cpu[0] / keys, 2),
                           "followers_together": round(sum(cpu[1:]) / keys, 2)}
    for f in fols if stopped else []:
        os.kill(f.pid, signal.SIGCONT)
    r["facilitator_key_ms"] = summary(fac_ms)
    r["follower_screen_ms"] = summary(fol_screen)
    r["follower_last_byte_ms"] = summary(fol_last)
    r["key_interval_ms"] = summary([x * 1e3 for x in intervals])
    pump(everyone, 1.0, 60)                           # stopped followers catch up
    r["facilitator_says_after_keys"] = fac.screen.display[0].strip()
    r["followers_show_last_value"] = all((selected(f) or ("", 0))[:2] == (target[0], value) for f in fols)

    # Idle: after the last autosave has landed, 5 s without a key.
    pump(everyone, 2.0, 30)
    c0 = [p.cpu_ms() for p in everyone]
    b0 = [p.total for p in everyone]
    t = time.perf_counter()
    while time.perf_counter() - t < 5.0:
        read_raw(everyone, 0.25)
        for p in everyone:
            feed(p)
    cpu = [round(p.cpu_ms() - c, 2) for p, c in zip(everyone, c0)]
    out = [p.total - b for p, b in zip(everyone, b0)]
    r["idle_5s"] = {"facilitator_bytes": out[0], "facilitator_cpu_ms": cpu[0],
                    "follower_bytes": out[1:], "follower_cpu_ms": cpu[1:]}
    r["rss_peak_mb"] = {"facilitator": round(fac.rss_mb(), 1),
                        "followers": [round(f.rss_mb(), 1) for f in fols]}
    r["facilitator_saved"] = "saved" in fac.screen.display[0]
    quit_all(fols)
    quit_all([fac])
    # One line a key that changed the screen: the Down first, then the ratings.
    inside = [int(x) / 1e3 for x in open(trace).read().split()]
    r["facilitator_inside_keys"] = len(inside)
    r["facilitator_inside_ms"] = summary(inside[1:1 + keys])
    print(json.dumps(r))


if __name__ == "__main__":
    main()
