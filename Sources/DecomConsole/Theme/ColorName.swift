import Foundation

/// The colour names a theme file may use, and the reverse, for previews and messages.
public enum ColorName {
    /// The 16 ANSI names, in order 0 to 15.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow",
        "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
    ]

    /// Accepted spellings for ANSI colours beyond ``ansiNames``.
    static let aliases: [String: UInt8] = ["gray": 8, "grey": 8]

    /// Reads a colour as written in a theme: `default`, an ANSI name, 0 to 255, or `#rrggbb`.
    /// Palette names are the caller's business. Case-insensitive; nil when not a colour.
    public static func parse(_ text: String) -> Color? {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if word == "default" { return .default }
        if let index = ansiNames.firstIndex(of: word) { return .ansi(UInt8(index)) }
        if let index = aliases[word] { return .ansi(index) }
        if word.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt8(word) {
            return .indexed(number)
        }
        if word.hasPrefix("#") {
            let hex = word.dropFirst()
            guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
            return .rgb(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff))
        }
        return nil
    }

    /// How a theme file would write `color`.
    public static func text(_ color: Color) -> String {
        switch color {
        case .default: "default"
        case .ansi(let index): index < 16 ? ansiNames[Int(index)] : "\(index)"
        case .indexed(let index): "\(index)"
        case .rgb(let r, let g, let b): "#" + [r, g, b].map(hex2).joined()
        }
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }
}

/// The attribute names a theme file may use.
public enum AttributeName {
    public static let all: [(name: String, value: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline),
        ("reverse", .reverse),
    ]

    public static func parse(_ text: String) -> TextAttributes? {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        return all.first { $0.name == word }?.value
    }

    /// The attributes in words, in a fixed order: "bold underline", or "none".
    public static func words(_ attrs: TextAttributes) -> String {
        let names = all.filter { attrs.contains($0.value) }.map(\.name)
        return names.isEmpty ? "none" : names.joined(separator: " ")
    }
}
