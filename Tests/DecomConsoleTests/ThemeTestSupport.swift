import DecomTestSupport
import Foundation

@testable import DecomConsole

/// The shipped `Themes/` folder, found from this file's place in the source tree.
enum ThemeFixtures {
    static let themesFolder: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes").path

    static let shippedNames = ["default", "light", "high-contrast", "solarized-dark", "mono"]

    static var shippedCatalog: ThemeCatalog {
        ThemeCatalog(searchPaths: [.init(path: themesFolder, origin: .sourceTree)])
    }

    /// A fresh temporary folder, removed by the caller with `cleanUp`.
    static func temporaryFolder() throws -> String {
        try TestFolders.make("theme-tests").path
    }

    static func write(_ text: String, to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func problems(_ text: String) -> [FileProblem] {
        switch ThemeFile.parse(text: text, source: "t.yaml") {
        case .success: []
        case .failure(let problems): problems.problems
        }
    }
}
