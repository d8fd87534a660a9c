/// A command that was wrong as asked (a bad option value, an unreadable file, a bad query):
/// the message goes to standard error, nothing changed, and the exit code is 2.
package struct CLIError: Error, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Some items of the request were not done; each was reported. Exit code 1.
package struct PartialFailure: Error, CustomStringConvertible {
    package var description: String { "" }
    package init() {}
}
