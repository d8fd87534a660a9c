import DecomCore
import Foundation
import Testing

/// `decom token create|list|revoke` on the built binary (issue 13): the token is printed
/// once, on standard output alone; `list` never shows it; the database holds only its
/// SHA-256, as sqlite3 sees it; only an admin manages tokens.
@Suite(.serialized) struct TokenEndToEndTests {
    func token(_ decom: DecomProcess, _ args: [String], env: [String: String] = [:]) throws
        -> DecomProcess.Result
    {
        try decom.run(["token"] + args + ["--db", decom.db], env: env, useDB: false)
    }

    /// Every byte of the database's files (the WAL too, should one be left).
    func databaseBytes(_ decom: DecomProcess) -> String {
        [decom.db, decom.db + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test func aTokenIsPrintedOnceAndOnlyItsHashIsKept() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let created = try token(
            decom, ["create", "--user", "ci-bot", "--role", "operator", "--expires", "90d"])
        #expect(created.status == 0, "\(created.stderr)")
        let printed = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed.hasPrefix("decom_") && printed.count == 70, "\(created.stdout)")
        let hexDigits = printed.dropFirst(6).allSatisfy { $0.isHexDigit }
        #expect(hexDigits)
        #expect(created.stderr.contains("Token 1 for ci-bot (operator)"))
        #expect(!created.stderr.contains(printed), "the token is printed once, on stdout")

        let rows = try SQLiteShell.run(
            decom.db, "SELECT id, user, role, hex(hash), expires_at IS NOT NULL FROM api_tokens;")
        let hash = TokenAuthority.hash(printed).map { String(format: "%02X", $0) }.joined()
        #expect(rows == "1|ci-bot|operator|\(hash)|1\n")
        #expect(hash.count == 64)
        let secret = String(printed.dropFirst(6))
        #expect(!databaseBytes(decom).contains(secret), "the token's text is nowhere in the file")
        #expect(
            try SQLiteShell.int(
                decom.db, "SELECT count(*) FROM api_tokens WHERE hash LIKE '%\(secret)%';") == 0)

        let listed = try token(decom, ["list"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("ci-bot") && listed.stdout.contains("operator"))
        #expect(listed.stdout.contains("active"))
        #expect(!listed.stdout.contains(secret) && !listed.stderr.contains(secret))
        #expect(!listed.stdout.contains(String(hash.prefix(16))), "nor its hash")

        let revoked = try token(decom, ["revoke", "1"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(
            try SQLiteShell.int(
                decom.db, "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL;") == 1)
        #expect(try token(decom, ["list"]).stdout.contains("revoked"))
        let again = try token(decom, ["revoke", "9"])
        #expect(again.status == 2 && again.stderr.contains("no API token 9"))
    }

    @Test func onlyAnAdminManagesTokens() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try token(decom, ["create", "--user", "a", "--role", "viewer"]).status == 0)
        let before = try SQLiteShell.run(decom.db, "SELECT * FROM api_tokens;")
        for role in ["viewer", "operator"] {
            let env = ["DECOM_ROLE": role]
            let create = try token(
                decom, ["create", "--user", "b", "--role", "admin"], env: env)
            #expect(create.status == 2, "\(role) create")
            #expect(create.stderr.contains("may not manage API tokens; it needs admin"))
            #expect(create.stdout.isEmpty, "no token printed")
            #expect(try token(decom, ["revoke", "1", "--role", role]).status == 2)
            #expect(try token(decom, ["list", "--role", role]).status == 2)
        }
        #expect(try SQLiteShell.run(decom.db, "SELECT * FROM api_tokens;") == before)
    }

    @Test func badTokenArgumentsAreNamed() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let role = try token(decom, ["create", "--user", "a", "--role", "root"])
        #expect(role.status == 2 && role.stderr.contains("unknown role 'root'"))
        let expires = try token(
            decom, ["create", "--user", "a", "--role", "viewer", "--expires", "soon"])
        #expect(expires.status == 2 && expires.stderr.contains("--expires"))
        for none in ["0d", "0h"] {
            let expired = try token(
                decom, ["create", "--user", "a", "--role", "viewer", "--expires", none])
            #expect(expired.status == 2, "\(none)")
            #expect(expired.stderr.contains("would expire the token at once"), "\(expired.stderr)")
        }
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM api_tokens;") == 0)
    }
}
