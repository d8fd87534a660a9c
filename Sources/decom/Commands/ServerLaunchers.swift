import ArgumentParser
import DecomCommandLine

/// `decom serve-ssh`: runs `decom-server serve-ssh` with the same arguments (``Executable``).
struct ServeSSHLauncher: ParsableCommand {
    static let configuration = ServerCommands.serveSSH

    @Argument(
        parsing: .captureForPassthrough,
        help: "The server's options (decom serve-ssh --help lists them).")
    var arguments: [String] = []

    func run() throws { try Executable.runServer("serve-ssh", arguments) }
}

/// `decom serve-http`: runs `decom-server serve-http` with the same arguments.
struct ServeHTTPLauncher: ParsableCommand {
    static let configuration = ServerCommands.serveHTTP

    @Argument(
        parsing: .captureForPassthrough,
        help: "The server's options (decom serve-http --help lists them).")
    var arguments: [String] = []

    func run() throws { try Executable.runServer("serve-http", arguments) }
}
