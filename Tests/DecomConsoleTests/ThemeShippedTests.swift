import Foundation
import Testing

@testable import DecomConsole

@Suite struct ThemeShippedTests {
    func load(_ name: String) throws -> Theme {
        try ThemeFixtures.shippedCatalog.load(nameOrPath: name).get()
    }

    @Test func theFiveThemesShip() {
        let names = Set(ThemeFixtures.shippedCatalog.entries().map(\.name))
        #expect(names == Set(ThemeFixtures.shippedNames))
    }

    @Test(arguments: ThemeFixtures.shippedNames)
    func loadsAndCoversEveryRole(name: String) throws {
        let theme = try load(name)
        #expect(theme.name == name)
        #expect(Set(theme.styles.keys) == Set(StyleRole.allCases))
    }

    @Test(arguments: ThemeFixtures.shippedNames)
    func writesEveryRoleItself(name: String) throws {
        // Not needed for loading (missing roles come from default), but a shipped theme made
        // for another background must not borrow default's colours by accident.
        let path = ThemeFixtures.themesFolder + "/\(name).yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let file = try ThemeFile.parse(text: text, source: path).get()
        #expect(Set(file.styles.keys) == Set(StyleRole.allCases))
    }

    @Test(arguments: ThemeFixtures.shippedNames)
    func textRolesKeepAAContrast(name: String) throws {
        let theme = try load(name)
        for role in StyleRole.allCases {
            let ratio = Contrast.ratio(of: theme.style(role), appearance: theme.appearance)
            let minimum = role.showsText ? Contrast.minimumTextRatio : Contrast.minimumGraphicRatio
            #expect(ratio >= minimum, "\(name) \(role.rawValue): \(ratio)")
        }
    }

    @Test(arguments: ThemeFixtures.shippedNames)
    func attributesAloneKeepStatesAndVerdictsApart(name: String) throws {
        let plain = try load(name).attributesOnly
        for role in StyleRole.allCases {
            #expect(plain.style(role).fg == .default && plain.style(role).bg == .default)
        }
        for group in Theme.distinctGroups {
            let looks = group.map { plain.style($0) }
            #expect(Set(looks).count == group.count, "\(name): \(group.map(\.rawValue))")
        }
    }

    @Test(arguments: ThemeFixtures.shippedNames)
    func shippedThemesNeedNoFallbackAttributes(name: String) throws {
        let theme = try load(name)
        let dropped = Theme(name: name, styles: theme.styles.mapValues { Style(attrs: $0.attrs) })
        #expect(dropped.styles == theme.attributesOnly.styles)
    }

    @Test func attributesOnlyAddsAttributesWhereColourWasAllThatDiffered() {
        var styles: [StyleRole: Style] = [:]
        for role in StyleRole.allCases { styles[role] = Style(fg: .ansi(1)) }
        let plain = Theme(name: "colour-only", styles: styles).attributesOnly
        #expect(plain.style(.row) == Style())
        #expect(plain.style(.cursorRow) == Style(attrs: .reverse))
        #expect(plain.style(.markedRow) == Style(attrs: .bold))
        #expect(plain.style(.cursorMarkedRow) == Style(attrs: [.bold, .reverse]))
        #expect(plain.style(.archivedRow) == Style(attrs: .dim))
        #expect(plain.style(.nonCompliant) == Style(attrs: [.bold, .reverse]))
        #expect(plain.style(.unknown) == Style(attrs: .underline))
    }

    @Test func builtinDefaultEqualsDefaultYAML() throws {
        #expect(try load("default") == Theme.builtinDefault)
        // Parsed, not recognised (``ThemeCatalog/isShippedDefault(_:)``): the file says what
        // the built-in theme is.
        let path = ThemeFixtures.themesFolder + "/default.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let file = try ThemeFile.parse(text: text, source: path).get()
        #expect(file.inherits == nil)
        #expect(file.applied(to: Theme.builtinDefault, name: "other") == Theme.builtinDefault)
    }

    /// The shipped default is recognised by its bytes, so it is not parsed at start; an edited
    /// copy is parsed as any theme file.
    @Test func theShippedDefaultIsRecognisedAndAnEditIsNot() throws {
        let text = try String(
            contentsOfFile: ThemeFixtures.themesFolder + "/default.yaml", encoding: .utf8)
        #expect(ThemeCatalog.isShippedDefault(text))
        #expect(!ThemeCatalog.isShippedDefault(text.replacingOccurrences(of: "blue", with: "cyan")))
        #expect(!ThemeCatalog.isShippedDefault(text + "\n"))
    }

    @Test func monoHasNoColours() throws {
        let mono = try load("mono")
        #expect(mono == Theme(name: "mono", styles: mono.attributesOnly.styles))
    }

    @Test func readmeNamesEveryRole() throws {
        let readme = try String(
            contentsOfFile: ThemeFixtures.themesFolder + "/README.md", encoding: .utf8)
        for role in StyleRole.allCases {
            #expect(readme.contains("`\(role.rawValue)`"), "README lacks \(role.rawValue)")
        }
    }
}
