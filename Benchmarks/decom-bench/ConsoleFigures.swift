import DecomConsole
import DecomCore
import DecomStore
import Foundation

/// The console's figures, headless: `reduce` and `render` into a canvas at 120x40, as the
/// runtime does for each key, with no terminal.
struct ConsoleBench {
    static let size = (width: 120, height: 40)
    static let capabilities = TerminalCapabilities(colorDepth: .colors256, unicode: true)
    static let actor = Actor(user: "bench", role: .admin)
    /// Six keystrokes: an asset tag fragment, as an admin looking for a site's laptops types.
    static let query = "lt-par"

    let path: String
    let runs: Int

    /// What the console does from start to its first frame with rows: open the database,
    /// read the first page of the active devices (the runtime's `.loadPage` effect), reduce,
    /// render. The count (`.count`) follows the frame, as in the runtime.
    static func firstFrame(path: String) throws -> (ConsoleState, Canvas, SQLiteFleetStore) {
        let store = try SQLiteFleetStore(path: path)
        var state = ConsoleState(actor: actor, databaseName: "bench.sqlite", now: Date())
        _ = reduce(&state, .resized(Size(width: size.width, height: size.height)))
        let effects = reduce(&state, .externalChange)
        guard case .loadPage(let scope, let limit) = effects.first else {
            throw BenchError("the console asked for \(effects) first, not a page")
        }
        let rows = try store.read {
            try $0.rows(scope: scope, evaluator: ComplianceEvaluator(now: Date()), limit: limit)
        }
        let total = rows.count < limit ? rows.count : nil
        _ = reduce(&state, .pageLoaded(rows, total: total, scope: scope))
        return (state, draw(state), store)
    }

    /// The count that follows the first frame (the runtime's `.count` effect), applied and
    /// rendered.
    static func count(_ state: inout ConsoleState, store: SQLiteFleetStore) throws {
        let total = try store.read { try $0.deviceCount(scope: .active) }
        _ = reduce(&state, .counted(total, scope: .active))
        consume(draw(state))
    }

    /// The rest of the start: the whole scope read in the background and applied.
    static func wholeFleet(_ state: inout ConsoleState, store: SQLiteFleetStore) throws {
        let rows = try store.read {
            try $0.rows(scope: .active, evaluator: ComplianceEvaluator(now: Date()))
        }
        _ = reduce(&state, .loaded(rows, scope: .active))
        consume(draw(state))
    }

    static func draw(_ state: ConsoleState) -> Canvas {
        render(state, theme: .builtinDefault, size: size, capabilities: capabilities)
    }

    /// One key through `reduce`, then the frame.
    static func press(_ state: inout ConsoleState, _ key: Key) {
        _ = reduce(&state, .key(key))
        consume(draw(state))
    }

    func measure(targets: Targets) throws -> [Figure] {
        var fromStart = Samples()
        for _ in 0..<runs { fromStart.add(try MemoryProbe.firstFrameFromStart(path: path)) }
        var first = Samples()
        var counted = Samples()
        var whole = Samples()
        var state: ConsoleState?
        for _ in 0..<runs {
            var started = ConsoleState(actor: Self.actor, databaseName: "", now: Date())
            var store: SQLiteFleetStore?
            first.add(
                try milliseconds {
                    let (loaded, canvas, opened) = try Self.firstFrame(path: path)
                    consume(canvas)
                    started = loaded
                    store = opened
                })
            guard let store else { break }
            counted.add(try milliseconds { try Self.count(&started, store: store) })
            whole.add(try milliseconds { try Self.wholeFleet(&started, store: store) })
            state = started
        }
        guard let base = state else { return [] }

        var keystroke = Samples()
        var firstKey = Samples()
        var sort = Samples()
        var scroll = Samples()
        var cursor = Samples()
        for _ in 0..<runs {
            var typing = base
            Self.press(&typing, .char("/"))
            for (n, character) in Self.query.enumerated() {
                let time = milliseconds { Self.press(&typing, .char(character)) }
                keystroke.add(time)
                if n == 0 { firstKey.add(time) }
            }
            // Every sort column once, back to id: text and numeric sorts alike.
            var sorting = base
            for _ in SortColumn.allCases {
                sort.add(milliseconds { Self.press(&sorting, .char("s")) })
            }
            var paging = base
            for _ in 0..<20 {
                scroll.add(milliseconds { Self.press(&paging, .pageDown) })
            }
            var moving = base
            for _ in 0..<20 {
                cursor.add(milliseconds { Self.press(&moving, .char("j")) })
            }
        }
        return [
            Figure(
                name: "first frame, new process", unit: "ms", ours: fromStart,
                target: targets.firstFrameFromStart.map { .under($0) } ?? .none,
                note: "from starting a process to its first frame with rows"),
            Figure(
                name: "first frame", unit: "ms", ours: first, target: .under(targets.firstFrame),
                note: "open, first page, reduce, render 120x40"),
            Figure(
                name: "  then the count", unit: "ms", ours: counted, target: .none,
                note: "the scope counted, the header redrawn"),
            Figure(
                name: "  then the whole fleet", unit: "ms", ours: whole, target: .none,
                note: "read in the background, applied, rendered"),
            Figure(
                name: "filter keystroke", unit: "ms", ours: keystroke,
                target: .under(targets.keystroke), note: "typing \"\(Self.query)\", per key"),
            Figure(
                name: "  first filter key", unit: "ms", ours: firstKey,
                target: .under(targets.keystroke), note: "\"l\": every row searched"),
            Figure(
                name: "sort change", unit: "ms", ours: sort, target: .under(targets.sort),
                note: "s through every column"),
            Figure(
                name: "scroll (PgDn)", unit: "ms", ours: scroll, target: .under(targets.scroll),
                note: "20 pages"),
            Figure(
                name: "cursor move (j)", unit: "ms", ours: cursor, target: .none, note: "20 moves"),
        ]
    }
}
