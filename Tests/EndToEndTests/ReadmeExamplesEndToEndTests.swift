import Foundation
import Testing

/// Every example of the README's `sh` blocks, run in order by bash on the demo fleet
/// (`decom seed --devices 2000`, the fleet `make demo` shows), does what its comment says
/// (issue 15). An example that is neither checked here nor excluded with its reason fails the
/// test, as does a check whose example left the README.
@Suite struct ReadmeExamplesEndToEndTests {
    struct Example: CustomStringConvertible {
        var command: String
        var comment: String?
        var line: Int
        var description: String { "README.md:\(line): \(command)" }
    }

    /// What ran: exit status and output, and a way to run more commands in the same sandbox.
    struct Ran {
        var status: Int32
        var stdout: String
        var stderr: String
        var run: (String) throws -> Ran

        /// The `data` array of a command's JSON answer.
        func data(_ command: String) throws -> [[String: Any]] {
            let result = try run(command)
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return (object as? [String: Any])?["data"] as? [[String: Any]] ?? []
        }
    }

    /// Examples that are not run, by how they start, and why.
    static let excluded: [(prefix: String, reason: String)] = [
        ("make demo", "opens the console: needs a terminal (ConsoleEndToEndTests)"),
        ("make test", "runs every test, this one included"),
        ("swift build", "the tests run the binary already built"),
        ("decom serve-ssh", "a server that runs until stopped (SSHEndToEndTests)"),
        ("ssh ", "needs the SSH server above (SSHEndToEndTests)"),
        ("cat > decom_authorized_keys", "the keys file of the SSH server above (SSHEndToEndTests)"),
        ("decom serve-http", "a server that runs until stopped (HTTP*EndToEndTests)"),
        ("curl ", "needs the HTTP server above (HTTP*EndToEndTests)"),
    ]

    static func isUTC(_ text: Any?, before limit: Date) -> Bool {
        guard let text = text as? String, let date = ISO8601DateFormatter().date(from: text)
        else { return false }
        return date < limit
    }

