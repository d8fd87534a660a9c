import DecomCore
import Testing

@testable import DecomConsole

@Suite struct ConfigFileTests {
    func problems(_ text: String) -> [FileProblem] {
        switch ConfigFile.parse(text: text, source: "config.yaml") {
        case .success: []
        case .failure(let problems): problems.problems
        }
    }

    @Test func parsesEveryKey() throws {
        let text =
            "# mine\ntheme: solarized-dark\nrole: operator\nuser: ada\ndb: /var/fleet.sqlite\n"
            + "cursor: arrow\nmouse: false\n"
        let config = try ConfigFile.parse(text: text, source: "c").get()
        #expect(
            config
                == ConfigFile(
                    theme: "solarized-dark", role: .operator, user: "ada", db: "/var/fleet.sqlite",
                    cursor: .arrow, mouse: false))
    }

    @Test func mouseIsTrueOrFalse() throws {
        #expect(try ConfigFile.parse(text: "mouse: true\n", source: "c").get().mouse == true)
        #expect(ConfigFile().mouse == nil)
        #expect(
            problems("mouse: off\n").map(\.message) == ["mouse must be true or false, not 'off'"])
    }

    @Test func aLeadingTildeInDbAndThemeIsHome() {
        let config = ConfigFile(theme: "~/themes/mine.yaml", user: "~ada", db: "~/fleet.sqlite")
        let expanded = config.expandingHome(environment: ["HOME": "/home/ada/"])
        #expect(expanded.db == "/home/ada/fleet.sqlite")
        #expect(expanded.theme == "/home/ada/themes/mine.yaml")
        #expect(expanded.user == "~ada")
        let other = ConfigFile(theme: "dark", db: "~ada/fleet.sqlite")
        #expect(other.expandingHome(environment: ["HOME": "/home/ada"]) == other)
        #expect(config.expandingHome(environment: [:]) == config)
    }

    @Test func emptyIsEmpty() throws {
        #expect(try ConfigFile.parse(text: "", source: "c").get() == ConfigFile())
        #expect(try ConfigFile.parse(text: "# nothing\n", source: "c").get() == ConfigFile())
    }

    @Test func problemsNameLineAndKey() {
        let found = problems(
            "theme: light\ncolour: red\nrole: root\nuser: [a]\ndb:\ncursor: block\n")
        #expect(found.map(\.line) == [2, 3, 4, 5, 6])
        #expect(
            found[0].description
                == "config.yaml:2: unknown key 'colour' (expected one of theme, role, user, db, cursor, columns, mouse)"
        )
        #expect(
            found[1].message.contains("role must be one of viewer, operator, admin, not 'root'"))
        #expect(found[2].message == "user must be a text value, found a list")
        #expect(found[3].message == "db must be a text value, found nothing")
        #expect(found[4].message == "cursor must be bar or arrow, not 'block'")
    }

    @Test func notAMappingOrNotYAML() {
        #expect(problems("- theme\n").first?.message.contains("expected a mapping") == true)
        #expect(problems("theme: [\n").first?.message.hasPrefix("not YAML") == true)
    }

    @Test func deepNestingIsAProblem() {
        var text = "theme:\n"
        for depth in 1..<100 { text += String(repeating: "  ", count: depth) + "k\(depth):\n" }
        #expect(problems(text).first?.message.contains("nesting deeper") == true)
        #expect(
            problems("theme: {a: {b: 1}}\n").first?.message
                == "theme must be a text value, found a mapping")
    }

    @Test func defaultPathFollowsXDG() {
        #expect(
            ConfigFile.defaultPath(environment: ["HOME": "/home/ada"])
                == "/home/ada/.config/decom/config.yaml")
        #expect(
            ConfigFile.defaultPath(environment: ["HOME": "/home/ada", "XDG_CONFIG_HOME": "/x"])
                == "/x/decom/config.yaml")
        #expect(
            ConfigFile.defaultPath(environment: [
                "HOME": "/home/ada", "XDG_CONFIG_HOME": "relative",
            ])
                == "/home/ada/.config/decom/config.yaml")
        #expect(ConfigFile.defaultPath(environment: [:]) == nil)
    }
}
