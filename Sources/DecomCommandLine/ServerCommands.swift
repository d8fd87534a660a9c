import ArgumentParser
import Foundation

/// The two network front ends' names and help, shared by the commands that serve
/// (`decom-server`) and the `decom` commands that start them: `decom serve-ssh` and `decom
/// serve-http` run `decom-server`, installed beside `decom`, so that the CLI's own binary
/// carries neither SwiftNIO, swift-nio-ssh nor Hummingbird (issue 16: every CLI command paid
/// for their protocol conformances and relocations at start, about 1 ms).
package enum ServerCommands {
    package static let serveSSH = CommandConfiguration(
        commandName: "serve-ssh",
        abstract:
            "Serve the console over SSH: a demo fleet per visitor, or the fleet to listed keys.",
        usage: """
            decom serve-ssh (--demo | --authorized-keys <file> [--db <db>])
            [--listen <host:port>] [--host-key <file>] [limits]
            """,
        discussion: """
            --demo: every session gets a fresh generated fleet in its own temporary
            database, removed when it ends; anyone may log in, and the login name chooses
            the role (viewer@, operator@, admin@; any other name: admin).
            --authorized-keys FILE: the fleet database (--db) for the keys listed in FILE,
            one a line, each naming its user and role:
              decom-role="operator",decom-user="ops1" ssh-ed25519 AAAA... comment
            """)

    package static let serveHTTP = CommandConfiguration(
        commandName: "serve-http",
        abstract: "Serve the fleet over HTTP: decom's API and each seed vendor's endpoints.",
        usage: """
            decom serve-http [--listen <host:port>] [--db <db>]
            [--tls-cert <file> --tls-key <file>]
            [--rate-limit <n>] [--max-body <bytes>]
            """,
        discussion: """
            Every request needs an API token (decom token create --user NAME --role ROLE);
            it acts as the token's user and role, whatever the request says.
            The native API is under /api/v1 (its OpenAPI document: /api/v1/openapi.json);
            the seeds' endpoints under /compat/<vendor>/. SIGTERM or Ctrl-C lets running
            requests finish, then exits 0. One line per request goes to standard error;
            tokens never appear in it.
            """)
}

/// Where this binary and its installed siblings are.
package enum Executable {
    /// This very binary's path, from `/proc/self/exe`.
    /// - Throws: ``CLIError`` when the link cannot be read.
    package static func path() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { throw CLIError("cannot find the decom binary (/proc/self/exe)") }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The binary `name` in this binary's folder (`decom` and `decom-server` are built and
    /// installed side by side).
    /// - Throws: ``CLIError`` naming the path looked at when it is not there or may not be run.
    package static func sibling(_ name: String) throws -> String {
        let own = try path()
        let folder = own.lastIndex(of: "/").map { String(own[..<$0]) } ?? "."
        let sibling = folder + "/" + name
        guard access(sibling, X_OK) == 0 else {
            throw CLIError(
                "\(name) is not beside \(own) (looked for \(sibling)): it is built and installed with decom (make install)"
            )
        }
        return sibling
    }

    /// Replaces this process with `decom-server <command> <arguments...>`: its PID, its
    /// standard streams and its signals are the server's. Returns only by throwing.
    /// - Throws: ``CLIError`` when `decom-server` is missing or cannot be run.
    package static func runServer(_ command: String, _ arguments: [String]) throws -> Never {
        let server = try sibling("decom-server")
        let argv = ["decom-server", command] + arguments
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        execv(server, pointers)
        let reason = String(cString: strerror(errno))
        throw CLIError("cannot run \(server): \(reason)")
    }
}
