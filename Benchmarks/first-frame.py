#!/usr/bin/env python3
"""Times the real `decom console` from its start to its first rows on a terminal (issue 16).

`decom-bench`'s "first frame, new process" starts a child of its own that does what the console
does headless. This is the whole binary instead, as an admin starts it: a pseudo-terminal of
120x40 (TERM=xterm-256color, UTF-8), a generated fleet, and the clock from just before the
process is started until the terminal has been sent the serial number of the fleet's first
active device (a row of the table, not the header or "Loading"). The console's emoji probe
(cursor position requests) is answered at once, as a local terminal does.

The peer is the `sqlite3` shell started the same way and printing the same first page (the
first 200 active devices by id, with the columns the table shows), so that the figure says what
starting a process and reading the rows cost on this machine in the same run.

Usage: first-frame.py --decom PATH [--devices N] [--runs N] [--db PATH] [--json]
"""
import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import tempfile
import termios
import time

WIDTH, HEIGHT = 120, 40
TARGET_MS = 20.0
PAGE = """SELECT d.id, d.name, d.serial_number, d.type, d.client_status, d.last_seen
  FROM devices d WHERE d.client_status <> 'ARCHIVED' ORDER BY d.id LIMIT 200;"""


def first_serial(db):
    out = subprocess.run(
        ["sqlite3", db, "SELECT serial_number FROM devices WHERE client_status <> 'ARCHIVED'"
         " AND serial_number IS NOT NULL ORDER BY id LIMIT 1"],
        check=True, capture_output=True, text=True).stdout.strip()
    if not out:
        raise SystemExit("first-frame: the fleet has no active device with a serial number")
    return out.encode()


def read_until(fd, start, serial, answer_probes):
    """Reads a pseudo-terminal until `serial` has been written to it; returns the milliseconds
    since `start`, or None when the output ended or 30 s passed first. With `answer_probes`,
    each cursor position request is answered as a terminal would (column 3: a wide emoji)."""
    seen = b""
    answered = 0
    while time.perf_counter() - start < 30:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        seen += chunk
        asked = seen.count(b"\x1b[6n")
        if answer_probes and asked > answered:
            os.write(fd, b"\x1b[1;3R" * (asked - answered))
            answered = asked
        if serial in seen:
            return (time.perf_counter() - start) * 1000
    return None


def console_once(decom, db, serial, env):
    """Milliseconds from starting `decom console` to the first row's serial on its terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        os.execve(decom, [decom, "console", "--db", db], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        elapsed = read_until(fd, start, serial, answer_probes=True)
        os.write(fd, b"q")
    finally:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:
                os.read(fd, 65536)
            except OSError:
                pass
            time.sleep(0.01)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    if elapsed is None:
        raise SystemExit("first-frame: the console showed no row within 30 s")
    return elapsed


def sqlite_once(db, serial):
    """Milliseconds from starting `sqlite3` on a terminal to the same serial on it."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("sqlite3", ["sqlite3", db, PAGE])
    try:
        elapsed = read_until(fd, start, serial, answer_probes=False)
        # The rest of its output (it writes no NUL: this reads to the end), so that it is not
        # stopped by a full terminal.
        read_until(fd, time.perf_counter(), b"\0", answer_probes=False)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    if elapsed is None:
        raise SystemExit("first-frame: sqlite3 did not print the first row")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decom", required=True, help="the decom binary")
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", help="a fleet to use as it is (else one is seeded)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="decom-first-frame-")
    try:
        db = options.db
        if db is None:
            db = os.path.join(folder, "fleet.sqlite")
            subprocess.run(
                [options.decom, "seed", "--db", db, "--devices", str(options.devices)],
                check=True, stdout=subprocess.DEVNULL)
        devices = int(subprocess.run(
            ["sqlite3", db, "SELECT count(*) FROM devices"], check=True, capture_output=True,
            text=True).stdout)
        serial = first_serial(db)
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   DECOM_ROLE="admin", USER="bench", XDG_CONFIG_HOME=folder,
                   XDG_STATE_HOME=folder)
        env.pop("DECOM_THEME", None)
        # One run of each first, not counted: the files in the page cache, as for an admin
        # who opens the console again.
        console_once(options.decom, db, serial, env)
        sqlite_once(db, serial)
        ours, bare = [], []
        for _ in range(options.runs):
            ours.append(console_once(options.decom, db, serial, env))
            bare.append(sqlite_once(db, serial))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    median, worst = statistics.median(ours), max(ours)
    bare_median = statistics.median(bare)
    if options.json:
        print(json.dumps({"devices": devices, "runs": options.runs, "median_ms": median,
                          "worst_ms": worst, "sqlite3_median_ms": bare_median,
                          "target_ms": TARGET_MS}, indent=2, sort_keys=True))
        return
    print(f"decom console from start to its first rows on a {WIDTH}x{HEIGHT} terminal, "
          f"{devices:,} devices, {options.runs} runs")
    print()
    print(f"{'figure':<32} {'median':>7} {'worst':>7}  {'target':<8} met")
    print(f"{'-' * 32} {'-' * 7} {'-' * 7}  {'-' * 8} ---")
    met = "yes" if median < TARGET_MS else "NO"
    print(f"{'console: rows on screen':<32} {median:>7.1f} {worst:>7.1f}  "
          f"{'< ' + format(TARGET_MS, 'g') + ' ms':<8} {met}")
    print(f"{'sqlite3: the same page printed':<32} {bare_median:>7.1f} {max(bare):>7.1f}  "
          f"{'':<8} ({median / bare_median:.2f}x)")


if __name__ == "__main__":
    main()
