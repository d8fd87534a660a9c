import Foundation
import Testing

/// `make install`'s copying half and `decom --version` (issue 15, "Habits of a terminal
/// program"): an installed binary finds the shipped themes beside it, runs the servers'
/// binary installed beside it, and the shell completions are there.
@Suite struct InstallEndToEndTests {
    @Test func anInstalledBinaryFindsItsThemesAndCompletions() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let prefix = decom.home.appendingPathComponent("prefix").path
        let made = try Spawn.run(
            [
                "make", "-s", "-C", DecomProcess.packageRoot.path, "install-files",
                "PREFIX=\(prefix)", "BIN=\(DecomProcess.binary)",
            ], environment: ProcessInfo.processInfo.environment)
        #expect(made.exit.status == 0, "\(made.stdout) \(made.stderr)")
        let installed = prefix + "/bin/decom"
        let version = try Spawn.run([installed, "--version"], environment: decom.environment)
        #expect(version.exit.status == 0)
        #expect(
            version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil,
            "\(version.stdout)")
        let themes = try Spawn.run([installed, "themes"], environment: decom.environment)
        let shipped = try FileManager.default.contentsOfDirectory(
            atPath: DecomProcess.packageRoot.appendingPathComponent("Themes").path
        ).filter { $0.hasSuffix(".yaml") }
        #expect(!shipped.isEmpty)
        for file in shipped {
            #expect(
                themes.stdout.contains("installed: \(prefix)/share/decom/Themes/\(file)"),
                "\(file):\n\(themes.stdout)")
        }
        // The servers are decom-server, installed beside decom, which runs it: a bad
        // address is refused by the server's own check, and a decom without it says so.
        let serve = try Spawn.run(
            [installed, "serve-http", "--listen", "nowhere"], environment: decom.environment)
        #expect(serve.exit.status == 2)
        #expect(serve.stderr == "decom: --listen 'nowhere' is not HOST:PORT\n", "\(serve.stderr)")
        let alone = decom.home.appendingPathComponent("alone").path
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: installed, toPath: alone + "/decom")
        let missing = try Spawn.run(
            [alone + "/decom", "serve-ssh", "--demo"], environment: decom.environment)
        #expect(missing.exit.status == 2)
        #expect(
            missing.stderr.contains("decom-server is not beside \(alone)/decom")
                && missing.stderr.contains("make install"), "\(missing.stderr)")
        for completion in [
            "share/bash-completion/completions/decom", "share/zsh/site-functions/_decom",
            "share/fish/vendor_completions.d/decom.fish",
        ] {
            let text = try String(contentsOfFile: prefix + "/" + completion, encoding: .utf8)
            #expect(text.contains("serve-http") && text.contains("delete"), "\(completion)")
        }
    }
}
