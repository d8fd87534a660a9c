import Testing

@testable import DecomCore

struct VisitorNameTests {
    @Test func plainNamesPass() {
        #expect(VisitorName.validated("ops1") == "ops1")
        #expect(VisitorName.validated("ann.admin_2-x") == "ann.admin_2-x")
        #expect(VisitorName.validated(String(repeating: "a", count: 32)) != nil)
    }

    @Test func escapesSpacesOptionsAndLongNamesAreReplaced() {
        for name in [
            "", "a\u{1B}[31mb", "two words", "-role", "--user=x", "é", "a/b", "a\nb",
            String(repeating: "a", count: 33), "x\u{202E}txt",
        ] {
            #expect(VisitorName.validated(name) == nil, "\(name.debugDescription)")
            #expect(VisitorName.safe(name) == VisitorName.replacement)
        }
    }

    @Test func theDemoRoleComesFromTheLoginNameElseAdmin() {
        #expect(VisitorName.demoRole(forLogin: "viewer") == .viewer)
        #expect(VisitorName.demoRole(forLogin: "Operator") == .operator)
        #expect(VisitorName.demoRole(forLogin: "admin") == .admin)
        #expect(VisitorName.demoRole(forLogin: "demo") == .admin)
        #expect(VisitorName.demoRole(forLogin: "viewer ") == .admin)
    }
}
