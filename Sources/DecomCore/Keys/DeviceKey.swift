import Foundation

/// How a device is named on the command line, in a key file, or in a bulk request.
///
/// - `42`: the id, pattern `^[1-9]\d*$` (seed 001), within 64 bits.
/// - `~label`: the label (seed 002).
/// - `{"id": 42}`: the id as seed 002's JSON key (parsed by ``KeyList``).
/// - `mac:00:0c:29:cd:c7:b2`: a MAC address (seed 004): six groups of two hex digits with `:`
///   or `-` between them, three groups of four with `.` (Cisco's `001a.2b3c.4d5e`), or twelve
///   bare hex digits; any case; kept normalized.
/// - `hwid:12ds44f5gacd52234`: a hardware id (seed 004).
/// - `serial:C02XK1ZZJGH5`: a serial number.
/// - `ext:7d2c1a52-…`: the device's id in the MDM it was imported from (issue 14), in any
///   source; `ext:fleet:31` (or `intune:`, `jamf:`) in that source only, since two MDMs may
///   both number their devices from 1.
///
/// A serial or HWID is any text that import accepts for it (``identifierProblem(_:)``):
/// `serial:VMware-56 4d 2a` as one argument, or quoted as in the query language,
/// `serial:"VMware-56 4d 2a"` (inside the quotes `\"` is a quote and `\\` a backslash).
/// Keys, queries and import share these parsers, so that what one accepts the others do.
public enum DeviceKey: Sendable, Hashable, CustomStringConvertible {
    case id(Int64)
    case label(String)
    case mac(String)
    case hwid(String)
    case serial(String)
    /// An MDM's id of the device, in one source (`fleet`, `intune`, `jamf`) or any.
    case external(source: String?, id: String)

    /// The sources an `ext:` key may name before the id.
    public static let externalSources = ["fleet", "intune", "jamf"]

