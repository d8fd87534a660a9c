import DecomTestSupport
import Foundation
import Glibc
import Testing

/// The console and its terminal (issue 11): no key acts on what a small window does not show,
/// and a console whose terminal is gone ends instead of running for ever.
@Suite struct ConsoleTerminalEndToEndTests {
    func console(_ decom: DecomProcess, width: Int, height: Int) throws -> Tmux {
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        return try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: width,
            height: height, environment: environment)
    }

    /// Waits up to `seconds` for the database to change; true if it did.
    func changes(_ decom: DecomProcess, from before: FleetSnapshot, within seconds: Double)
        throws -> Bool
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try FleetSnapshot(db: decom.db) != before { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// At 30x8 the console shows only "Terminal too small": `Space D 1 Enter` and `Space d y`
    /// change nothing, and q still quits.
    @Test func keysInATooSmallWindowChangeNothing() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try FleetSnapshot(db: decom.db)
        let tmux = try console(decom, width: 30, height: 8)
        try tmux.waitFor(text: "too small")
        // One key a call: each has the time to act before the next, as an admin's would.
        for key in ["Space", "D", "1", "Enter", "Space", "d", "y"] {
            try tmux.send(key)
        }
        #expect(try !changes(decom, from: before, within: 3), "a key acted on a hidden table")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
        #expect(try FleetSnapshot(db: decom.db) == before)
    }

    /// A purge dialog opened at full size with its count typed, then shrunk out of view: Enter
    /// purges nothing until the dialog shows again.
    @Test func aDialogShrunkOutOfViewIsNotConfirmable() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try FleetSnapshot(db: decom.db)
        let tmux = try console(decom, width: 120, height: 40)
        try tmux.waitFor(text: "LT-PAR-00001")
        try tmux.send("D")
        try tmux.waitFor(text: "Purge 1 device?")
        try tmux.type("1")
        try tmux.waitFor(text: "[1]")
        try tmux.resize(width: 30, height: 8)
        try tmux.waitFor(text: "too small")
        try tmux.send("Enter")
        try tmux.resize(width: 50, height: 18)
        try tmux.waitFor(text: "The purge dialog needs")
        try tmux.send("Enter")
        #expect(try !changes(decom, from: before, within: 3), "a hidden dialog was confirmed")
        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor(text: "Type 1 to purge: [1]")
        try tmux.send("Escape")
        try tmux.waitFor(text: "Cancelled")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
        #expect(try FleetSnapshot(db: decom.db) == before)
    }

    /// In 60x18 the compact table shows and acts: a mark and an archive work there.
    @Test func aCompactWindowStillWorks() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom, width: 60, height: 18)
        try tmux.waitFor(text: "LT-PAR-00001")
        #expect(try !tmux.screen().contains("too small"))
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 1 device?")
        try tmux.send("y")
        try tmux.waitFor(text: "Archived 1")
        let shown = try decom.run(["show", "1", "--format", "json"])
        #expect(shown.stdout.contains("\"ARCHIVED\""))
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }

    /// A python3 harness: runs decom on a new pty (`ctty`: as its controlling terminal, with
    /// SIGHUP ignored by the parent; `noctty`: without one, so the kernel sends no SIGHUP),
    /// waits for its screen, closes the master, and prints decom's exit status and the CPU
    /// ticks it used after the close. A decom still running after 20 s is killed.
    static let harness = """
        import fcntl, os, select, signal, struct, sys, termios, time
        binary, db, mode = sys.argv[1:4]
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        pid = os.fork()
        if pid == 0:
            os.setsid()
            if mode == "ctty":
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(master)
            os.close(slave)
            env = dict(os.environ, TERM="xterm-256color")
            os.execve(binary, [binary, "console", "--db", db], env)
        os.close(slave)
        seen = b""
        deadline = time.time() + 30
        while time.time() < deadline and b"LT-PAR-00001" not in seen:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                seen += os.read(master, 65536)
        def ticks():
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        start = ticks()
        last = start
        os.close(master)
        status = None
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                last = ticks()
            except OSError:
                pass
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(code)
                break
            time.sleep(0.05)
        if status is None:
            last = ticks()
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        print("screen=%d status=%s ticks=%d" % (b"LT-PAR-00001" in seen, status, last - start))
        """

    /// Closing the terminal ends the console as SIGHUP does (129), whether SIGHUP reaches it
    /// or not, without spinning on the closed terminal, and leaves the database whole.
    @Test(arguments: ["noctty", "ctty"])
    func aConsoleWhoseTerminalIsGoneEnds(mode: String) throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try FleetSnapshot(db: decom.db)
        let script = decom.home.appendingPathComponent("pty_close.py").path
        try Self.harness.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try Spawn.run(
            ["python3", script, DecomProcess.binary, decom.db, mode],
            environment: decom.environment)
        let report = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(run.exit.status == 0, "harness failed: \(run.stderr)")
        #expect(report.contains("screen=1"), "the console never drew: \(report)")
        #expect(report.contains("status=129"), "\(mode): \(report)")
        // 100 ticks a second: a console reading a closed terminal in a loop uses seconds.
        let ticks = report.split(separator: "=").last.flatMap { Int($0) } ?? Int.max
        #expect(ticks < 50, "\(mode): CPU after the close: \(report)")
        #expect(try FleetSnapshot(db: decom.db) == before)
        #expect(try FleetInvariants.problems(db: decom.db).isEmpty)
    }
}
