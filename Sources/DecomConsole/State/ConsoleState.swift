import DecomCore
import Foundation

/// Everything the console shows, as a value: `reduce` changes it, `render` draws it.
///
/// Rows are kept as loaded (ordered by id), as columns (``DeviceRows``); the table shows
/// `view`, positions in `rows` in the sort order and passing the filter. Marks are device ids,
/// so they survive filtering and sorting.
public struct ConsoleState: Sendable {
    // MARK: - Data

    /// Every device of the scope, ordered by id; `rows[i]` makes the row's summary.
    public internal(set) var rows: DeviceRows = []
    /// Positions in `rows`, sorted by `sort` (every row of the scope); 32 bits each, a
    /// million rows in 4 MB.
    var sortedOrder: [Int32] = []
    /// What the table shows: positions in `rows`, sorted and filtered.
    public internal(set) var view: [Int32] = []
    /// The scope `rows` was read for; nil before the first load.
    var rowsScope: ListScope?
    /// Whether the first load has arrived (a first page counts).
    public var loaded: Bool { rowsScope != nil }
    /// While only the first page of the scope is here: how many devices the scope holds, once
    /// counted.
    public internal(set) var pendingTotal: Int?
    /// Whether `rows` holds only the first page of the scope.
    public internal(set) var isPartial = false
    public internal(set) var loadError: String?
    /// Set when a change of this console's (an archive, an undo, a restore) was committed and
    /// its rows are being read again: until they are, the header says the counts are being
    /// updated rather than show the old ones as current.
    public internal(set) var refreshing = false

    // MARK: - Table

    /// Position of the cursor in `view`.
    public internal(set) var cursor = 0
    /// The first shown position of `view`.
    public internal(set) var scroll = 0
    public internal(set) var marks: Set<Int64> = []
    /// The device last marked with Space: where `v` starts its range.
    public internal(set) var anchor: Int64?
    public internal(set) var filter = FilterState()
    /// The find prompt's text and the last find (`f`, `n`, `N`).
    public internal(set) var find = FindState()
    public internal(set) var sort = DeviceSort()
    public internal(set) var scope: ListScope = .active

    // MARK: - Panes and modes

    public internal(set) var detailsOpen = false
    /// How many lines the details pane is scrolled down (`J`/`K`); back to 0 on another row.
    public internal(set) var detailsScroll = 0
    public internal(set) var details: DeviceDetails?
    public internal(set) var mode: Mode = .normal
    public internal(set) var flash: Flash?
    /// The deletion waiting for its plan, while the plan is computed.
    public internal(set) var pending: PendingRequest?
    /// Whether an undo is running.
    public internal(set) var undoing = false
    /// How far the running undo is: devices restored of how many (none before its first
    /// chunk).
    public internal(set) var undoProgress: WorkProgress?
    /// The device the cursor follows across a scope switch (`A`) until the new scope's rows
    /// are all here: kept when the new view has it, else the cursor goes to the top.
    var followID: Int64?
    /// What the running archive, purge, unenroll or undo waits for, while another writer
    /// holds the database.
    public internal(set) var waitingFor: LockWaitStatus?
    public internal(set) var history: [TransactionRecord] = []
    public internal(set) var historyLoaded = false
    /// The filters and the `:` commands entered, kept across runs by the runtime
    /// (``PromptHistoryFile``); Up and Down walk them at their prompt.
    public var filterHistory = PromptHistory()
    public var commandHistory = PromptHistory()

    // MARK: - Context

    public internal(set) var actor: Actor
    public internal(set) var databaseName: String
    public internal(set) var themeName: String
    /// Theme names `:theme` completes.
    public var themeNames: [String]
    /// Whether copies go to the terminal's clipboard (OSC 52); else `y` shows the text in a
    /// dialog (``TerminalCapabilities/clipboard``, set by the runtime).
    public var clipboard = false
    /// How the cursor's row is shown: a bar across the row, or only an arrow in the gutter
    /// (the config's `cursor`, or `:cursor`).
    public var cursorStyle: CursorStyle = .bar
    /// The table's columns, in order (`:columns`, kept across runs by the runtime).
    public var columns = DeviceColumn.standard
    /// What `:columns default` returns to: the config's `columns:`, else the standard set.
    public var defaultColumns = DeviceColumn.standard
    /// Why Ctrl-Z cannot suspend the console, shown when it is pressed; nil when it can. Set
    /// by the runtime: a `decom serve-ssh` session has no shell of the visitor's to return to,
    /// nor has a console that no job-control shell started.
    public var suspendRefusal: String?
    /// The clock, advanced by `.tick`: relative dates and flash expiry read it.
    public internal(set) var now: Date
    /// The terminal size, as last reported: page moves and scrolling read it.
    public internal(set) var viewport = Size(width: 80, height: 24)

