import DecomCore
import Foundation

/// Writing to standard output and reading the admin's answers.
package enum Output {
    package static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Standard output as a ``ByteStream``: its chunks (64 KiB) go out through `write(2)` as
    /// they fill, so a long listing is never one string in memory. Call `flush()` at the end.
    package static func stream() -> ByteStream {
        ByteStream { bytes in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Foundation.write(
                        STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset
                    )
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }

    package static func error(_ text: String) {
        FileHandle.standardError.write(Data(("decom: " + safeMessage(text) + "\n").utf8))
    }

    /// A message for standard error or a usage text, safe for a terminal whoever wrote it
    /// (decom or swift-argument-parser, which quotes arguments as they came): each command
    /// line argument that holds a control character is shown through `SafeText.visible`
    /// (its line feeds as `^J` too), then every line of the message.
    package static func safeMessage(
        _ message: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) -> String {
        var text = message
        for argument in arguments
        where argument.unicodeScalars.contains(where: SafeText.needsEscape) {
            text = text.replacingOccurrences(of: argument, with: SafeText.visible(argument))
        }
        return SafeText.visibleLines(text)
    }

    package static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    package static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Writes `value` as one of decom's JSON documents (``Documents/text(_:pretty:)``).
    package static func json(_ value: some Encodable) throws {
        write(try Documents.text(value) + "\n")
    }

    /// Relative age for a table: `3m`, `5h`, `3d`, `5w`, `2y`; `never` for no date.
    package static func age(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "never" }
        let seconds = max(0, now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "now"
        case ..<3600: return "\(Int(seconds / 60))m"
        case ..<86_400: return "\(Int(seconds / 3600))h"
        case ..<(14 * 86_400): return "\(Int(seconds / 86_400))d"
        case ..<(365 * 86_400): return "\(Int(seconds / (7 * 86_400)))w"
        default: return "\(Int(seconds / (365 * 86_400)))y"
        }
    }

    /// ISO 8601 in UTC to the second, as `Date.formatted(.iso8601)` writes it, without the
    /// formatter: its first use loads the calendar and ICU's time zones, a third of `show`'s
    /// own work (``ISODate``).
    package static func iso(_ date: Date?) -> String {
        guard let date else { return "" }
        return ISODate.text(date)
    }

    /// Asks for a line on the terminal; nil at end of input.
    package static func ask(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }
}
