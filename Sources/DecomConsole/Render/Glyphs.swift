/// The characters that carry meaning on screen, in Unicode or, when the locale is not UTF-8,
/// in ASCII. Each state has its own character so the screen reads without colour.
struct Glyphs: Sendable {
    let unicode: Bool
    let mark: String
    let cursor: String
    let pass: String
    let fail: String
    let unknown: String
    let ellipsis: String
    let separator: String
    let ascending: String
    let descending: String
    let horizontal: String
    let vertical: String
    let topLeft: String
    let topRight: String
    let bottomLeft: String
    let bottomRight: String
    let progressDone: String
    let progressTodo: String

    init(unicode: Bool) {
        self.unicode = unicode
        if unicode {
            mark = "●"
            cursor = "▸"
            pass = "✓"
            fail = "✗"
            unknown = "?"
            ellipsis = "…"
            separator = "·"
            ascending = "↑"
            descending = "↓"
            horizontal = "─"
            vertical = "│"
            topLeft = "┌"
            topRight = "┐"
            bottomLeft = "└"
            bottomRight = "┘"
            progressDone = "█"
            progressTodo = "░"
        } else {
            mark = "*"
            cursor = ">"
            pass = "+"
            fail = "x"
            unknown = "?"
            ellipsis = "~"
            separator = "|"
            ascending = "^"
            descending = "v"
            horizontal = "-"
            vertical = "|"
            topLeft = "+"
            topRight = "+"
            bottomLeft = "+"
            bottomRight = "+"
            progressDone = "#"
            progressTodo = "."
        }
    }

    func symbol(_ result: CheckResultSymbol) -> String {
        switch result {
        case .pass: pass
        case .fail: fail
        case .unknown: unknown
        }
    }
}

enum CheckResultSymbol { case pass, fail, unknown }