    /// What each example's comment promises, by its command as written.
    static let checks: [String: @Sendable (Ran) throws -> [String]] = [
        "decom list compliant:no status:in_service": { ran in
            let rows = try ran.data("decom list compliant:no status:in_service --format json")
            return ran.status != 0 || rows.isEmpty
                ? ["no devices: \(ran.stderr)"]
                : rows.compactMap {
                    let verdict = ($0["compliance"] as? [String: Any])?["verdict"] as? String
                    return verdict == "non_compliant"
                        && $0["client_status"] as? String == "IN_SERVICE"
                        ? nil
                        : "device \($0["id"] ?? "?") is \(verdict ?? "?"), \($0["client_status"] ?? "?")"
                }
        },
        "decom list 'seen:>90d -compliant:yes'": { ran in
            let rows = try ran.data("decom list 'seen:>90d -compliant:yes' --format json")
            let limit = Date().addingTimeInterval(-90 * 86_400)
            return ran.status != 0 || rows.isEmpty
                ? ["no devices: \(ran.stderr)"]
                : rows.compactMap {
                    let verdict = ($0["compliance"] as? [String: Any])?["verdict"] as? String
                    return verdict != "compliant" && isUTC($0["last_seen"], before: limit)
                        ? nil
                        : "device \($0["id"] ?? "?") seen \($0["last_seen"] ?? "never"), \(verdict ?? "?")"
                }
        },
        "decom list 'status:available,in_service enrolled:<2025-01-01'": { ran in
            let query = "'status:available,in_service enrolled:<2025-01-01'"
            let rows = try ran.data("decom list \(query) --format json")
            var problems = ran.status != 0 || rows.isEmpty ? ["no devices: \(ran.stderr)"] : []
            for row in rows
            where !["AVAILABLE", "IN_SERVICE"].contains(row["client_status"] as? String ?? "") {
                problems.append("device \(row["id"] ?? "?") is \(row["client_status"] ?? "?")")
            }
            // Enrolled before 2025: the enrollment date is in `decom show`.
            if let id = rows.first?["id"] as? Int {
                let shown = try ran.run("decom show \(id) --format json").stdout
                let object = try JSONSerialization.jsonObject(with: Data(shown.utf8))
                let device = (object as? [String: Any])?["data"] as? [String: Any]
                let enrolled = (device?["mdm"] as? [String: Any])?["enrollment_date"]
                let limit = ISO8601DateFormatter().date(from: "2025-01-01T00:00:00Z") ?? Date()
                if !isUTC(enrolled, before: limit) {
                    problems.append("device \(id) enrolled \(enrolled ?? "never")")
                }
            }
            return problems
        },
        "decom list 'os:windows -device_status:active' --format json": { ran in
            let object = try JSONSerialization.jsonObject(with: Data(ran.stdout.utf8))
            let rows = (object as? [String: Any])?["data"] as? [[String: Any]] ?? []
            return rows.isEmpty
                ? ["no devices: \(ran.stderr)"]
                : rows.compactMap {
                    let os = $0["os_platform"] as? String ?? ""
                    return os.hasPrefix("Windows") && $0["device_status"] as? String != "ACTIVE"
                        ? nil : "device \($0["id"] ?? "?"): \(os), \($0["device_status"] ?? "?")"
                }
        },
        "decom list --archived 'archived:>30d' --sort last_seen --desc": { ran in
            let rows = try ran.data(
                "decom list --archived 'archived:>30d' --sort last_seen --desc --format json")
            let seen = rows.compactMap { $0["last_seen"] as? String }
            var problems = ran.status != 0 || rows.isEmpty ? ["no devices: \(ran.stderr)"] : []
            if seen != seen.sorted(by: >) { problems.append("not last seen first: \(seen)") }
            if rows.contains(where: { $0["client_status"] as? String != "ARCHIVED" }) {
                problems.append("a device that is not archived")
            }
            return problems
        },
        "decom delete 12 13 14": { ran in
            ran.status == 0 && ran.stdout.hasPrefix("Archived 3 devices")
                ? [] : ["not three archived: \(ran.stdout)\(ran.stderr)"]
        },
        "decom undo": { ran in
            ran.status == 0 && ran.stdout.hasPrefix("Restored 3 devices")
                ? [] : ["not three restored: \(ran.stdout)\(ran.stderr)"]
        },
        "decom delete --dry-run --hard ~lt-par-3": { ran in
            let still = try ran.run("decom show '~lt-par-3'")
            return ran.status == 0 && ran.stdout.contains("would purge 1 device")
                && ran.stdout.contains("Nothing changed") && still.status == 0
                ? [] : ["not a harmless dry run: \(ran.stdout)\(ran.stderr)\(still.stderr)"]
        },
        "decom delete --hard --bulk --yes 15 16": { ran in
            let gone =
                try ran.run("decom show 15").status != 0 && ran.run("decom show 16").status != 0
            return ran.status == 0 && ran.stdout.hasPrefix("Purged 2 devices") && gone
                ? [] : ["not two purged: \(ran.stdout)\(ran.stderr)"]
        },
        "decom list compliant:no --format json | jq -r '.data[].id' | decom delete -": { ran in
            ran.status == 1 && ran.stdout.hasPrefix("Archived ") && ran.stdout.contains("forbidden")
                ? []
                : ["not archived with some left, exit 1: \(ran.status) \(ran.stdout.prefix(300))"]
        },
        "decom token create --user ci-bot --role operator --expires 90d": tokenPrinted,
        "decom token create --user ci-bot --role operator": tokenPrinted,
        "decom token list": { ran in
            let header = ran.stdout.split(separator: "\n").first ?? ""
            let words = ["ID", "USER", "ROLE", "CREATED", "EXPIRES", "STATE"]
            return ran.status == 0 && words.allSatisfy(header.contains)
                && ran.stdout.contains("ci-bot") ? [] : ["no token listed: \(ran.stdout)"]
        },
        "decom token revoke 1": { ran in
            ran.status == 0 && ran.stdout.contains("revoked") ? [] : ["\(ran.stdout)\(ran.stderr)"]
        },
        "mkdir -p ~/backups": { ran in ran.status == 0 ? [] : [ran.stderr] },
        "decom backup ~/backups/fleet-$(date +%F).sqlite": { ran in
            ran.status == 0 ? [] : ["no backup: \(ran.stderr)"]
        },
        "sqlite3 ~/backups/fleet-$(date +%F).sqlite 'PRAGMA integrity_check'": { ran in
            ran.status == 0 && ran.stdout == "ok\n" ? [] : ["not ok: \(ran.stdout)\(ran.stderr)"]
        },
        ".build/debug/decom --help": { ran in
            ran.status == 0 && ran.stdout.contains("USAGE: decom") ? [] : [ran.stderr]
        },
        "decom --version": { ran in
            ran.status == 0 && ran.stdout.first?.isNumber == true
                ? [] : ["\(ran.stdout)\(ran.stderr)"]
        },
    ]

