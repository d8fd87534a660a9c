import DecomTestSupport
import Foundation
import Testing

/// Everywhere input enters decom: a bad key, query, import file, theme, config or database
/// gives exit code 2 (or `invalid_key` items in a list), a message, and no change, checked by
/// comparing `decom export` before and after.
@Suite struct BadInputEndToEndTests {
    static let badKeys = [
        "007", "-5", "+5", "123456789012345678901234567890", "~has space", "~ctl\u{01}x",
        "~", "mac:00:11:22:33:44", "mac:00:11:22:33:44:55:66", "mac:zz:11:22:33:44:55", "hwid:",
        "serial:", "", "{\"id\": 5}", "4 2",
    ]

    @Test func malformedKeys() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        for key in Self.badKeys {
            let shown = try decom.run(["show", key])
            #expect(shown.status == 2, "show '\(key)'")
            // A key starting with '-' is taken for an option, and an empty one is missing.
            if !key.hasPrefix("-") && !key.isEmpty {
                #expect(shown.stderr.contains("invalid key"), "show '\(key)': \(shown.stderr)")
            }
            #expect(RawControl.first(in: shown.stderr) == nil, "the message shows the key safely")
        }
        let deleted = try decom.run(
            ["delete", "--format", "json", "--"] + Self.badKeys.filter { !$0.isEmpty })
        #expect(deleted.status == 1)
        let items = try #require(try deleted.json()["result"] as? [[String: Any]])
        #expect(items.allSatisfy { $0["outcome"] as? String == "invalid_key" }, "\(items)")
        let json = try decom.run(
            ["delete", "-", "--hard", "--bulk", "--yes", "--format", "json"],
            stdin: #"[{"id": true}, {"id": 5.5}, {"name": "x"}, "007", null, [1]]"#)
        #expect(json.status == 1)
        let jsonItems = try #require(try json.json()["result"] as? [[String: Any]])
        #expect(jsonItems.count == 6)
        #expect(jsonItems.allSatisfy { $0["outcome"] as? String == "invalid_key" }, "\(jsonItems)")
        #expect(try decom.export() == before, "nothing changed")
    }

