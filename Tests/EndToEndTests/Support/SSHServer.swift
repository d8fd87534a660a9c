import Foundation
import Glibc
import Testing

/// A `decom serve-ssh` for one test: on 127.0.0.1, on the port it chose (`--listen
/// 127.0.0.1:0` prints it), with its host key and its session folders (its TMPDIR) in the
/// test's sandbox, so a test sees every folder a session leaves.
final class SSHServer {
    let decom: DecomProcess
    let child: Spawn.Child
    let port: Int
    let sessions: URL
    let output: String
    let errors: String
    private var stopped = false

    var hostKey: String { decom.home.appendingPathComponent("ssh_host_ed25519_key").path }

    init(
        _ decom: DecomProcess, arguments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        self.decom = decom
        sessions = decom.home.appendingPathComponent("sessions")
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        let run = UUID().uuidString.prefix(8)
        output = decom.home.appendingPathComponent("server-\(run).out").path
        errors = decom.home.appendingPathComponent("server-\(run).err").path
        var environment = decom.environment
        environment["TMPDIR"] = sessions.path
        child = try Spawn.start(
            [
                DecomProcess.binary, "serve-ssh", "--listen", "127.0.0.1:0", "--host-key",
                decom.home.appendingPathComponent("ssh_host_ed25519_key").path,
            ] + arguments, environment: environment, stdout: output, stderr: errors)
        let line = Spawn.firstMatch(
            #"listening on 127\.0\.0\.1:\d+"#, inFile: output, timeout: 30)
        guard let found = line.flatMap({ Int($0.split(separator: ":").last ?? "") }) else {
            child.kill(SIGKILL)
            child.wait()
            let err = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            Issue.record(
                "serve-ssh printed no port; stderr: \(err)", sourceLocation: sourceLocation)
            throw Tmux.WaitTimeout()
        }
        port = found
    }

    deinit {
        if !stopped {
            child.kill(SIGKILL)
            child.wait()
        }
    }

    /// What the server printed on standard output and standard error.
    var stdout: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    var log: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }

    /// SIGTERM, then its exit.
    @discardableResult
    func stop() -> Spawn.Exit {
        child.kill(SIGTERM)
        stopped = true
        return child.wait()
    }

    /// The session folders that exist now (not the spare demo fleets made ahead).
    func sessionFolders() -> [URL] {
        allFolders().filter { !$0.lastPathComponent.contains("-spare-") }
    }

    /// Every folder the server made: sessions' and spare fleets'.
    func allFolders() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sessions.path)) ?? []
        return names.filter { $0.hasPrefix("decom-ssh-") }.sorted().map {
            sessions.appendingPathComponent($0)
        }
    }

    /// The demo databases inside the session folders.
    func demoDatabases() -> [String] {
        var found: [String] = []
        for folder in sessionFolders() {
            let walker = FileManager.default.enumerator(atPath: folder.path)
            while let path = walker?.nextObject() as? String {
                if path.hasSuffix(".sqlite") {
                    found.append(folder.appendingPathComponent(path).path)
                }
            }
        }
        return found
    }

    /// The server's consoles: its children running `decom console` or `decom demo` (not the
    /// `decom seed` of a spare fleet).
    func children() -> [pid_t] {
        Self.children(of: child.pid).filter { pid in
            let argv = (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data())
                .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return argv.count > 1 && ["console", "demo"].contains(argv[1])
        }
    }

    /// The processes whose parent is `parent`.
    static func children(of parent: pid_t) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8)
            else { return nil }
            let line = status.split(separator: "\n").first { $0.hasPrefix("PPid:") }
            let value = line?.split(separator: "\t").last.flatMap { pid_t($0) }
            return value == parent ? pid : nil
        }
    }

    /// The ssh command line for `name@127.0.0.1`, as a visitor types it.
    func ssh(_ name: String, options: [String] = []) -> [String] {
        [
            "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
            "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-p", String(port),
        ] + options + ["\(name)@127.0.0.1"]
    }

    /// `ssh -tt ... name@127.0.0.1` in a tmux terminal; the pane prints `ssh exited N` after.
    func visit(
        _ name: String, options: [String] = [], width: Int = 120, height: Int = 40
    ) throws -> Tmux {
        let command = ssh(name, options: ["-tt"] + options).map(Tmux.quote).joined(separator: " ")
        return try Tmux(
            command: command + "; echo \"ssh exited $?\"", width: width, height: height,
            environment: ["HOME": decom.home.path, "TERM": "xterm-256color"])
    }

    /// Waits until the condition holds, for at most `timeout` seconds.
    static func eventually(timeout: TimeInterval = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }
}
