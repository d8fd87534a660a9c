import Foundation
import Glibc
import Testing

/// Roles are enforced in the core: a viewer changes nothing through any command or key, an
/// operator purges nothing; the audit table refuses UPDATE and DELETE even from sqlite3; and
/// `decom demo` removes its temporary database on every way out.
@Suite(.serialized) struct AuthorityEndToEndTests {
    func fixtureSandbox() throws -> DecomProcess {
        let decom = try DecomProcess.withFixtureFleet()
        // Something an undo or a retention purge could act on.
        #expect(try decom.run(["delete", "7"]).status == 0)
        return decom
    }

    /// Device state and the transaction log, as sqlite3 sees them.
    func state(_ decom: DecomProcess) throws -> String {
        try decom.export()
            + (try SQLiteShell.run(
                decom.db, "SELECT count(*) FROM transactions; SELECT count(*) FROM audit;"))
    }

    @Test func aViewerChangesNothingThroughAnyCommand() throws {
        let decom = try fixtureSandbox()
        defer { decom.remove() }
        let before = try state(decom)
        let file = decom.home.appendingPathComponent("more.json").path
        try Data(#"[{"id": 50, "client_status": "AVAILABLE", "mdm": null}]"#.utf8).write(
            to: URL(fileURLWithPath: file))
        let commands: [[String]] = [
            ["delete", "1"], ["delete", "--hard", "--yes", "1"],
            ["delete", "--unenroll", "--yes", "1"],
            ["delete", "-", "--hard", "--bulk", "--yes"], ["undo"], ["undo", "2"],
            ["purge", "--archived-before", "0m", "--yes"], ["import", file],
            ["seed", "--devices", "5"],
        ]
        for command in commands {
            for how in ["flag", "env"] {
                let args = how == "flag" ? command + ["--role", "viewer"] : command
                let env = how == "env" ? ["DECOM_ROLE": "viewer"] : [:]
                let result = try decom.run(args, stdin: "1\n2\n6\n", env: env)
                #expect(result.status != 0, "viewer \(command) (\(how)) must not succeed")
            }
        }
        #expect(try state(decom) == before, "a viewer changed nothing, not even the log")
    }

    @Test func anOperatorPurgesNothing() throws {
        let decom = try fixtureSandbox()
        defer { decom.remove() }
        let before = try state(decom)
        for command in [
            ["delete", "--hard", "--yes", "6"], ["delete", "-", "--hard", "--bulk", "--yes"],
            ["purge", "--archived-before", "0m", "--yes"],
        ] {
            let result = try decom.run(command + ["--role", "operator"], stdin: "1\n6\n7\n")
            #expect(result.status != 0, "operator \(command)")
        }
        #expect(try state(decom) == before)
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM tombstones;") == 0)
    }

    @Test func theAuditRefusesUpdateAndDelete() throws {
        let decom = try fixtureSandbox()
        defer { decom.remove() }
        let audit = try SQLiteShell.run(decom.db, "SELECT * FROM audit;")
        #expect(!audit.isEmpty)
        for sql in [
            "UPDATE audit SET actor = 'mallory';", "DELETE FROM audit;",
            "DELETE FROM audit WHERE id = 1;",
        ] {
            let result = try SQLiteShell.run(decom.db, sql, allowFailure: true)
            #expect(result.contains("append-only"), "\(sql): \(result)")
        }
        #expect(try SQLiteShell.run(decom.db, "SELECT * FROM audit;") == audit)
    }

    @Test func aViewersConsoleShowsNoDeleteKeysAndChangesNothing() throws {
        let decom = try fixtureSandbox()
        defer { decom.remove() }
        let before = try state(decom)
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db, "--role", "viewer"],
            width: 160, height: 30, environment: env)
        let screen = try tmux.waitFor(text: "LT-PAR-00001")
        let footer = screen.split(separator: "\n").last.map(String.init) ?? ""
        for word in ["archive", "purge", "unenroll", "undo"] {
            #expect(!footer.contains(word), "the footer offers \(word): \(footer)")
        }
        for key in ["d", "D", "x", "u"] {
            try tmux.send("Space")
            try tmux.send(key)
            try tmux.send("y")
            try tmux.type("1")
            try tmux.send("Enter")
            try tmux.send("Escape")
        }
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
        #expect(try state(decom) == before, "a viewer's keys changed nothing")
    }

    @Test func demoRemovesItsDatabaseOnEveryWayOut() throws {
        for way in ["q", "SIGTERM", "SIGHUP"] {
            let decom = try DecomProcess()
            defer { decom.remove() }
            let tmp = decom.home.appendingPathComponent("tmp")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            var env = decom.environment
            env["TERM"] = "xterm-256color"
            env["TMPDIR"] = tmp.path
            let tmux = try Tmux(
                console: [DecomProcess.binary, "demo", "--devices", "50"], environment: env)
            try tmux.waitFor(text: "demo (50 devices)")
            let folders = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
            #expect(folders.contains { $0.hasPrefix("decom-demo-") }, "the demo's folder exists")
            switch way {
            case "q": try tmux.send("q")
            default:
                let pid = try #require(try tmux.decomPID())
                kill(pid, way == "SIGTERM" ? SIGTERM : SIGHUP)
            }
            try tmux.waitFor(text: "decom exited")
            let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
            #expect(!left.contains { $0.hasPrefix("decom-demo-") }, "\(way) left \(left)")
        }
    }
}