    /// The key in the form `parse` reads back.
    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .label(let label): "~" + label
        case .mac(let mac): "mac:" + mac
        case .hwid(let hwid): "hwid:" + hwid
        case .serial(let serial): "serial:" + serial
        case .external(let source, let id): "ext:" + (source.map { $0 + ":" } ?? "") + id
        }
    }

    /// Parses one key written as text. Never traps: what does not parse is a ``KeyError``
    /// that says what was wrong.
    public static func parse(_ text: String) -> Result<DeviceKey, KeyError> {
        if text.isEmpty { return .failure(KeyError("empty key")) }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(KeyError("key contains a control character"))
        }
        if text.first == "~" { return parseLabel(String(text.dropFirst())) }
        if let rest = text.strippingPrefix("mac:") { return parseMAC(rest) }
        if let rest = text.strippingPrefix("hwid:") {
            return parseIdentifier(rest, kind: "hwid").map(DeviceKey.hwid)
        }
        if let rest = text.strippingPrefix("serial:") {
            return parseIdentifier(rest, kind: "serial").map(DeviceKey.serial)
        }
        if let rest = text.strippingPrefix("ext:") { return parseExternal(rest) }
        if text.first == "{" {
            return .failure(
                KeyError("JSON keys belong in a key list, one per line or in a JSON array"))
        }
        return parseID(text)
    }

    /// Parses an id: `^[1-9]\d*$` and within 64 bits.
    public static func parseID(_ text: String) -> Result<DeviceKey, KeyError> {
        if text.isEmpty { return .failure(KeyError("id is empty")) }
        guard let first = text.unicodeScalars.first, ("1"..."9").contains(first),
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
        else {
            if text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                return .failure(
                    KeyError("id '\(text)' has a leading zero; ids match ^[1-9][0-9]*$"))
            }
            return .failure(
                KeyError(
                    "'\(text)' is not a key: use an id (42), ~label, mac:…, hwid:…, serial:… or ext:…"
                ))
        }
        guard let id = Int64(text) else {
            return .failure(KeyError("id '\(text)' is too large"))
        }
        return .success(.id(id))
    }

    /// An MDM's id after `ext:`, optionally after its source (`ext:jamf:101`): text as a
    /// serial is (``identifierProblem(_:)``), quoted when it holds spaces.
    public static func parseExternal(_ text: String) -> Result<DeviceKey, KeyError> {
        var source: String?
        var rest = text
        for known in externalSources {
            if let after = text.strippingPrefix(known + ":") {
                source = known
                rest = after
            }
        }
        return parseIdentifier(rest, kind: "ext").map { .external(source: source, id: $0) }
    }

    /// Labels: a letter or digit, then letters, digits, `.`, `_` or `-`, at most 128 in all.
    public static func parseLabel(_ text: String) -> Result<DeviceKey, KeyError> {
        if text.isEmpty { return .failure(KeyError("label after '~' is empty")) }
        guard isLabel(text) else {
            return .failure(
                KeyError(
                    "label '\(text)' may hold only letters, digits, '.', '_' and '-' (at most 128)"
                ))
        }
        return .success(.label(text))
    }

    /// Whether a string is a valid label (without the `~`).
    public static func isLabel(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 128, isAlnum(scalars[0]) else { return false }
        return scalars.allSatisfy { isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// How a MAC address may be written, for messages.
    public static let macForms =
        "six groups of two hex digits (00:0c:29:cd:c7:b2 or 00-0c-29-cd-c7-b2), three of four (000c.29cd.c7b2) or twelve digits (000c29cdc7b2)"

    /// MAC addresses: six groups of two hex digits joined by `:` or `-` (the same throughout),
    /// three groups of four joined by `.` (Cisco), or twelve hex digits; normalized to lower
    /// case with colons.
    public static func parseMAC(_ text: String) -> Result<DeviceKey, KeyError> {
        guard let normalized = normalizeMAC(text) else {
            return .failure(KeyError("MAC address '\(text)' must be \(macForms)"))
        }
        return .success(.mac(normalized))
    }

    /// The normalized form of a MAC address (`00:0c:29:cd:c7:b2`), or nil when it is not one.
    /// The one MAC parser of keys, import and queries.
    public static func normalizeMAC(_ text: String) -> String? {
        if isNormalMAC(text) { return text }
        let lower = text.lowercased()
        var groups: [Substring]
        if lower.contains(":") {
            groups = lower.split(separator: ":", omittingEmptySubsequences: false)
        } else if lower.contains("-") {
            groups = lower.split(separator: "-", omittingEmptySubsequences: false)
        } else if lower.contains(".") {
            let quads = lower.split(separator: ".", omittingEmptySubsequences: false)
            guard quads.count == 3, quads.allSatisfy({ $0.count == 4 }) else { return nil }
            groups = quads.flatMap { [$0.prefix(2), $0.dropFirst(2)] }
        } else {
            guard lower.count == 12 else { return nil }
            groups = []
            var rest = Substring(lower)
            while !rest.isEmpty {
                groups.append(rest.prefix(2))
                rest = rest.dropFirst(2)
            }
        }
        guard groups.count == 6,
            groups.allSatisfy({ $0.count == 2 && $0.unicodeScalars.allSatisfy(isHex) })
        else { return nil }
        return groups.joined(separator: ":")
    }

    /// Whether a text is already a normalized MAC address (six lowercase hex pairs and
    /// colons), as every address the store or the demo fleet holds is: checked byte by byte,
    /// since a seed of 10,000,000 devices normalizes 15,000,000 of them.
    private static func isNormalMAC(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count == 17 else { return false }
            for (index, byte) in bytes.enumerated() {
                let fits =
                    index % 3 == 2
                    ? byte == 0x3A : (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
                guard fits else { return false }
            }
            return true
        } ?? false
    }

    /// The most characters a serial or HWID may hold.
    public static let identifierLimit = 256

    /// Why a text cannot be a serial or HWID, or nil when it can: it must not be empty, hold
    /// more than ``identifierLimit`` characters, start or end with a space, or hold a control
    /// character (C0, DEL, C1) or an invisible format character (bidi controls, zero-width
    /// spaces and joiners: Unicode's Cf). The one rule of import and keys: every serial or
    /// HWID that import accepts can be named as a key, and reads the same on every screen.
    public static func identifierProblem(_ text: String) -> String? {
        let scalars = text.unicodeScalars
        if scalars.isEmpty { return "is empty" }
        if scalars.count > identifierLimit { return "is longer than \(identifierLimit) characters" }
        if scalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "holds a control character"
        }
        if scalars.contains(where: { $0.properties.generalCategory == .format }) {
            return "holds an invisible format character"
        }
        if scalars.first?.properties.isWhitespace == true
            || scalars.last?.properties.isWhitespace == true
        {
            return "starts or ends with a space"
        }
        return nil
    }

    /// A serial or HWID after `serial:` or `hwid:`: as it stands, or quoted.
    private static func parseIdentifier(_ text: String, kind: String) -> Result<String, KeyError> {
        var value = text
        if text.first == "\"" {
            guard let unquoted = unquote(text) else {
                return .failure(
                    KeyError(
                        "\(kind) \(text) has an unbalanced quote: write \(kind):\"text with spaces\""
                    ))
            }
            value = unquoted
        }
        if value.isEmpty { return .failure(KeyError("\(kind) after '\(kind):' is empty")) }
        if let problem = identifierProblem(value) {
            return .failure(KeyError("\(kind) '\(value)' \(problem)"))
        }
        return .success(value)
    }

    /// The text between a pair of double quotes that spans the whole of `text`, with `\"`
    /// and `\\` read as a quote and a backslash; nil when the quotes do not balance.
    private static func unquote(_ text: String) -> String? {
        var out = ""
        var chars = text.dropFirst().makeIterator()
        while let c = chars.next() {
            switch c {
            case "\\":
                guard let next = chars.next() else { return nil }
                if next != "\"" && next != "\\" { out.append(c) }
                out.append(next)
            case "\"":
                return chars.next() == nil ? out : nil
            default:
                out.append(c)
            }
        }
        return nil
    }

    private static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    private static func isHex(_ s: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(s) || ("a"..."f").contains(s)
    }
}

/// Why a key did not parse, in words for the admin.
public struct KeyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension String {
    func strippingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
