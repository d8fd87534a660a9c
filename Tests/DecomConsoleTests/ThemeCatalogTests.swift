import Foundation
import Testing

@testable import DecomConsole

@Suite struct ThemeCatalogTests {
    /// A catalog like decom's: the user's folder under a temporary XDG_CONFIG_HOME, then the
    /// shipped themes.
    func userCatalog(_ xdg: String) -> ThemeCatalog {
        var paths = ThemeCatalog.standardSearchPaths(
            environment: ["XDG_CONFIG_HOME": xdg, "HOME": "/nonexistent"], executablePath: nil)
        paths.removeAll { $0.origin != .user }
        paths.append(.init(path: ThemeFixtures.themesFolder, origin: .sourceTree))
        return ThemeCatalog(searchPaths: paths)
    }

    @Test func userThemeChangesOneRoleAndInheritsTheRest() throws {
        let xdg = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: xdg) }
        try ThemeFixtures.write(
            "name: mine\ninherits: light\nstyles:\n  header: {fg: \"#ffffff\", bg: \"#880000\"}\n",
            to: xdg + "/decom/themes/mine.yaml")
        let catalog = userCatalog(xdg)
        let light = try catalog.load(nameOrPath: "light").get()
        let mine = try catalog.load(nameOrPath: "mine").get()
        #expect(mine.name == "mine")
        #expect(mine.appearance == .light)
        #expect(mine.style(.header) == Style(fg: .rgb(255, 255, 255), bg: .rgb(0x88, 0, 0)))
        for role in StyleRole.allCases where role != .header {
            #expect(mine.style(role) == light.style(role))
        }
        let entry = try #require(catalog.entries().first { $0.name == "mine" })
        #expect(entry.origin == .user)
    }

    @Test func brokenUserThemeNamesFileAndLineAndFallsBack() throws {
        let xdg = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: xdg) }
        let path = xdg + "/decom/themes/broken.yaml"
        try ThemeFixtures.write("name: broken\nstyles:\n  row: {fg: rouge}\n", to: path)
        let catalog = userCatalog(xdg)
        let result = catalog.loadOrDefault(nameOrPath: "broken")
        #expect(result.theme == Theme.builtinDefault)
        let error = try #require(result.error)
        #expect(error.summary.hasPrefix(path + ":3: "))
        #expect(error.summary.contains("unknown colour 'rouge'"))
    }

    @Test func userDefaultMayExtendTheShippedDefault() throws {
        let xdg = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: xdg) }
        try ThemeFixtures.write(
            "inherits: default\nstyles:\n  row: {fg: cyan}\n",
            to: xdg + "/decom/themes/default.yaml")
        let catalog = userCatalog(xdg)
        let theme = try catalog.load(nameOrPath: "default").get()
        #expect(theme.style(.row) == Style(fg: .ansi(6)))
        #expect(theme.style(.header) == Theme.builtinDefault.style(.header))
        let defaults = catalog.entries().filter { $0.name == "default" }
        #expect(defaults.map(\.isShadowed) == [false, true])
    }

    @Test func inheritanceCycleAndUnknownParent() throws {
        let folder = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ThemeFixtures.write("name: a\ninherits: b\n", to: folder + "/a.yaml")
        try ThemeFixtures.write("name: b\n\ninherits: a\n", to: folder + "/b.yaml")
        try ThemeFixtures.write("name: c\ninherits: nowhere\n", to: folder + "/c.yaml")
        let catalog = ThemeCatalog(searchPaths: [.init(path: folder, origin: .custom)])
        guard case .failure(.invalid(let cycle)) = catalog.load(nameOrPath: "a") else {
            Issue.record("expected a cycle")
            return
        }
        #expect(cycle.problems.first?.line == 3)
        #expect(cycle.problems.first?.message.contains("inheritance cycle: a → b → a") == true)
        guard case .failure(.invalid(let unknown)) = catalog.load(nameOrPath: "c") else {
            Issue.record("expected an unknown parent")
            return
        }
        #expect(
            unknown.problems.first?.description == folder
                + "/c.yaml:2: inherits unknown theme 'nowhere'")
    }

    @Test func parentProblemsNameTheParentFile() throws {
        let folder = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ThemeFixtures.write("styles:\n  row: {attrs: [wobbly]}\n", to: folder + "/base.yaml")
        try ThemeFixtures.write("inherits: base\n", to: folder + "/child.yaml")
        let catalog = ThemeCatalog(searchPaths: [.init(path: folder, origin: .custom)])
        guard case .failure(let error) = catalog.load(nameOrPath: "child") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.summary.hasPrefix(folder + "/base.yaml:2: "))
    }

    @Test func loadsByPathAndReportsMissingNames() throws {
        let folder = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ThemeFixtures.write("inherits: ../nothere.yaml\n", to: folder + "/x/child.yaml")
        try ThemeFixtures.write("styles:\n  row: {fg: 42}\n", to: folder + "/plain.yaml")
        let catalog = ThemeFixtures.shippedCatalog
        let plain = try catalog.load(nameOrPath: folder + "/plain.yaml").get()
        #expect(plain.name == "plain")
        #expect(plain.style(.row) == Style(fg: .indexed(42)))
        #expect(plain.style(.header) == Theme.builtinDefault.style(.header))
        guard case .failure(.notFound(let name, _)) = catalog.load(nameOrPath: "nope") else {
            Issue.record("expected not found")
            return
        }
        #expect(name == "nope")
        guard case .failure(.unreadable) = catalog.load(nameOrPath: folder + "/none.yaml") else {
            Issue.record("expected unreadable")
            return
        }
        guard case .failure(.invalid) = catalog.load(nameOrPath: folder + "/x/child.yaml") else {
            Issue.record("expected an unknown parent path")
            return
        }
    }

    @Test func standardSearchPathsPutTheUserFirstAndFindTheSourceTree() {
        let paths = ThemeCatalog.standardSearchPaths(
            environment: ["HOME": "/home/ada"], executablePath: "/nonexistent/bin/decom")
        #expect(paths.first == .init(path: "/home/ada/.config/decom/themes", origin: .user))
        #expect(paths.contains { $0.origin == .sourceTree && $0.path.hasSuffix("/Themes") })
        let xdg = ThemeCatalog.standardSearchPaths(
            environment: ["HOME": "/home/ada", "XDG_CONFIG_HOME": "/cfg/"], executablePath: nil)
        #expect(xdg.first?.path == "/cfg/decom/themes")
    }

    @Test func installedThemesNextToTheBinary() throws {
        let prefix = try ThemeFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        try ThemeFixtures.write("name: shipped\n", to: prefix + "/share/decom/Themes/shipped.yaml")
        try ThemeFixtures.write("", to: prefix + "/bin/decom")
        let paths = ThemeCatalog.standardSearchPaths(
            environment: [:], executablePath: prefix + "/bin/decom")
        #expect(paths.first == .init(path: prefix + "/share/decom/Themes", origin: .installed))
        let catalog = ThemeCatalog(searchPaths: paths)
        #expect(catalog.locate(name: "shipped")?.origin == .installed)
    }

    @Test func selectionPrecedence() {
        let config = ConfigFile(theme: "light")
        #expect(
            ThemeSelection.choose(flag: "mono", environment: ["DECOM_THEME": "x"], config: config)
                == ("mono", .flag))
        #expect(
            ThemeSelection.choose(flag: nil, environment: ["DECOM_THEME": "x"], config: config) == (
                "x", .environment
            ))
        #expect(
            ThemeSelection.choose(flag: "", environment: ["DECOM_THEME": ""], config: config) == (
                "light", .config
            ))
        #expect(
            ThemeSelection.choose(flag: nil, environment: [:], config: nil) == (
                "default", .fallback
            ))
    }
}
