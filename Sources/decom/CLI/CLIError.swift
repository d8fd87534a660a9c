/// A command that was wrong as asked (a bad option value, an unreadable file, a bad query):
/// the message goes to standard error, nothing changed, and the exit code is 2.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Some items of the request were not done; each was reported. Exit code 1.
struct PartialFailure: Error, CustomStringConvertible {
    var description: String { "" }
}