    @Test func malformedQueries() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        for query in [
            "colour:red", "name:\"open", "status:", "compliant:maybe", "-", "status:bogus",
        ] {
            for command in [["list", query], ["list", query, "--format", "json"]] {
                let listed = try decom.run(command)
                #expect(listed.status == 2, "\(command)")
                #expect(!listed.stderr.isEmpty && listed.stdout.isEmpty, "\(command)")
            }
        }
    }

    @Test func malformedImportFiles() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        let base = #""client_status": "AVAILABLE", "mdm": null"#
        let files: [(String, Data)] = [
            (
                "wrong types",
                Data(#"[{"id": "seven", \#(base)}, {"id": 21, "client_status": 5}]"#.utf8)
            ),
            ("a boolean id", Data(#"[{"id": true, \#(base)}]"#.utf8)),
            ("missing required", Data(#"[{"id": 21, "name": "x"}]"#.utf8)),
            (
                "missing mdm.status",
                Data(#"[{"id": 21, "client_status": "AVAILABLE", "mdm": {"id": 3}}]"#.utf8)
            ),
            (
                "unknown enum",
                Data(#"[{"id": 21, "client_status": "LOST_IN_SPACE", "mdm": null}]"#.utf8)
            ),
            ("duplicate ids", Data(#"[{"id": 21, \#(base)}, {"id": 21, \#(base)}]"#.utf8)),
            ("an id already present", Data(#"[{"id": 1, \#(base)}]"#.utf8)),
            (
                "duplicate serials",
                Data(
                    #"[{"id": 21, "serial_number": "S1", \#(base)}, {"id": 22, "serial_number": "S1", \#(base)}]"#
                        .utf8)
            ),
            ("one good, one bad", Data(#"[{"id": 21, \#(base)}, {"id": 22}]"#.utf8)),
            (
                "a NUL and a line break in a name",
                Data(#"[{"id": 21, "name": "a\u0000b\nc", \#(base)}]"#.utf8)
            ),
            (
                "invalid UTF-8",
                Data(#"[{"id": 21, "name": "a"#.utf8) + Data([0xFF, 0xC3, 0x28])
                    + Data(#"", \#(base)}]"#.utf8)
            ),
            ("an object", Data(#"{"id": 21}"#.utf8)),
            ("empty", Data()),
            ("CSV with a bad row", Data("id,client_status\n21,AVAILABLE\n22\n".utf8)),
            (
                "CSV with an unknown column",
                Data("id,client_status,colour\n21,AVAILABLE,red\n".utf8)
            ),
            ("deep nesting", Data((String(repeating: "[", count: 100_000)).utf8)),
        ]
        var bytes = 0
        for (what, data) in files {
            let path = decom.home.appendingPathComponent("bad.json").path
            try data.write(to: URL(fileURLWithPath: path))
            let imported = try decom.run(["import", path])
            #expect(imported.status == 2, "\(what): \(imported.stderr)")
            #expect(!imported.stderr.isEmpty, "\(what): a message")
            #expect(!imported.stderr.contains("^J"), "\(what): one problem a line")
            if what == "wrong types" {
                let lines = imported.stderr.split(separator: "\n")
                #expect(
                    lines.count == 4
                        && lines.dropFirst().dropLast().allSatisfy { $0.hasPrefix("  record ") })
                #expect(lines.last == "0 added, 0 updated, 0 unchanged, 2 refused.")
            }
            bytes += data.count
        }
        // 50 MB of garbage: printable noise behind a '[', then raw random bytes.
        var random = SeededRandom(seed: SeededRandom.seed(0xBAD))
        for printable in [true, false] {
            var garbage = [UInt8](repeating: 0, count: 50 * 1_024 * 1_024)
            garbage.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in words.indices { words[i] = random.next() }
            }
            if printable {
                for i in garbage.indices { garbage[i] = 0x20 + garbage[i] % 0x5F }
                garbage[0] = UInt8(ascii: "[")
            }
            let path = decom.home.appendingPathComponent("garbage.bin").path
            try Data(garbage).write(to: URL(fileURLWithPath: path))
            let imported = try decom.run(["import", path])
            #expect(imported.status == 2, "50 MB of garbage: \(imported.stderr.prefix(300))")
            #expect(imported.stderr.utf8.count < 10_000, "the message stays short")
            bytes += garbage.count
        }
        #expect(try decom.export() == before, "nothing was imported")
        Stress.record("bytes_checked", bytes)
    }

    @Test func malformedThemeAndConfigFiles() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        let deep = (0..<300).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(
            separator: "\n")
        let themes = [
            "name: 5\nstyles: [1, 2]\n",
            "styles:\n  header: {fg: 3.5, bg: true, attrs: blink}\n",
            "name: x\ncolours: {}\nstyles:\n  headr: {fg: red}\n",
            "styles: " + String(repeating: "[", count: 5_000) + "\n",
            "styles:\n" + deep + "\n",
            "name: [unclosed\n",
        ]
        for text in themes {
            let path = decom.home.appendingPathComponent("bad-theme.yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let checked = try decom.run(["themes", "check", path], useDB: false)
            #expect(checked.status == 2, "theme \(text.prefix(60)): \(checked.stdout)")
            #expect(!(checked.stdout + checked.stderr).isEmpty, "a message")
        }
        let configs = [
            "role: 5\n", "role: root\n", "colour: red\n", "user: [a, b]\n", "db: {path: x}\n",
            "theme:\n" + deep + "\n", "role: " + String(repeating: "[", count: 5_000) + "\n",
            "\u{1B}]0;pwned\u{07}: x\n",
        ]
        let folder = decom.home.appendingPathComponent("config/decom")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config.yaml")
        for text in configs {
            try Data(text.utf8).write(to: config)
            for command in [
                ["list"], ["delete", "1", "--yes"], ["delete", "--hard", "--yes", "6"],
            ] {
                // `list --db` needs nothing of the config; without --db it reads the db path.
                let result = try decom.run(command, useDB: command != ["list"])
                #expect(result.status == 2, "config \(text.prefix(40)) / \(command)")
                #expect(result.stderr.contains("config"), "\(result.stderr)")
                #expect(RawControl.first(in: result.stderr) == nil, "\(result.stderr)")
            }
        }
        try FileManager.default.removeItem(at: config)
        #expect(try decom.export() == before, "nothing changed")
    }

    /// A negative number given to a numeric option is its value, refused by the option's range
    /// (swift-argument-parser read it as an option, and said the value was missing); a server
    /// that cannot listen names the address and why, both servers alike (they printed the
    /// socket call's own text).
    @Test func negativeNumbersAndUnusableAddressesAreSaidPlainly() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        // A server that did listen would run on: `timeout` ends it, and the test fails.
        let bounded = { (arguments: [String]) in
            try Spawn.run(
                ["timeout", "20", DecomProcess.binary] + arguments,
                environment: decom.environment)
        }
        for (arguments, message) in [
            (["seed", "--devices", "-5", "--db", decom.db], "--devices must be between 1 and"),
            (["history", "--limit", "-1", "--db", decom.db], "--limit must be at least 1"),
            (["serve-ssh", "--demo", "--devices", "-5"], "--devices must be between 1 and"),
            (
                ["serve-http", "--rate-limit", "-1", "--db", decom.db],
                "--rate-limit must be between"
            ),
            (
                ["purge", "--archived-before", "-1d", "--db", decom.db],
                "--archived-before: '-1d' is not a duration: a duration has no sign"
            ),
            (
                ["token", "create", "--user", "x", "--role", "viewer", "--expires", "-5d"],
                "--expires"
            ),
        ] {
            let result = try bounded(arguments)
            #expect(result.exit.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("decom: " + message), "\(arguments): \(result.stderr)")
        }
        // A port another program holds.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && listen(holder, 1) == 0
                    && getsockname(holder, $0, &length) == 0
            }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let busy =
            "decom: 127.0.0.1:\(port) is in use by another program: choose another --listen\n"
        for arguments in [
            ["serve-ssh", "--demo", "--spare-fleets", "0", "--listen", "127.0.0.1:\(port)"],
            ["serve-http", "--db", decom.db, "--listen", "127.0.0.1:\(port)"],
        ] {
            let result = try bounded(arguments)
            #expect(result.exit.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr == busy, "\(arguments): \(result.stderr)")
        }
        // An address this machine does not have (TEST-NET-1, RFC 5737).
        for arguments in [
            ["serve-ssh", "--demo", "--spare-fleets", "0", "--listen", "192.0.2.1:2222"],
            ["serve-http", "--db", decom.db, "--listen", "192.0.2.1:8080"],
        ] {
            let result = try bounded(arguments)
            #expect(result.exit.status == 2, "\(arguments): \(result.stderr)")
            #expect(
                result.stderr.contains("192.0.2.1 is not an address of this machine"),
                "\(arguments): \(result.stderr)")
        }
        #expect(try decom.export() == before)
    }

    /// Options before the command are read as the console's, the command as an argument it
    /// does not take: the parser's message is followed by the order that works.
    @Test func optionsBeforeTheCommandAreShownWhereTheyGo() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let listed = try decom.run(["--db", decom.db, "list", "id:2"], useDB: false)
        #expect(listed.status == 2)
        #expect(
            listed.stderr.hasSuffix(
                "decom: options go after the command: decom list id:2 --db \(decom.db)\n"),
            "\(listed.stderr)")
        let tokens = try decom.run(["--role", "operator", "token", "list"], useDB: false)
        #expect(tokens.status == 2)
        #expect(
            tokens.stderr.hasSuffix(
                "decom: options go after the command: decom token list --role operator\n"),
            "\(tokens.stderr)")
        let hostile = try decom.run(["--db", "x\u{1B}[2J", "list"], useDB: false)
        #expect(hostile.status == 2)
        #expect(!hostile.stderr.contains("\u{1B}"), "\(hostile.stderr)")
        let unknown = try decom.run(["--bogus"], useDB: false)
        #expect(unknown.status == 2 && !unknown.stderr.contains("options go after"))
        // The console's own options are not every command's: no order would work.
        let theme = try decom.run(["--theme", "x", "list"], useDB: false)
        #expect(theme.status == 2 && !theme.stderr.contains("options go after"), "\(theme.stderr)")
    }

    /// A folder given as the database, and a console without a terminal, are said plainly,
    /// each reason once.
    @Test func aFolderAndAMissingTerminalAreSaidPlainly() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let folder = decom.home.path
        let listed = try decom.run(["list", "--db", folder], useDB: false)
        #expect(listed.status == 2)
        #expect(
            listed.stderr.contains(
                "\(folder) is a folder: --db and DECOM_DB name the database file"),
            "\(listed.stderr)")
        let console = try decom.run(["console"])
        #expect(console.status == 2)
        #expect(console.stderr.contains("the console needs a terminal"), "\(console.stderr)")
        #expect(
            console.stderr.components(separatedBy: "needs a terminal").count == 2,
            "said once: \(console.stderr)")
    }

    @Test func databasesDecomCannotUse() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let text = decom.home.appendingPathComponent("notes.sqlite")
        let content = Data("not a database, only text\n".utf8)
        try content.write(to: text)
        for command in [
            ["list"], ["delete", "1"], ["import", text.path], ["seed", "--devices", "2"],
        ] {
            let result = try decom.run(command + ["--db", text.path], useDB: false)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("not an SQLite database"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: text) == content, "the file was not touched")
        #expect(!FileManager.default.fileExists(atPath: text.path + "-wal"))

        try decom.checkpoint()
        try SQLiteShell.run(decom.db, "PRAGMA user_version = 99;")
        let archivedBefore = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
        for command in [["list"], ["delete", "1"], ["undo"], ["export"]] {
            let result = try decom.run(command)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("newer decom"), "\(result.stderr)")
        }
        #expect(try SQLiteShell.int(decom.db, "PRAGMA user_version;") == 99)
        #expect(
            try SQLiteShell.int(
                decom.db, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';")
                == archivedBefore)
        #expect(
            try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;") == 1,
            "only the fixture's IMPORT")
    }
}
