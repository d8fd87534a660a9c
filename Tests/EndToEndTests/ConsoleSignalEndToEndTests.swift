import DecomTestSupport
import Foundation
import Glibc
import Testing

/// SIGTERM, SIGHUP and SIGINT reaching the console right after a big archive is confirmed:
/// the terminal is restored, the archive is all or nothing, no process is left, and the
/// console exits 128 + the signal.
/// (`ConsoleEndToEndTests.signalsRestoreTheTerminal` covers the console at rest.)
@Suite struct ConsoleSignalEndToEndTests {
    @Test func aSignalDuringAnArchive() throws {
        let template = try DecomProcess()
        defer { template.remove() }
        #expect(try template.run(["seed", "--devices", "5000", "--seed", "9"]).status == 0)
        try template.checkpoint()
        let signals = [SIGTERM, SIGHUP, SIGINT]
        let rounds = Stress.count(signals.count, long: signals.count * 4)
        for round in 0..<rounds {
            let signal = signals[round % signals.count]
            let decom = try DecomProcess()
            defer { decom.remove() }
            try decom.installDatabase(from: template.db)
            let before = try FleetSnapshot(db: decom.db)
            var env = decom.environment
            env["TERM"] = "xterm-256color"
            let stty = decom.home.appendingPathComponent("stty").path
            let tmux = try Tmux(
                console: [DecomProcess.binary, "console", "--db", decom.db], environment: env,
                stty: stty)
            // `a` marks every row once the whole fleet is read, not just its first page.
            try tmux.waitFor("the whole fleet") { $0.contains("▸") && !$0.contains("reading") }
            try tmux.send("a")
            try tmux.waitFor(text: "marked")
            try tmux.send("d")
            try tmux.waitFor(text: "Archive ")
            let pid = try #require(try tmux.decomPID())
            try tmux.send("y")
            kill(pid, signal)
            try tmux.waitFor(text: "decom exited", timeout: 30)
            #expect(
                try tmux.screen().contains("decom exited \(128 + signal)"),
                "signal \(signal): exit status 128 + the signal")
            let beforeStty = try String(contentsOfFile: stty + "-before", encoding: .utf8)
            let afterStty = try String(contentsOfFile: stty + "-after", encoding: .utf8)
            #expect(beforeStty == afterStty, "signal \(signal): stty settings changed")
            let flags = try tmux.run([
                "display-message", "-p", "-t", tmux.session, "#{alternate_on} #{cursor_flag}",
            ])
            #expect(flags.trimmingCharacters(in: .whitespacesAndNewlines) == "0 1", "\(signal)")
            #expect(kill(pid, 0) != 0, "signal \(signal): the console is still running")
            #expect(try FleetInvariants.problems(db: decom.db).isEmpty, "\(signal)")
            let after = try FleetSnapshot(db: decom.db)
            let done = after["transactions.ARCHIVE.SUCCESS"]
            if done == 0 {
                #expect(after.deviceState == before.deviceState, "\(signal): half an archive")
            } else {
                #expect(done == 1)
                #expect(
                    after["audit.ARCHIVE"] == after["devices.ARCHIVED"] - before["devices.ARCHIVED"]
                )
            }
            Stress.record("console_signals", 1)
        }
    }
}
