#!/usr/bin/env python3
"""Concurrent demo visitors of `decom serve-ssh` through the real OpenSSH client (issue 12).

Starts `decom serve-ssh --demo` on 127.0.0.1 (any free port) with `--spare-fleets` (one per
visitor by default) and waits until those fleets are made, then starts N `ssh -tt` clients at
once, each in a pseudo-terminal of 120x40, and measures:

  first frame      from starting `ssh` to the first full frame of its console (the header
                   and the rows drawn): median and worst over the visitors; the console's
                   emoji probe (cursor position requests) is answered as a terminal would
  keystroke        from writing `j` to the first byte of the console's answer, through SSH:
                   median and worst over every key of every visitor
  memory           the server's resident memory, and each console's (median and worst)

Then every visitor quits (`q`) and the server gets SIGTERM. Everything stays on this machine.

Usage: ssh-visitors.py --decom PATH [--visitors 20] [--devices 2000] [--keys 20] [--spares N] [--json]
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

WIDTH, HEIGHT = 120, 40
TARGETS = {"first frame": 1.0, "keystroke": 0.050}


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(parent):
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as f:
                for line in f:
                    if line.startswith("PPid:"):
                        if int(line.split()[1]) == parent:
                            found.append(int(name))
                        break
        except OSError:
            pass
    return found


def is_seed(pid):
    """Whether the process runs `decom seed` (a spare fleet being made), not a console."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return False
    return len(argv) > 1 and argv[1] == b"seed"


