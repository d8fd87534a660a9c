import ArgumentParser
import DecomCommandLine

/// The network front ends, a binary of their own beside `decom`: `decom serve-ssh` and `decom
/// serve-http` run it (``ServerCommands``). It names itself `decom` so that its help and its
/// messages speak of the commands as the admin typed them.
@main
struct DecomServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decom",
        abstract: "decom's SSH console server and HTTP API (run as decom serve-ssh, serve-http).",
        version: CommandMain.version,
        subcommands: [ServeSSHCommand.self, ServeHTTPCommand.self]
    )

    static func main() { CommandMain.run(DecomServer.self) }
}
