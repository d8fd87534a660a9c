/// Where each part of the screen goes at a terminal size. Shared by `render` and by `reduce`
/// (which needs the table's height for paging and scrolling).
public struct Layout: Sendable, Hashable {
    public struct Rect: Sendable, Hashable {
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int
    }

    /// The smallest terminal the console draws in: below it only a message shows, and no key
    /// but quit acts (issue 11: no key acts on what is not on the screen).
    public static let minimumWidth = 40
    public static let minimumHeight = 10
    /// From this size every column of the issue and the details pane show; below it the
    /// layout is compact (fewer columns, no details pane), as htop and mc work in small windows.
    public static let fullWidth = 80
    public static let fullHeight = 24
    /// From this width the details pane sits on the right.
    public static let sidePaneWidth = 140

    public let width: Int
    public let height: Int
    public let header: Rect
    public let tableHeader: Rect
    public let tableBody: Rect
    public let details: Rect?
    public let status: Rect
    public let footer: Rect

    public var isTooSmall: Bool {
        width < Self.minimumWidth || height < Self.minimumHeight
    }

    public init(width: Int, height: Int, detailsOpen: Bool) {
        self.width = width
        self.height = height
        header = Rect(x: 0, y: 0, width: width, height: 1)
        footer = Rect(x: 0, y: max(0, height - 1), width: width, height: 1)
        status = Rect(x: 0, y: max(0, height - 2), width: width, height: 1)
        let middle = max(0, height - 3)
        var tableWidth = width
        var tableLines = middle
        // A compact window has no details pane (`ConsoleState.showsDetails`).
        if width < Self.fullWidth || height < Self.fullHeight {
            details = nil
        } else if detailsOpen && width >= Self.sidePaneWidth {
            let paneWidth = max(56, width * 2 / 5)
            tableWidth = width - paneWidth
            details = Rect(x: tableWidth, y: 1, width: paneWidth, height: middle)
        } else if detailsOpen {
            let paneLines = middle / 2
            tableLines = middle - paneLines
            details = Rect(x: 0, y: 1 + tableLines, width: width, height: paneLines)
        } else {
            details = nil
        }
        tableHeader = Rect(x: 0, y: 1, width: tableWidth, height: 1)
        tableBody = Rect(x: 0, y: 2, width: tableWidth, height: max(1, tableLines - 1))
    }
}
