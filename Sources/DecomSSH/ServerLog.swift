import DecomCore
import Foundation

/// The server's log: one line per event on standard error, control characters made visible.
struct ServerLog: Sendable {
    func write(_ message: String) {
        FileHandle.standardError.write(
            Data(("decom serve-ssh: " + SafeText.visible(message) + "\n").utf8))
    }
}