    static let tokenPrinted: @Sendable (Ran) throws -> [String] = { ran in
        let token = ran.stdout.trimmingCharacters(in: .newlines)
        let hex = token.dropFirst("decom_".count)
        return ran.status == 0 && token.hasPrefix("decom_") && hex.count == 64
            && hex.allSatisfy(\.isHexDigit) && !ran.stdout.dropLast().contains("\n")
            ? [] : ["not one decom_<64 hex> line: \(ran.stdout)"]
    }

    /// The commands of the README's `sh` blocks, a line each (a line ending in `\` goes on;
    /// a here-document is part of its command), with their trailing comments.
    static func examples(_ readme: String) -> [Example] {
        var examples: [Example] = []
        var inBlock = false
        var pending: Example?
        var hereDocument: String?
        for (index, raw) in readme.components(separatedBy: "\n").enumerated() {
            let line = String(raw)
            if line.hasPrefix("```") {
                inBlock = line == "```sh"
                continue
            }
            guard inBlock else { continue }
            if let end = hereDocument {
                pending?.command += "\n" + line
                if line == end, let done = pending {
                    examples.append(done)
                    pending = nil
                    hereDocument = nil
                }
                continue
            }
            var (command, comment) = split(line)
            if var open = pending {
                open.command += " " + command
                open.comment = comment ?? open.comment
                pending = nil
                command = open.command
                comment = open.comment
            }
            guard !command.isEmpty else { continue }
            var example = Example(command: command, comment: comment, line: index + 1)
            if command.hasSuffix("\\") {
                example.command = String(command.dropLast()).trimmingCharacters(in: .whitespaces)
                pending = example
            } else if let range = command.range(of: "<<'") {
                hereDocument = String(command[range.upperBound...].prefix { $0 != "'" })
                pending = example
            } else {
                examples.append(example)
            }
        }
        return examples
    }

    /// A line's command and its comment: a `#` that starts the line or follows two spaces
    /// (the README's examples align their comments; `#` in a URL or `$#` stays).
    static func split(_ line: String) -> (String, String?) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("#") { return ("", String(trimmed.dropFirst())) }
        guard let range = line.range(of: "  #") else { return (trimmed, nil) }
        let comment = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        return (line[..<range.lowerBound].trimmingCharacters(in: .whitespaces), comment)
    }

    @Test func theReadmeExamplesDoWhatTheirCommentsSay() throws {
        let readme = try String(
            contentsOf: DecomProcess.packageRoot.appendingPathComponent("README.md"),
            encoding: .utf8)
        let examples = Self.examples(readme)
        #expect(examples.count > 20, "the README's examples were not found")

        let decom = try DecomProcess()
        defer { decom.remove() }
        // `decom` on the PATH, and `.build/debug/decom` from the folder the examples run in.
        let home = decom.home.path
        let bin = decom.home.appendingPathComponent("bin")
        let build = decom.home.appendingPathComponent(".build/debug")
        for folder in [bin, build] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("decom").path,
                withDestinationPath: DecomProcess.binary)
        }
        var environment = decom.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        func run(_ command: String) throws -> Ran {
            let output = try Spawn.run(
                ["bash", "-c", "cd \(Tmux.quote(home)) && " + command], environment: environment)
            return Ran(
                status: output.exit.status, stdout: output.stdout, stderr: output.stderr, run: run)
        }
        // The demo fleet: what `make demo` and `decom demo` generate.
        #expect(try run("decom seed --devices 2000 --seed 1").status == 0)

        var checked: Set<String> = []
        for example in examples {
            if let exclusion = Self.excluded.first(where: { example.command.hasPrefix($0.prefix) })
            {
                _ = exclusion.reason
                continue
            }
            guard let check = Self.checks[example.command] else {
                Issue.record("\(example): no check for this example (add one, or exclude it)")
                continue
            }
            checked.insert(example.command)
            for problem in try check(try run(example.command)) {
                Issue.record("\(example) (# \(example.comment ?? "no comment")): \(problem)")
            }
        }
        for stale in Set(Self.checks.keys).subtracting(checked).sorted() {
            Issue.record("a check for an example the README no longer has: \(stale)")
        }
    }
}
