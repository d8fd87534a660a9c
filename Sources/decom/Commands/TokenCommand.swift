import ArgumentParser
import DecomCommandLine
import DecomConsole
import DecomCore
import DecomStore
import Foundation

/// `decom token create|list|revoke`: API tokens for the network front end (issue 13). Only
/// parses and prints; who may and what a token is are ``TokenAuthority``'s.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (admin only).",
        discussion: """
            A token is printed once, when created; the database keeps only its SHA-256,
            with the user and role it acts as. Only an admin (the local role) manages
            tokens.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token and print it (once).",
            usage: """
                decom token create --user <user> --role <role> [--expires <age>]
                [--db <db>]
                """,
            discussion: """
                The acting (local) role comes from $DECOM_ROLE or the config file, else admin:
                --role here is the token's. Example:
                  decom token create --user ci-bot --role operator --expires 90d
                """)

        @Option(
            name: .long,
            help: "The fleet database (default: $DECOM_DB, else $XDG_DATA_HOME/decom/fleet.sqlite)."
        )
        var db: String?
        @Option(help: "Who acts with the token, as recorded in history and audit.") var user: String
        @Option(help: "The token's role: viewer, operator or admin.") var role: String
        @Option(
            parsing: .unconditional,
            help: "How long the token is valid (e.g. 90d, 12h, 2w; default: until revoked).")
        var expires: String?

        func run() throws {
            guard let tokenRole = Role(rawValue: role.lowercased()) else {
                throw CLIError(
                    "unknown role '\(SafeText.visible(role))': use viewer, operator or admin")
            }
            var lifetime: TimeInterval?
            if let expires {
                do {
                    lifetime = try DurationParser.parse(expires)
                } catch {
                    throw CLIError("--expires: \(SafeText.visible("\(error)"))")
                }
                // A token that is expired when it is made is a mistake, not a credential.
                if let lifetime, lifetime <= 0 {
                    throw CLIError(
                        "--expires: '\(SafeText.visible(expires))' would expire the token at once; give a lifetime such as 90d or 12h"
                    )
                }
            }
            // The acting user and role as every command has them, but --role is the token's.
            let common = try CommonOptions.parse(db.map { ["--db", $0] } ?? [])
            let actor = try common.actor()
            let store = try common.openStore(.write)
            let created = try TokenAuthority(store: store).create(
                user: user, role: tokenRole, lifetime: lifetime, by: actor)
            let record = created.record
            let until = record.expiresAt.map { "until \(Output.iso($0))" } ?? "until revoked"
            // On standard error, so that standard output is the token alone for a script.
            let note =
                "Token \(record.id) for \(SafeText.visible(record.user)) (\(record.role.rawValue)), valid \(until). It is shown only now: keep it secret.\n"
            FileHandle.standardError.write(Data(note.utf8))
            Output.write(created.token + "\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List tokens: id, user, role, dates and state (never a token).")

        @OptionGroup var common: CommonOptions

        func run() throws {
            let store = try common.openStore(.read)
            let tokens = try TokenAuthority(store: store).list(by: try common.actor())
            guard !tokens.isEmpty else {
                Output.write("No API tokens.\n")
                return
            }
            let now = Date()
            var t = TextTable([
                .init(title: "ID", maxWidth: 8, rightAligned: true),
                .init(title: "USER", maxWidth: 22), .init(title: "ROLE", maxWidth: 8),
                .init(title: "CREATED", maxWidth: 20), .init(title: "EXPIRES", maxWidth: 20),
                .init(title: "LAST USED", maxWidth: 20), .init(title: "STATE", maxWidth: 8),
            ])
            for token in tokens {
                t.append([
                    String(token.id), token.user, token.role.rawValue, Output.iso(token.createdAt),
                    token.expiresAt.map { Output.iso($0) } ?? "never",
                    token.lastUsedAt.map { Output.iso($0) } ?? "never",
                    token.state(at: now).rawValue,
                ])
            }
            Output.write(t.render())
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token: it is refused from now on.",
            usage: "decom token revoke <id> [options]")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The token's id (see decom token list).") var id: Int64

        func run() throws {
            let store = try common.openStore(.write)
            try TokenAuthority(store: store).revoke(id: id, by: try common.actor())
            Output.write("Token \(id) revoked.\n")
        }
    }
}
