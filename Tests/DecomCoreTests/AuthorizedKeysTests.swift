import Testing

@testable import DecomCore

struct AuthorizedKeysTests {
    let key = "AAAAC3NzaC1lZDI1NTE5AAAAIHLAC/h2QaG/XkAjDB7drggGYD0+rmzI1kktmzat5mKt"

    func problem(_ text: String) -> String? {
        do {
            _ = try AuthorizedKeys.parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func eachLineNamesItsRoleAndUser() throws {
        let text = """
            # the fleet's admins
            decom-role="operator",decom-user="ops1" ssh-ed25519 \(key) laptop of ops1

            decom-user="ann.admin",decom-role="admin" ssh-ed25519 \(key)
            """
        let keys = try AuthorizedKeys.parse(text)
        #expect(keys.entries.count == 2)
        #expect(keys.entries[0].role == .operator)
        #expect(keys.entries[0].user == "ops1")
        #expect(keys.entries[0].keyData == key)
        #expect(keys.entries[0].line == 2)
        #expect(keys.entries[1].role == .admin)
        #expect(keys.entries[1].user == "ann.admin")
    }

    @Test func aLineWithoutRoleOrUserIsRefused() {
        #expect(problem("ssh-ed25519 \(key)")?.contains("line 1: no decom-role") == true)
        #expect(
            problem(#"decom-role="admin" ssh-ed25519 \#(key)"#)?.contains("no decom-user") == true)
    }

    @Test func unknownOptionsRolesUsersAndKeyTypesAreRefused() {
        #expect(
            problem(#"from="10.0.0.1",decom-role="admin",decom-user="a" ssh-ed25519 \#(key)"#)?
                .contains("unknown option 'from'") == true)
        #expect(
            problem(#"decom-role="root",decom-user="a" ssh-ed25519 \#(key)"#)?
                .contains("unknown role 'root'") == true)
        #expect(
            problem(#"decom-role="admin",decom-user="a b" ssh-ed25519 \#(key)"#)?
                .contains("decom-user 'a b'") == true)
        #expect(
            problem(#"decom-role="admin",decom-user="a" ssh-rsa \#(key)"#)?
                .contains("ssh-rsa' is not supported") == true)
        #expect(
            problem(#"decom-role="admin,decom-user="a" ssh-ed25519 \#(key)"#) != nil,
            "an unclosed quote")
    }
}