    public init(
        actor: Actor, databaseName: String, themeName: String = "default",
        themeNames: [String] = [], now: Date
    ) {
        self.actor = actor
        self.databaseName = databaseName
        self.themeName = themeName
        self.themeNames = themeNames
        self.now = now
    }

    // MARK: - Derived

    /// How many rows the console reads first, so that a big fleet shows at once.
    public static let firstPageSize = 200

    /// The device under the cursor.
    public var cursorRow: DeviceSummary? {
        guard cursor >= 0, cursor < view.count else { return nil }
        return rows[view[cursor]]
    }

    /// The index in `rows` of a device, found by binary search (rows are ordered by id): a
    /// table of a million ids would cost tens of megabytes for the few lookups a load needs.
    func rowIndex(of id: Int64) -> Int? { rows.position(of: id) }

    /// The device shown at a position of the view.
    public func shownRow(_ position: Int) -> DeviceSummary { rows[view[position]] }

    /// Whether the details pane is open and on the screen (a compact window hides it).
    public var showsDetails: Bool {
        Layout(width: viewport.width, height: viewport.height, detailsOpen: detailsOpen)
            .details != nil
    }

    /// How many table lines the current terminal size leaves.
    public var pageHeight: Int {
        Layout(width: viewport.width, height: viewport.height, detailsOpen: detailsOpen)
            .tableBody.height
    }
}

/// A terminal size.
public struct Size: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// The filter as typed and as understood.
public struct FilterState: Sendable {
    /// What the prompt holds, and where its cursor is.
    public internal(set) var edit = LineEdit()
    /// What the prompt holds.
    public var text: String { edit.text }
    /// The text of the query the view was last computed from.
    public internal(set) var appliedText = ""
    /// The parsed query applied to the view, nil when none.
    public internal(set) var query: DeviceQuery?
    /// Why the text does not parse; the view keeps the last query that did.
    public internal(set) var error: QueryError?
    /// What the last word can become, after a Tab that had more than one answer.
    public internal(set) var options: [String] = []
    /// Set when Enter was pressed on text that does not parse: the prompt stays open with it.
    public internal(set) var refused = false
    /// Where Up has taken the prompt in the filter history.
    public internal(set) var browse: HistoryBrowse?
    /// The device the cursor was on when the prompt opened: each filter typed puts the
    /// cursor back on it when it is shown, else at the top (never where a half-typed filter
    /// left it).
    var origin: Int64?

    public var isActive: Bool { !appliedText.isEmpty }
}

/// A line of feedback under the table, gone after a few seconds.
public struct Flash: Sendable, Hashable {
    public enum Level: Sendable, Hashable { case info, warning, error }
    public var text: String
    public var level: Level
    public var expires: Date

    public static let lifetime: TimeInterval = 5
}

/// What a plan, a dialog and a progress bar are about: a deletion, or a restore of archived
/// devices (`r`).
public enum Work: Sendable, Hashable {
    case deletion(DeletionMode)
    case restore

    public var verb: String {
        switch self {
        case .deletion(let mode): mode.verb
        case .restore: "restore"
        }
    }

    public var pastTense: String {
        switch self {
        case .deletion(let mode): mode.pastTense
        case .restore: "restored"
        }
    }
}

/// Devices done of how many, for a progress bar.
public struct WorkProgress: Sendable, Hashable {
    public var done: Int
    public var total: Int
}

/// A deletion or a restore asked for, while its plan is computed.
public struct PendingRequest: Sendable, Hashable {
    public var work: Work
    public var ids: [Int64]
    /// How many of `ids` the filter hides.
    public var hidden: Int
}

/// A plan shown to the admin for confirmation.
public struct Confirmation: Sendable, Hashable {
    public var plan: DeletionPlan
    /// How many devices were asked for, and how many of those the plan applies that the
    /// filter hides.
    public var requested: Int
    public var hidden: Int
    /// Archive: whether Yes has the focus (No has it when the dialog opens).
    public var yesFocused = false
    /// Purge and unenroll: the digits typed so far.
    public var typed = ""
    /// Set when Enter was pressed with the wrong count.
    public var rejectedTyping = false

    /// The number the admin must type to confirm a purge or an unenroll.
    public var expectedCount: Int { plan.allowed.count }
    /// Whether the typed count enables the action.
    public var typedMatches: Bool { typed == String(expectedCount) }
    public var isDanger: Bool { plan.mode != .archive }
}

/// What the keyboard is talking to.
public enum Mode: Sendable, Hashable {
    case normal
    /// The `/` prompt; `previous` is the filter applied when it opened, which Esc restores.
    case filterPrompt(previous: String)
    /// The find prompt (`f`); `origin` is the cursor's position when it opened, where Esc
    /// returns it.
    case findPrompt(origin: Int)
    case command(CommandPrompt)
    case help
    /// Waiting for a plan to come back.
    case planning(Work)
    case confirm(Confirmation)
    /// A restore of archived devices (`r`), shown for confirmation.
    case confirmRestore(RestoreConfirmation)
    /// An execution or a restore running: items done of total.
    case progress(Work, done: Int, total: Int)
    /// The items of a transaction that were not applied.
    case result(TransactionRecord, scroll: Int)
    /// The transaction history, with the selected row.
    case history(selected: Int)
    /// The history's `u`: asks before undoing an archive, naming whose work it is.
    case confirmUndo(UndoConfirmation)
    /// What `y` or `Y` would have copied, shown to select with the mouse where the terminal
    /// takes no OSC 52.
    case copyText(CopyText)
    /// One device's whole record, full screen, as `decom show` prints it (`o`).
    case describe(DeviceRecordView)