def drain(fd, seconds):
    """Reads whatever comes for `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decom", required=True, help="the decom binary")
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=20, help="keystrokes per visitor")
    parser.add_argument("--spares", type=int, default=None,
                        help="spare demo fleets made ahead (default: one per visitor)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if options.spares is None:
        options.spares = options.visitors

    folder = tempfile.mkdtemp(prefix="decom-ssh-bench-")
    server = None
    visitors = []
    try:
        out_path = os.path.join(folder, "server.out")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder, "TMPDIR": folder,
               "LANG": "C.UTF-8"}
        with open(out_path, "w") as out, open(os.path.join(folder, "server.err"), "w") as err:
            server = subprocess.Popen(
                [options.decom, "serve-ssh", "--demo", "--devices", str(options.devices),
                 "--listen", "127.0.0.1:0", "--host-key", os.path.join(folder, "host_key"),
                 "--max-sessions", str(options.visitors),
                 "--max-sessions-per-address", str(options.visitors),
                 "--spare-fleets", str(options.spares)],
                stdout=out, stderr=err, env=env)
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            with open(out_path) as f:
                match = re.search(r"listening on 127\.0\.0\.1:(\d+)", f.read())
            if match:
                port = int(match.group(1))
            else:
                time.sleep(0.05)
        if port is None:
            raise SystemExit("ssh-visitors: the server printed no port")

        # The spare fleets made ahead: every one ready, no `decom seed` still running.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            spares = [n for n in os.listdir(folder) if n.startswith("decom-ssh-") and "-spare-" in n]
            seeding = [pid for pid in children(server.pid) if is_seed(pid)]
            if len(spares) >= options.spares and not seeding:
                break
            time.sleep(0.1)

        ssh = ["ssh", "-tt", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-p", str(port), "admin@127.0.0.1"]
        client_env = dict(env, TERM="xterm-256color")
        for _ in range(options.visitors):
            start = time.monotonic()
            pid, fd = pty.fork()
            if pid == 0:
                fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ,
                            struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
                os.execvpe("ssh", ssh, client_env)
            visitors.append({"pid": pid, "fd": fd, "start": start, "seen": b"", "frame": None,
                             "asked": 0})

        # The first full frame: the header and a row (a status only rows show; rows come last).
        deadline = time.monotonic() + 120
        waiting = {v["fd"]: v for v in visitors}
        while waiting and time.monotonic() < deadline:
            ready, _, _ = select.select(list(waiting), [], [], 0.05)
            for fd in ready:
                v = waiting[fd]
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    del waiting[fd]
                    continue
                # As a terminal does, each cursor position request (the console's emoji probe)
                # is answered: column 3, a wide emoji. A terminal that never answers costs the
                # console its probe's whole wait, which no admin's terminal makes it pay.
                asked = v["asked"] + (v["seen"][-3:] + chunk).count(b"\x1b[6n")
                if asked > v["asked"]:
                    os.write(fd, b"\x1b[1;3R" * (asked - v["asked"]))
                    v["asked"] = asked
                v["seen"] = (v["seen"] + chunk)[-200_000:]
                if b"IN_SERVICE" in v["seen"] and b"(admin)" in v["seen"]:
                    v["frame"] = time.monotonic() - v["start"]
                    del waiting[fd]
        if waiting:
            raise SystemExit(f"ssh-visitors: {len(waiting)} visitors saw no frame within 120 s: "
                             + repr(next(iter(waiting.values()))["seen"][-300:]))

        for v in visitors:
            drain(v["fd"], 0.05)
        time.sleep(1.5)
        for v in visitors:
            drain(v["fd"], 0.01)
        server_rss = rss_kib(server.pid)
        consoles = [pid for pid in children(server.pid) if not is_seed(pid)]
        console_rss = [rss_kib(pid) for pid in consoles]

        # Keystrokes: one visitor at a time, so each answer is timed alone.
        round_trips = []
        for v in visitors:
            for _ in range(options.keys):
                drain(v["fd"], 0.03)
                sent = time.monotonic()
                os.write(v["fd"], b"j")
                ready, _, _ = select.select([v["fd"]], [], [], 10)
                if not ready:
                    raise SystemExit("ssh-visitors: a keystroke got no answer within 10 s")
                round_trips.append(time.monotonic() - sent)
                os.read(v["fd"], 65536)

        frames = [v["frame"] for v in visitors]
        for v in visitors:
            os.write(v["fd"], b"q")
        statuses = []
        for v in visitors:
            drain(v["fd"], 0.2)
            _, status = os.waitpid(v["pid"], 0)
            statuses.append(os.waitstatus_to_exitcode(status))
            os.close(v["fd"])
        visitors = []
        server.send_signal(signal.SIGTERM)
        server_status = server.wait(timeout=60)
        server = None
    finally:
        for v in visitors:
            try:
                os.kill(v["pid"], signal.SIGKILL)
                os.waitpid(v["pid"], 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)

    report = {
        "visitors": options.visitors, "devices": options.devices, "spares": options.spares, "width": WIDTH,
        "height": HEIGHT,
        "first_frame": {"median": statistics.median(frames), "worst": max(frames),
                        "target": TARGETS["first frame"]},
        "keystroke": {"median": statistics.median(round_trips), "worst": max(round_trips),
                      "count": len(round_trips), "target": TARGETS["keystroke"]},
        "memory_kib": {"server": server_rss, "consoles": len(console_rss),
                       "console_median": statistics.median(console_rss) if console_rss else 0,
                       "console_worst": max(console_rss, default=0)},
        "ssh_exit_statuses": sorted(set(statuses)),
        "server_exit_status": server_status,
    }
    if options.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return
    print(f"decom serve-ssh --demo: {options.visitors} visitors at once through OpenSSH, "
          f"{options.devices:,} devices each, {options.spares} spare fleets made ahead, "
          f"{WIDTH}x{HEIGHT}")
    print()
    print(f"{'figure':<28} {'median':>10} {'worst':>10}  {'target':<10} met")
    print(f"{'-' * 28} {'-' * 10} {'-' * 10}  {'-' * 10} ---")
    for name, key in [("first frame (ssh start)", "first_frame"), ("keystroke round trip", "keystroke")]:
        figure = report[key]
        met = "yes" if figure["median"] < figure["target"] else "NO"
        print(f"{name:<28} {figure['median'] * 1000:>8.0f}ms {figure['worst'] * 1000:>8.0f}ms"
              f"  < {figure['target'] * 1000:.0f} ms  {met}")
    memory = report["memory_kib"]
    print(f"{'server memory (RSS)':<28} {memory['server'] / 1024:>8.1f}MB")
    print(f"{'console memory (RSS, each)':<28} {memory['console_median'] / 1024:>8.1f}MB "
          f"{memory['console_worst'] / 1024:>8.1f}MB  ({memory['consoles']} consoles)")
    print(f"ssh exit statuses: {report['ssh_exit_statuses']}; server: {server_status}")


if __name__ == "__main__":
    main()
