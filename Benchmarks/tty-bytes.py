#!/usr/bin/env python3
"""Counts the bytes `decom console` writes to its terminal for single keys (issue 5).

Runs the console in a pseudo-terminal of 120x40 (TERM=xterm-256color, UTF-8) on a generated
fleet, waits for the first frame with rows, then sends keys one at a time and counts what the
console writes until its output has been quiet for a while:

  cursor move      one `j` in the middle of the page
  one-line scroll  one `j` with the cursor on the page's last line (the table moves by a line)
  PgDn             one page down (every row changes: a full repaint of the table is expected)
  filter change    `/`, six characters and Enter, one key at a time (summed)

Both cursor styles are measured: `bar` (the default: the cursor's row in reverse across the
table, so a move re-sends the old and the new row) and `arrow` (config `cursor: arrow`: only
the gutter shows the cursor, for slow links).

Usage: tty-bytes.py --decom PATH [--devices N] [--json]
"""
import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

WIDTH, HEIGHT = 120, 40
QUIET = 0.4  # seconds without output that end a key's answer
TARGETS = {"cursor move": 200, "one-line scroll": 1000}
STYLES = ["bar", "arrow"]


def read_until_quiet(fd, quiet=QUIET, limit=30.0, until=None):
    """Reads the console's output until it has been quiet for `quiet` seconds (and, when
    `until` is given, the output so far contains it). Returns the bytes read."""
    data = b""
    start = time.monotonic()
    last = start
    while True:
        now = time.monotonic()
        if now - start > limit:
            raise SystemExit(f"tty-bytes: no quiet output within {limit} s")
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            last = time.monotonic()
        elif time.monotonic() - last >= quiet and (until is None or until in data):
            break
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decom", required=True, help="the decom binary")
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="decom-tty-bytes-")
    try:
        db = os.path.join(folder, "fleet.sqlite")
        subprocess.run(
            [options.decom, "seed", "--db", db, "--devices", str(options.devices)],
            check=True, stdout=subprocess.DEVNULL)
        figures = {style: measure(options.decom, db, style, folder) for style in STYLES}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    if options.json:
        print(json.dumps({"devices": options.devices, "width": WIDTH, "height": HEIGHT,
                          "bytes": figures}, indent=2, sort_keys=True))
        return
    print(f"terminal output of decom console at {WIDTH}x{HEIGHT}, "
          f"{options.devices:,} devices (bytes written per key, by cursor style)")
    print()
    print(f"{'key':<18} {'bar':>7} {'arrow':>7}  {'target':<9} met")
    print(f"{'-' * 18} {'-' * 7} {'-' * 7}  {'-' * 9} ---")
    for name in figures["bar"]:
        bar, arrow = figures["bar"][name], figures["arrow"][name]
        target = TARGETS.get(name)
        if target is None:
            met, shown = "", ""
        else:
            shown = f"< {target:,}"
            met = {(True, True): "yes", (False, True): "arrow only", (True, False): "bar only",
                   (False, False): "NO"}[(bar < target, arrow < target)]
        print(f"{name:<18} {bar:>7,} {arrow:>7,}  {shown:<9} {met}")


def measure(decom, db, style, folder):
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               DECOM_ROLE="admin", USER="bench")
    env.pop("DECOM_THEME", None)
    # A config file of our own (not the user's) that sets the cursor style.
    config = os.path.join(folder, style)
    os.makedirs(os.path.join(config, "decom"), exist_ok=True)
    with open(os.path.join(config, "decom", "config.yaml"), "w") as f:
        f.write(f"cursor: {style}\n")
    env["XDG_CONFIG_HOME"] = config
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ,
                    struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        os.execve(decom, [decom, "console", "--db", db], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        figures = {}
        # The first frame, then the rows: wait for a status that only rows show.
        figures["first frame"] = len(read_until_quiet(fd, quiet=1.5, limit=60.0, until=b"IN_SERVICE"))
        # Let the first flash lines and the first change poll pass.
        read_until_quiet(fd, quiet=1.0)

        def key(sequence):
            os.write(fd, sequence)
            return len(read_until_quiet(fd))

        figures["cursor move"] = key(b"j")
        # Down to the page's last line (the table body is HEIGHT - 4 lines), then one more.
        for _ in range(HEIGHT - 4 - 2):
            key(b"j")
        figures["one-line scroll"] = key(b"j")
        figures["PgDn"] = key(b"\x1b[6~")
        total = 0
        for sequence in [b"/", b"l", b"t", b"-", b"p", b"a", b"r", b"\r"]:
            total += key(sequence)
        figures["filter change"] = total
        os.write(fd, b"q")
        read_until_quiet(fd, quiet=0.3, limit=10.0)
        return figures
    finally:
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)


if __name__ == "__main__":
    main()