    /// Whether the status line is a prompt being typed (filter or command line).
    public var isPrompt: Bool {
        switch self {
        case .filterPrompt, .findPrompt, .command: true
        default: false
        }
    }
}

/// A restore plan shown to the admin for confirmation (`r` in the archived view).
public struct RestoreConfirmation: Sendable, Hashable {
    public var plan: RestorePlan
    /// How many devices were asked for, and how many of those the plan restores that the
    /// filter hides.
    public var requested: Int
    public var hidden: Int
    /// Whether Yes has the focus (No has it when the dialog opens).
    public var yesFocused = false
}

/// An undo from the history, shown for confirmation: whose work it is and when.
public struct UndoConfirmation: Sendable, Hashable {
    public var record: TransactionRecord
    /// The history row to return to.
    public var selected: Int
    /// Whether Yes has the focus (No has it when the dialog opens).
    public var yesFocused = false
}

/// The `:` command line as typed.
public struct CommandPrompt: Sendable, Hashable {
    /// The line and its cursor.
    public var edit: LineEdit
    /// The line; setting it puts the cursor at its end.
    public var text: String {
        get { edit.text }
        set { edit.set(newValue) }
    }
    /// Where Up has taken the prompt in the command history.
    public var browse: HistoryBrowse?
    /// The completions the last Tab offered, shown under the prompt.
    public var candidates: [String] = []
    /// Which candidate the next Tab takes, when cycling.
    public var cycle: Int?
    /// The text before the first Tab of a cycle.
    public var stem: String?

    public init(text: String = "") { edit = LineEdit(text) }
}

/// The details pane's content for one device, loaded off the UI thread.
public struct DeviceDetails: Sendable, Hashable {
    public var device: Device
    /// What the pane shows, in the same words and order as `decom show`.
    public var sections: [DeviceDescription.Section]

    public init(
        device: Device, evaluator: ComplianceEvaluator, sessions: [Session],
        transactions: [TransactionRecord], externalID: String? = nil,
        vendorCompliance: VendorCompliance? = nil
    ) {
        self.device = device
        sections = DeviceDescription.sections(
            device, sessions: sessions, transactions: transactions, evaluator: evaluator,
            externalID: externalID, vendorCompliance: vendorCompliance)
    }
}

/// How the console shows the row under the cursor.
///
/// `bar` (the default) colours the whole row. Every cell of the old and the new row changes,
/// so a cursor move re-sends both rows: about 300 bytes at 120 columns. `arrow` marks only the
/// gutter, as mutt's `arrow_cursor` does for slow links: a move sends a few dozen bytes.
public enum CursorStyle: String, CaseIterable, Sendable {
    case bar, arrow
}

/// Text to copy by hand, with what it is, and how far its dialog is scrolled.
public struct CopyText: Sendable, Hashable {
    /// "device id 42", "3 marked ids".
    public var what: String
    public var text: String
    public var scroll = 0

    public init(what: String, text: String) {
        self.what = what
        self.text = text
    }
}

/// A file `:export` or `:export-keys` asks the runtime to write.
public struct ExportRequest: Sendable, Hashable {
    /// What the file holds: `decom export`'s documents, or a key list for
    /// `decom delete --from-file` (one id a line).
    public enum Kind: String, Sendable, Hashable {
        case json, csv, keys
    }

    /// The path as typed (relative to the console's working folder; `~` is the home folder).
    public var path: String
    public var kind: Kind
    /// The marked devices, or the filtered view when nothing is marked.
    public var ids: [Int64]
    /// `:export!`: replace an existing file.
    public var overwrite: Bool

    public init(path: String, kind: Kind, ids: [Int64], overwrite: Bool) {
        self.path = path
        self.kind = kind
        self.ids = ids
        self.overwrite = overwrite
    }
}

/// The full view of one device (k9s's describe): the text of `decom show`, or its JSON
/// (`decom show --format json`), scrolled.
public struct DeviceRecordView: Sendable, Hashable {
    public var id: Int64
    /// Both forms, once read; nil while loading.
    public var text: String?
    public var json: String?
    /// `J` switches between the text and the JSON.
    public var showsJSON = false
    public var scroll = 0

    public init(id: Int64) { self.id = id }

    /// The lines of the form shown.
    public var lines: [Substring] {
        (showsJSON ? json : text)?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
    }
}
