import Yams

/// One problem found in a YAML file (a theme or the config file): where and what.
public struct FileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path or another name for where the text came from.
    public var source: String
    /// Line number starting from 1.
    public var line: Int
    /// Column number starting from 1, when known.
    public var column: Int?
    public var message: String

    public init(source: String, line: Int, column: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE: problem`, the form editors and `decom themes check` use.
    public var description: String { "\(source):\(line): \(message)" }
}

/// Reads YAML text into Yams nodes with the guards every decom file needs: a size limit, a
/// nesting limit checked before Yams sees the text (its composer recurses), and parser errors
/// turned into problems with a line.
enum YAMLInput {
    static let maximumBytes = 256 * 1024
    static let maximumDepth = 32

    /// The document's root node, nil for an empty document, or the problems that stop reading.
    static func compose(text: String, source: String) -> Result<Node?, FileProblems> {
        let size = text.utf8.count
        if size > maximumBytes {
            return .failure(
                FileProblems([
                    FileProblem(
                        source: source, line: 1,
                        message: "file is \(size) bytes; the limit is \(maximumBytes)")
                ]))
        }
        if let (line, message) = prescan(text) {
            return .failure(
                FileProblems([FileProblem(source: source, line: line, message: message)]))
        }
        do {
            // No implicit tags (`Resolver.basic`): every reader takes a scalar's text
            // (`scalarText`, `isNull`), and resolving tags (`Resolver.default`) compiles seven
            // regular expressions through ICU on first use, a few milliseconds of every start.
            return .success(try Yams.compose(yaml: text, .basic))
        } catch let error as YamlError {
            return .failure(FileProblems([problem(from: error, source: source)]))
        } catch {
            return .failure(
                FileProblems([FileProblem(source: source, line: 1, message: "not YAML: \(error)")]))
        }
    }

    private static func problem(from error: YamlError, source: String) -> FileProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return FileProblem(
                source: source, line: mark.line, column: mark.column,
                message: "not YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FileProblem(
                source: source, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return FileProblem(source: source, line: 1, message: "not readable text: \(problem)")
        default:
            return FileProblem(source: source, line: 1, message: "not YAML: \(error)")
        }
    }

    /// Looks for what decom files never need and Yams handles badly before Yams sees the text:
    /// nesting deeper than ``maximumDepth`` (a conservative estimate, line by line, from
    /// indentation levels, dashes, colons and open flow brackets; it may overestimate, never
    /// underestimate) and anchors or aliases (which can make a small file a huge tree).
    /// Returns the first offending line and what is wrong there.
    static func prescan(_ text: String) -> (line: Int, message: String)? {
        var indents: [Int] = []
        var flowDepth = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.utf8
            var index = line.startIndex
            var indent = 0
            while index != line.endIndex, line[index] == UInt8(ascii: " ") {
                indent += 1
                index = line.index(after: index)
            }
            if index == line.endIndex || line[index] == UInt8(ascii: "#")
                || line[index] == UInt8(ascii: "\r")
            {
                continue
            }
            if flowDepth == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var extra = 0
            var peak = flowDepth
            var quote: UInt8?
            var previous = UInt8(ascii: " ")
            var atLineStart = true
            var expectingNode = true
            while index != line.endIndex {
                let byte = line[index]
                let wasExpectingNode = expectingNode
                if quote == nil, byte != UInt8(ascii: " ") { expectingNode = false }
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") {
                    break
                } else if wasExpectingNode, byte == UInt8(ascii: "&") || byte == UInt8(ascii: "*") {
                    return (lineNumber, "anchors and aliases (& and *) are not supported")
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                    atLineStart = false
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    flowDepth += 1
                    atLineStart = false
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    flowDepth = max(0, flowDepth - 1)
                } else if atLineStart, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    extra += 1
                } else if byte != UInt8(ascii: " ") {
                    atLineStart = false
                }
                if quote == nil {
                    let next = line.index(after: index)
                    // A colon opens a mapping only when a space or the line's end follows it.
                    if byte == UInt8(ascii: ":"),
                        next == line.endIndex || line[next] == UInt8(ascii: " ")
                    {
                        extra += 1
                    }
                    if [
                        UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "["), UInt8(ascii: "{"),
                        UInt8(ascii: ","), UInt8(ascii: "?"),
                    ].contains(byte) {
                        expectingNode = true
                    }
                }
                peak = max(peak, flowDepth + extra)
                previous = byte
                index = line.index(after: index)
            }
            if indents.count + peak > maximumDepth {
                return (lineNumber, "nesting deeper than \(maximumDepth) levels")
            }
        }
        return nil
    }

    static func line(of node: Node) -> Int { node.mark?.line ?? 1 }
    static func column(of node: Node) -> Int? { node.mark?.column }

    /// A short name for a node's kind, for "expected … but found …" messages.
    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A scalar's text, or nil when the node is not a scalar.
    static func scalarText(_ node: Node) -> String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// True for a scalar that YAML reads as null (`~`, `null` or nothing).
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
