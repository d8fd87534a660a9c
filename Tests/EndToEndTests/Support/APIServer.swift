import Foundation
import Glibc
import Testing

/// A `decom serve-http` for one test, on 127.0.0.1 at the port it chose (`--listen
/// 127.0.0.1:0` prints the URL), over the sandbox's fleet; requests go to it with curl, real
/// HTTP over loopback as an admin's script would send them.
/// Requests may be sent from several threads at once: each runs a curl of its own.
final class APIServer: @unchecked Sendable {
    let decom: DecomProcess
    let child: Spawn.Child
    let url: String
    let output: String
    let errors: String
    private var stopped = false

    init(
        _ decom: DecomProcess, arguments: [String] = [], environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        self.decom = decom
        let run = UUID().uuidString.prefix(8)
        output = decom.home.appendingPathComponent("http-\(run).out").path
        errors = decom.home.appendingPathComponent("http-\(run).err").path
        child = try Spawn.start(
            [DecomProcess.binary, "serve-http", "--db", decom.db, "--listen", "127.0.0.1:0"]
                + arguments, environment: decom.environment.merging(environment) { $1 },
            stdout: output, stderr: errors)
        guard let found = Spawn.firstMatch(#"https?://127\.0\.0\.1:\d+"#, inFile: output) else {
            child.kill(SIGKILL)
            child.wait()
            let err = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            Issue.record(
                "serve-http printed no URL; stderr: \(err)", sourceLocation: sourceLocation)
            throw Tmux.WaitTimeout()
        }
        url = found
    }

    deinit {
        if !stopped {
            child.kill(SIGKILL)
            child.wait()
        }
    }

    /// What the server printed: its URL line on standard output, its request log on error.
    var stdout: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    var log: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }

    /// SIGTERM, then its exit.
    @discardableResult
    func stop() -> Spawn.Exit {
        child.kill(SIGTERM)
        stopped = true
        return child.wait()
    }

    /// SIGTERM without waiting; ``waitForExit()`` then gives the exit.
    func terminate() {
        child.kill(SIGTERM)
        stopped = true
    }

    /// The exit of a server told to stop.
    @discardableResult
    func waitForExit() -> Spawn.Exit { child.wait() }

    /// SIGKILL, then its exit (a crash as far as the database can tell).
    @discardableResult
    func kill() -> Spawn.Exit {
        child.kill(SIGKILL)
        stopped = true
        return child.wait()
    }

    /// One HTTP exchange as curl saw it.
    struct Reply: CustomStringConvertible {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: String

        /// The body parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
        }

        /// The body as a JSON object.
        func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            try #require(
                try json() as? [String: Any], "not a JSON object: \(body)",
                sourceLocation: sourceLocation)
        }

        var description: String { "\(status) \(body)" }
    }

    /// `method path` with a bearer `token` (when given), extra `headers` and a `body`
    /// (sent as application/json unless `headers` says otherwise).
    func request(
        _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:],
        body: String? = nil
    ) throws -> Reply {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "decom-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerFile = folder.appendingPathComponent("headers").path
        let bodyFile = folder.appendingPathComponent("body").path
        var argv = [
            "curl", "-sS", "--max-time", "60", "-X", method, "-D", headerFile, "-o", bodyFile,
            "-w", "%{http_code}",
        ]
        if let token { argv += ["-H", "Authorization: Bearer \(token)"] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            argv += ["-H", "\(name): \(value)"]
        }
        if let body {
            let input = folder.appendingPathComponent("input").path
            try Data(body.utf8).write(to: URL(fileURLWithPath: input))
            if headers.keys.first(where: { $0.lowercased() == "content-type" }) == nil {
                argv += ["-H", "Content-Type: application/json"]
            }
            argv += ["--data-binary", "@" + input]
        }
        argv.append(url + path)
        let run = try Spawn.run(argv)
        guard let status = Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)),
            status > 0
        else {
            throw Spawn.Failed(description: "curl \(method) \(path): \(run.stderr)")
        }
        var headerTable: [String: String] = [:]
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        for line in headerText.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headerTable[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let text = String(
            decoding: FileManager.default.contents(atPath: bodyFile) ?? Data(), as: UTF8.self)
        return Reply(status: status, headers: headerTable, body: text)
    }
}

extension DecomProcess {
    /// `decom token create --user USER --role ROLE`'s token text.
    func token(user: String, role: String, arguments: [String] = []) throws -> String {
        let made = try run(
            ["token", "create", "--user", user, "--role", role, "--db", db] + arguments,
            useDB: false)
        let range = try #require(
            made.stdout.range(of: #"decom_[0-9a-f]{64}"#, options: .regularExpression),
            "no token in: \(made.stdout) \(made.stderr)")
        return String(made.stdout[range])
    }
}
