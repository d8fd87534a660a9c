import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty fleet database (and its folders).",
        discussion: """
            Only init, seed, import and demo create a database; every other command needs
            one to be there. A database that is already a fleet is left as it is.
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        let path = try common.databasePath()
        let existed = FileManager.default.fileExists(atPath: path)
        let store = try common.openStore(.fill)
        let count = try store.read { try $0.deviceCount(scope: .all) }
        let shown = SafeText.visible(store.path)
        if existed && count > 0 {
            Output.write(
                "\(shown) is already a fleet database (\(count) device\(count == 1 ? "" : "s")); nothing changed.\n"
            )
        } else {
            Output.write(
                "Fleet database ready at \(shown). Add devices with decom import or decom seed.\n")
        }
    }
}
