import Foundation
import Glibc
import Testing

/// `decom serve-ssh` driven by the real OpenSSH client in tmux, as a visitor would: the demo
/// console per visitor, fleet mode's keys and roles, what is refused, and the server's end.
@Suite(.serialized) struct SSHEndToEndTests {
    func transactions(_ decom: DecomProcess, db: String) throws -> [[String: Any]] {
        let history = try decom.run(["history", "--db", db, "--format", "json"], useDB: false)
        #expect(history.status == 0, "history: \(history.stderr)")
        return try history.json()["transactions"] as? [[String: Any]] ?? []
    }

    /// Runs an ssh command to its end, which `timeout` bounds should the server not close.
    func runSSH(_ argv: [String]) throws -> Spawn.Output {
        try Spawn.run(["timeout", "30"] + argv)
    }

    /// A client key made by ssh-keygen in the sandbox; returns the private key's path.
    func makeKey(_ decom: DecomProcess, _ name: String) throws -> String {
        let path = decom.home.appendingPathComponent(name).path
        let made = try Spawn.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path])
        #expect(made.exit.status == 0, "ssh-keygen: \(made.stderr)")
        return path
    }

    @Test func demoVisitorGetsTheLoginsRoleArchivesAndQuitsAndTheSandboxIsRemoved() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        // No spare fleet: the session generates its own (`decom demo`).
        let server = try SSHServer(
            decom, arguments: ["--demo", "--devices", "60", "--spare-fleets", "0"])
        // The visitor asks for DECOM_ROLE=admin; only the login name chooses the role.
        let tmux = try server.visit("operator", options: ["-o", "SetEnv=DECOM_ROLE=admin"])
        try tmux.waitFor(text: "operator (operator)")
        #expect(server.sessionFolders().count == 1)
        #expect(server.demoDatabases().count == 1, "the session's demo database")

        // The visitor's window size reaches the console: its header ends at the new width.
        try tmux.resize(width: 90, height: 30)
        try tmux.waitFor("the header redrawn for 90 columns") {
            ($0.split(separator: "\n").first ?? "").contains("operator (operator)")
        }

        try tmux.send("Space")
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 1 device?")
        try tmux.send("y")
        try tmux.waitFor(text: "Archived 1")
        try tmux.send("q")
        try tmux.waitFor(text: "ssh exited 0")
        #expect(
            SSHServer.eventually { server.sessionFolders().isEmpty },
            "the session's folder and demo database are removed")
        #expect(server.log.contains("user=operator role=operator mode=demo"))
        #expect(server.log.contains("exit=0"))
        #expect(server.stop().status == 0)
    }

    @Test func aSpareFleetMadeAheadServesTheNextVisitorAndIsReplaced() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(
            decom, arguments: ["--demo", "--devices", "20", "--spare-fleets", "1"])
        let spareReady = {
            let spares = server.allFolders().filter { $0.lastPathComponent.contains("-spare-") }
            let seeding = SSHServer.children(of: server.child.pid).count > server.children().count
            return spares.count == 1 && !seeding
        }
        #expect(SSHServer.eventually(timeout: 60, spareReady), "a spare fleet is made")
        let tmux = try server.visit("operator")
        try tmux.waitFor(text: "demo-20-devices.sqlite")
        try tmux.waitFor(text: "operator (operator)")
        #expect(server.sessionFolders().count == 1, "the spare became the session's folder")
        try tmux.send("Space")
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 1 device?")
        try tmux.send("y")
        try tmux.waitFor(text: "Archived 1")
        try tmux.send("q")
        try tmux.waitFor(text: "ssh exited 0")
        #expect(
            SSHServer.eventually { server.sessionFolders().isEmpty }, "the session's folder goes")
        #expect(SSHServer.eventually(timeout: 60, spareReady), "another spare is made")
        #expect(server.stop().status == 0)
        #expect(server.allFolders().isEmpty, "the spare is removed at shutdown")
    }

    @Test func consoleCommandsNamingServerFilesAreRefused() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        let tmux = try server.visit("admin")
        try tmux.waitFor(text: "admin (admin)")
        for path in ["/etc/passwd", "../../../etc/hostname", "stolen.yaml"] {
            try tmux.send(":")
            try tmux.type("theme " + path)
            try tmux.send("Enter")
            try tmux.waitFor(text: "Theme \(path) not loaded: files on the server are refused")
        }
        // A theme name still works.
        try tmux.send(":")
        try tmux.type("theme solarized-dark")
        try tmux.send("Enter")
        try tmux.waitFor("the theme to change") {
            $0.contains("Theme solarized-dark") && !$0.contains("not loaded")
        }
        // Ctrl-Z reaches the console as a key: no shell of the visitor's is behind it.
        try tmux.send("C-z")
        try tmux.waitFor(text: "Suspend is not available over SSH")
        try tmux.send("q")
        try tmux.waitFor(text: "ssh exited 0")
        server.stop()
    }

    @Test func twoVisitorsHaveFleetsOfTheirOwn() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "60"])
        let first = try server.visit("admin")
        try first.waitFor(text: "admin (admin)")
        let firstDB = try #require(server.demoDatabases().first)
        let second = try server.visit("admin")
        try second.waitFor(text: "admin (admin)")
        let secondDB = try #require(server.demoDatabases().first { $0 != firstDB })
        #expect(server.sessionFolders().count == 2)

        try first.send("Space")
        try first.send("d")
        try first.waitFor(text: "Archive 1 device?")
        try first.send("y")
        try first.waitFor(text: "Archived 1")
        let archives = { (db: String) in
            try transactions(decom, db: db).filter { $0["type"] as? String == "ARCHIVE" }.count
        }
        #expect(try archives(firstDB) == 1, "the first visitor's archive")
        #expect(try archives(secondDB) == 0, "nothing in the second fleet")
        #expect(!(try second.screen()).contains("Archived"))

        try first.send("q")
        try second.send("q")
        try first.waitFor(text: "ssh exited 0")
        try second.waitFor(text: "ssh exited 0")
        #expect(SSHServer.eventually { server.sessionFolders().isEmpty })
        server.stop()
    }

    @Test func fleetModeTakesUserAndRoleFromTheKeyAndRefusesOtherKeys() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let operatorKey = try makeKey(decom, "operator-key")
        let adminKey = try makeKey(decom, "admin-key")
        let strangerKey = try makeKey(decom, "stranger-key")
        let read = { (path: String) in try String(contentsOfFile: path + ".pub", encoding: .utf8) }
        let file = decom.home.appendingPathComponent("authorized_keys").path
        try
            (#"decom-role="operator",decom-user="ops1" "# + read(operatorKey)
            + "# admins\n" + #"decom-role="admin",decom-user="ann.admin" "# + read(adminKey))
            .write(toFile: file, atomically: true, encoding: .utf8)
        let server = try SSHServer(decom, arguments: ["--authorized-keys", file, "--db", decom.db])
        let before = try decom.export()

        // A key not in the file is refused.
        let stranger = try runSSH(
            server.ssh("admin", options: ["-i", strangerKey, "-o", "IdentitiesOnly=yes"]))
        #expect(stranger.exit.status == 255)
        #expect(stranger.stderr.contains("Permission denied"), "\(stranger.stderr)")
        // The server's log names the refused key by its fingerprint, as ssh-keygen -l does.
        let keygen = try Spawn.run(["ssh-keygen", "-l", "-f", strangerKey + ".pub"])
        let fingerprint = try #require(
            keygen.stdout.split(separator: " ").first { $0.hasPrefix("SHA256:") })
        #expect(
            SSHServer.eventually {
                server.log.contains(
                    "user=admin: key \(fingerprint) is not in the authorized keys")
            }, "\(server.log)")

        // The operator's key cannot purge, whatever the login name says.
        let operatorVisit = try server.visit(
            "admin", options: ["-i", operatorKey, "-o", "IdentitiesOnly=yes"])
        try operatorVisit.waitFor(text: "ops1 (operator)")
        try operatorVisit.send("D")
        try operatorVisit.waitFor(text: "may not purge")
        try operatorVisit.send("q")
        try operatorVisit.waitFor(text: "ssh exited 0")
        #expect(try decom.export() == before, "the operator changed nothing")

        // The admin's purge is recorded with the key's user.
        let adminVisit = try server.visit(
            "root", options: ["-i", adminKey, "-o", "IdentitiesOnly=yes"])
        try adminVisit.waitFor(text: "ann.admin (admin)")
        try adminVisit.send("/")
        try adminVisit.type("LT-PAR-00006")
        try adminVisit.send("Enter")
        try adminVisit.waitFor("only device 6 shown") {
            !$0.contains("LT-PAR-00007") && $0.contains("LT-PAR-00006")
        }
        try adminVisit.send("D")
        try adminVisit.waitFor(text: "Purge 1 device")
        try adminVisit.type("1")
        try adminVisit.send("Enter")
        try adminVisit.waitFor(text: "Purged 1")
        try adminVisit.send("q")
        try adminVisit.waitFor(text: "ssh exited 0")
        let purge = try #require(try transactions(decom, db: decom.db).first)
        #expect(purge["type"] as? String == "PURGE")
        #expect(purge["user"] as? String == "ann.admin")
        #expect(server.log.contains("user=ann.admin role=admin mode=fleet"))
        server.stop()
    }

    @Test func fleetSessionsSeeEachOthersChangesAndAViewerChangesNothing() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let viewerKey = try makeKey(decom, "viewer-key")
        let adminKey = try makeKey(decom, "admin-key")
        let read = { (path: String) in try String(contentsOfFile: path + ".pub", encoding: .utf8) }
        let file = decom.home.appendingPathComponent("authorized_keys").path
        try
            (#"decom-role="viewer",decom-user="vic" "# + read(viewerKey)
            + #"decom-role="admin",decom-user="ann" "# + read(adminKey))
            .write(toFile: file, atomically: true, encoding: .utf8)
        let server = try SSHServer(decom, arguments: ["--authorized-keys", file, "--db", decom.db])
        let before = try decom.export()

        let viewer = try server.visit(
            "vic", options: ["-i", viewerKey, "-o", "IdentitiesOnly=yes"])
        try viewer.waitFor(text: "vic (viewer)")
        try viewer.waitFor(text: "LT-PAR-00006")
        try viewer.send("Space")
        for (key, refusal) in [
            ("d", "may not archive"), ("D", "may not purge"), ("x", "may not unenroll"),
        ] {
            try viewer.send(key)
            try viewer.waitFor(text: refusal)
            try viewer.send("y")
            try viewer.type("1")
            try viewer.send("Enter")
        }
        #expect(try decom.export() == before, "the viewer changed nothing")

        let admin = try server.visit("ann", options: ["-i", adminKey, "-o", "IdentitiesOnly=yes"])
        try admin.waitFor(text: "ann (admin)")
        try admin.send("/")
        try admin.type("LT-PAR-00006")
        try admin.send("Enter")
        try admin.waitFor("only device 6 shown") {
            !$0.contains("LT-PAR-00007") && $0.contains("LT-PAR-00006")
        }
        try admin.send("d")
        try admin.waitFor(text: "Archive 1 device?")
        try admin.send("y")
        try admin.waitFor(text: "Archived 1")
        // The viewer's console, on the same database, drops the archived device by itself.
        try viewer.waitFor("device 6 to leave the viewer's list") {
            !$0.contains("LT-PAR-00006") && $0.contains("LT-PAR-00007")
        }
        try viewer.send("q")
        try admin.send("q")
        try viewer.waitFor(text: "ssh exited 0")
        try admin.waitFor(text: "ssh exited 0")
        server.stop()
    }

    @Test func commandsAndSessionsWithoutATerminalAreRefused() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        let exec = try runSSH(server.ssh("admin") + ["ls"])
        #expect(exec.exit.status == 1)
        #expect(exec.stderr.contains("runs only the console"), "\(exec.stderr)")
        let noTerminal = try runSSH(server.ssh("admin", options: ["-T"]))
        #expect(noTerminal.exit.status == 1)
        #expect(noTerminal.stderr.contains("ssh -t"), "\(noTerminal.stderr)")
        let sftp = try runSSH(server.ssh("admin", options: ["-s"]) + ["sftp"])
        #expect(sftp.exit.status == 1)
        #expect(sftp.stderr.contains("sftp are refused"), "\(sftp.stderr)")
        #expect(server.sessionFolders().isEmpty, "no console was started")
        server.stop()
    }

    @Test func portForwardingIsRefused() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        // -W opens a direct-tcpip channel at once, as -L does for each connection.
        let local = try runSSH(server.ssh("admin", options: ["-W", "127.0.0.1:9"]))
        #expect(local.exit.status == 255)
        #expect(server.log.contains("refused a port forwarding (direct-tcpip) channel"))
        let remote = try runSSH(
            server.ssh(
                "admin", options: ["-T", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"]))
        #expect(remote.exit.status == 255)
        #expect(remote.stderr.contains("remote port forwarding failed"), "\(remote.stderr)")
        #expect(server.log.contains("refused port forwarding (tcpip-forward)"))
        #expect(server.sessionFolders().isEmpty, "no console was started")
        server.stop()
    }

    /// The session over `--max-sessions`, or over one address's share, is told why in one
    /// line and closed; the first session goes on.
    @Test(arguments: [
        ("--max-sessions", "already has its 1 sessions"),
        ("--max-sessions-per-address", "your address already has its 1 sessions"),
    ])
    func theSessionOverALimitIsToldWhyAndClosed(_ flag: String, _ message: String) throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20", flag, "1"])
        let first = try server.visit("admin")
        try first.waitFor(text: "admin (admin)")
        let second = try server.visit("viewer")
        try second.waitFor(text: message)
        try second.waitFor(text: "ssh exited 1")
        try first.send("q")
        try first.waitFor(text: "ssh exited 0")
        server.stop()
    }

    @Test func anIdleVisitorIsHungUpAndToldWhy() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(
            decom, arguments: ["--demo", "--devices", "20", "--idle-timeout", "2"])
        let tmux = try server.visit("admin")
        try tmux.waitFor(text: "admin (admin)")
        try tmux.waitFor(text: "without a keystroke", timeout: 30)
        try tmux.waitFor(text: "ssh exited 129")
        #expect(SSHServer.eventually { server.sessionFolders().isEmpty })
        server.stop()
    }

    @Test func aConnectionThatDoesNotLogInIsClosed() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--login-timeout", "1"])
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(server.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(connected == 0)
        // Say nothing; read the server's banner, then wait (at most 20 s) for the close.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var closed = false
        while true {
            let count = read(socket, &buffer, buffer.count)
            if count == 0 { closed = true }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("SSH-2.0-"))
        #expect(closed, "the server closed the silent connection")
        #expect(server.log.contains("no login and session within 1 s"))
        // Logged in, but no session (ssh -N): closed too.
        let noSession = try runSSH(server.ssh("admin", options: ["-N"]))
        #expect(noSession.exit.status == 255, "\(noSession.stderr)")
        server.stop()
    }

    @Test func aLoginNameWithEscapesReachesNoLogAndNoScreen() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        let tmux = try server.visit("ev\u{1B}[31mil")
        try tmux.waitFor(text: "visitor (admin)")
        let colours = try tmux.screen(escapes: true)
        for shown in ["evil", "ev\u{1B}", "ev^["] {
            #expect(!colours.contains(shown), "the name is not shown, raw or made visible")
        }
        try tmux.send("q")
        try tmux.waitFor(text: "ssh exited 0")
        #expect(server.log.contains("user=visitor role=admin"))
        #expect(!server.log.contains("\u{1B}"), "no escape in the log")
        server.stop()
    }

    @Test func aVisitorWhoVanishesLeavesNoConsoleAndNoFolder() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        let tmux = try server.visit("admin")
        try tmux.waitFor(text: "admin (admin)")
        let consoles = server.children()
        #expect(consoles.count == 1)
        // kill -9 of the ssh client, the child of the pane's shell.
        let shell = try #require(try tmux.panePID())
        let ssh = try #require(SSHServer.children(of: shell).first)
        kill(ssh, SIGKILL)
        #expect(SSHServer.eventually { server.children().isEmpty }, "the console ended")
        #expect(SSHServer.eventually { server.sessionFolders().isEmpty }, "its folder removed")
        // The session's end is logged after its console is reaped and its folder removed.
        #expect(
            SSHServer.eventually { server.log.contains("exit=129") },
            "the console got SIGHUP:\n\(server.log)")
        server.stop()
    }

    @Test func sigtermHangsUpEveryConsoleAndLeavesNothing() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let server = try SSHServer(decom, arguments: ["--demo", "--devices", "20"])
        let first = try server.visit("admin")
        let second = try server.visit("viewer")
        try first.waitFor(text: "admin (admin)")
        try second.waitFor(text: "viewer (viewer)")
        let consoles = server.children()
        #expect(consoles.count == 2)
        #expect(server.sessionFolders().count == 2)

        #expect(server.stop().status == 0, "the server exits 0:\n\(server.log)")
        #expect(
            server.log.contains("stopping: no new sessions; hanging up 2 open sessions"),
            "\(server.log)")
        for pid in consoles {
            #expect(kill(pid, 0) == -1 && errno == ESRCH, "console \(pid) is gone")
        }
        #expect(server.allFolders().isEmpty, "no session folder or spare fleet is left")
        try first.waitFor(text: "ssh exited 129")
        try second.waitFor(text: "ssh exited 129")
    }

    @Test func aHostKeyMadeByOpenSSHIsUsedAndAnEncryptedOneRefused() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let made = try makeKey(decom, "ssh_host_ed25519_key")
        let keygen = try Spawn.run(["ssh-keygen", "-l", "-f", made])
        let fingerprint = try #require(keygen.stdout.split(separator: " ").dropFirst().first)
        let server = try SSHServer(decom, arguments: ["--demo"])
        server.stop()
        #expect(server.stdout.contains("host key read at"), "\(server.stdout)")
        #expect(server.stdout.contains(String(fingerprint)), "ssh-keygen's key, as it reads it")

        let locked = decom.home.appendingPathComponent("locked_key").path
        let lockedMade = try Spawn.run([
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", locked,
        ])
        #expect(lockedMade.exit.status == 0)
        let refused = try decom.run(
            ["serve-ssh", "--demo", "--listen", "127.0.0.1:0", "--host-key", locked], useDB: false)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("no passphrase"), "\(refused.stderr)")
    }

    @Test func theVisitorBenchmarkReportsEveryFigure() throws {
        let script = DecomProcess.packageRoot.appendingPathComponent("Benchmarks/ssh-visitors.py")
        let run = try Spawn.run([
            "timeout", "300", "python3", script.path, "--decom", DecomProcess.binary, "--visitors",
            "2",
            "--devices", "50", "--keys", "3", "--json",
        ])
        #expect(run.exit.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for name in ["first_frame", "keystroke"] {
            let figure = try #require(report[name] as? [String: Any], "no \(name)")
            #expect((figure["median"] as? Double ?? 0) > 0 && figure["worst"] is Double)
            #expect(figure["target"] is Double)
        }
        let memory = try #require(report["memory_kib"] as? [String: Any])
        #expect((memory["server"] as? Int ?? 0) > 0)
        #expect(memory["consoles"] as? Int == 2)
        #expect(report["ssh_exit_statuses"] as? [Int] == [0])
        #expect(report["server_exit_status"] as? Int == 0)
    }

    @Test func theHostKeyIsKeptAcrossRestartsAndAReadableOneIsRefused() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let first = try SSHServer(decom, arguments: ["--demo"])
        first.stop()
        let fingerprint = try #require(
            first.stdout.range(of: #"SHA256:[A-Za-z0-9+/]+"#, options: .regularExpression).map {
                String(first.stdout[$0])
            })
        let second = try SSHServer(decom, arguments: ["--demo"])
        second.stop()
        #expect(second.stdout.contains(fingerprint), "the same key after a restart")
        let keygen = try Spawn.run(["ssh-keygen", "-l", "-f", first.hostKey])
        #expect(keygen.stdout.contains(fingerprint), "OpenSSH reads the key file: \(keygen)")

        chmod(first.hostKey, 0o644)
        let refused = try decom.run(
            ["serve-ssh", "--demo", "--listen", "127.0.0.1:0", "--host-key", first.hostKey],
            useDB: false)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("may be read by group or others"), "\(refused.stderr)")
    }
}
