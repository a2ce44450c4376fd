#!/usr/bin/env python3
"""Hang up on riskroom the way a dropped SSH connection does: close the master side
of its pseudo-terminal (every copy of it), then time how long it takes to exit.

usage: hangup.py BINARY SESSION KEYS [detached]
Starts BINARY SESSION in a new 80x24 pty, waits until the screen is drawn and
quiet, types KEYS, waits 0.2 s (less than the autosave delay), closes the master
and prints "exit=<status> seconds=<time to exit>". Standard library only.
"detached": riskroom runs in a session of its own (setsid), so the hang-up
sends it no SIGHUP, as under `su` or some multiplexers: its terminal just ends."""
import fcntl, os, pty, select, signal, struct, sys, termios, time

binary, session, keys = sys.argv[1], sys.argv[2], sys.argv[3]
detached = len(sys.argv) > 4 and sys.argv[4] == "detached"
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    if detached:
        # This child leads the pty's session and takes the SIGHUP (ignored);
        # riskroom, in a session of its own, gets none and reports its exit.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        inner = os.fork()
        if inner == 0:
            os.setsid()
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            os.execv(binary, [binary, session])
        _, status = os.waitpid(inner, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    os.execv(binary, [binary, session])


def drain(quiet, cap):
    """Read until nothing came for `quiet` seconds (at most `cap`)."""
    start, got = time.time(), b""
    while time.time() - start < cap:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    return got


first = drain(0.5, 10)
if b"Failure modes" not in first:
    print("no screen: %r" % first[-400:])
    sys.exit(2)
os.write(fd, keys.encode())
drain(0.2, 0.2)
closed = time.time()
os.close(fd)
deadline = closed + 10
status = None
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.01)
else:
    os.kill(pid, 9)
    print("exit=still-running seconds=10")
    sys.exit(1)
print("exit=%d seconds=%.3f" % (status, time.time() - closed))
