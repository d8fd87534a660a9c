#!/usr/bin/env python3
"""`decom serve-http` under 8 concurrent clients, next to the same work through the CLI
(issue 13).

Seeds a fleet (any size; 20,000 devices by default) in a temporary folder, makes an operator
token, starts `decom serve-http` on 127.0.0.1 (any free port, no rate limit), and measures, each
for a bounded number of seconds with N concurrent clients (keep-alive HTTP/1.1 connections):

  list page        GET /api/v1/devices?q=QUERY&limit=100: requests per second, p50 and p99
  archive+undo     POST /api/v1/deletions (one device) then POST /transactions/{id}/undo,
                   each client on devices of its own: pairs per second, p50 and p99 per request

and, as the peer in the same run, the same work through the CLI by N concurrent processes:
`decom list QUERY --format json` (the same devices, whole: the CLI has no pages) and
`decom delete --soft ID --format json` + `decom undo TX`. The ratio is CLI time / HTTP time
per unit of work. Everything stays on this machine; the folder is removed at the end.

Usage: http-load.py --decom PATH [--devices 20000] [--clients 8] [--seconds 5] [--json]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

QUERY = "name:PH-BER-0001"


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


def run_clients(clients, seconds, work):
    """Runs work(client, latencies, stop) in `clients` threads for `seconds`; returns the
    latencies (seconds) of every request and the number of units of work done."""
    latencies = [[] for _ in range(clients)]
    units = [0] * clients
    deadline = time.monotonic() + seconds

    def loop(i):
        while time.monotonic() < deadline:
            units[i] += work(i, latencies[i])

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    flat = [x for per in latencies for x in per]
    return flat, sum(units), elapsed


class Client:
    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.monotonic()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.monotonic() - start
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data), elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--decom", required=True)
    parser.add_argument("--devices", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="decom-http-bench-")
    db = os.path.join(folder, "fleet.sqlite")
    env = dict(os.environ, HOME=folder, XDG_DATA_HOME=folder, XDG_CONFIG_HOME=folder, USER="bench")
    server = None
    try:
        subprocess.run([args.decom, "seed", "--db", db, "--devices", str(args.devices), "--seed", "7"],
                       env=env, check=True, capture_output=True)
        made = subprocess.run([args.decom, "token", "create", "--db", db, "--user", "bench", "--role", "operator"],
                              env=env, check=True, capture_output=True, text=True)
        token = re.search(r"decom_[0-9a-f]{64}", made.stdout).group(0)
        out = open(os.path.join(folder, "server.out"), "w+")
        server = subprocess.Popen([args.decom, "serve-http", "--db", db, "--listen", "127.0.0.1:0", "--rate-limit", "0"],
                                  env=env, stdout=out, stderr=subprocess.DEVNULL)
        port = None
        for _ in range(600):
            out.seek(0)
            found = re.search(r"http://127\.0\.0\.1:(\d+)", out.read())
            if found:
                port = int(found.group(1))
                break
            time.sleep(0.05)
        if port is None:
            raise SystemExit("serve-http printed no URL")

        # Devices the policy lets an operator archive, split among the clients.
        probe = Client(port, token)
        ids = list(range(1, min(args.devices, 4000) + 1))
        preview, _ = probe.call("POST", "/api/v1/deletions", json.dumps(
            {"keys": [str(i) for i in ids], "mode": "archive", "dry_run": True}))
        allowed = [r["device_id"] for r in preview["result"] if r["outcome"] == "archived"]
        shares = [allowed[i::args.clients] for i in range(args.clients)]

        clients = [Client(port, token) for _ in range(args.clients)]
        path = "/api/v1/devices?limit=100&q=" + QUERY.replace(":", "%3A")

        def list_page(i, latencies):
            _, elapsed = clients[i].call("GET", path)
            latencies.append(elapsed)
            return 1

        turns = [0] * args.clients

        def archive_undo(i, latencies):
            device = shares[i][turns[i] % len(shares[i])]
            turns[i] += 1
            doc, a = clients[i].call("POST", "/api/v1/deletions", json.dumps({"keys": [str(device)], "mode": "archive"}))
            _, b = clients[i].call("POST", f"/api/v1/transactions/{doc['transaction']['id']}/undo")
            latencies.extend([a, b])
            return 1

        figures = {}
        lat, units, elapsed = run_clients(args.clients, args.seconds, list_page)
        figures["http list page"] = {"per_second": units / elapsed, "p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3}
        lat, units, elapsed = run_clients(args.clients, args.seconds, archive_undo)
        figures["http archive+undo"] = {"per_second": units / elapsed, "p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3}

        def cli(argv):
            start = time.monotonic()
            done = subprocess.run([args.decom] + argv, env=env, capture_output=True, text=True)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"decom {' '.join(argv)}: {done.stderr}")
            return done.stdout, time.monotonic() - start

        def cli_list(i, latencies):
            _, elapsed = cli(["list", "--db", db, QUERY, "--format", "json"])
            latencies.append(elapsed)
            return 1

        def cli_archive_undo(i, latencies):
            device = shares[i][turns[i] % len(shares[i])]
            turns[i] += 1
            text, a = cli(["delete", "--db", db, "--user", f"cli{i}", "--role", "operator", "--soft", str(device), "--format", "json"])
            tx = json.loads(text)["transaction"]["id"]
            _, b = cli(["undo", "--db", db, "--user", f"cli{i}", "--role", "operator", str(tx)])
            latencies.extend([a, b])
            return 1

        lat, units, elapsed = run_clients(args.clients, args.seconds, cli_list)
        figures["cli list"] = {"per_second": units / elapsed, "p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3}
        lat, units, elapsed = run_clients(args.clients, args.seconds, cli_archive_undo)
        figures["cli archive+undo"] = {"per_second": units / elapsed, "p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3}
        figures["ratio list (cli/http per unit)"] = figures["http list page"]["per_second"] / figures["cli list"]["per_second"]
        figures["ratio archive+undo (cli/http per unit)"] = figures["http archive+undo"]["per_second"] / figures["cli archive+undo"]["per_second"]

        if args.json:
            print(json.dumps(figures, indent=2, sort_keys=True))
        else:
            print(f"HTTP API, {args.devices} devices, {args.clients} concurrent clients, {args.seconds:g} s each (query {QUERY}):")
            for name in ["http list page", "cli list", "http archive+undo", "cli archive+undo"]:
                f = figures[name]
                print(f"  {name:<20} {f['per_second']:8.1f}/s   p50 {f['p50_ms']:7.1f} ms   p99 {f['p99_ms']:7.1f} ms")
            print(f"  the CLI takes {figures['ratio list (cli/http per unit)']:.1f}x the API's time per listing "
                  f"and {figures['ratio archive+undo (cli/http per unit)']:.1f}x per archive+undo")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
