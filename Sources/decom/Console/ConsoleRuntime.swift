import DecomConsole
import DecomCore
import Foundation

/// Runs the console until the admin quits or a signal asks it to leave; returns the signal
/// that ended it (SIGHUP for a terminal that went away, SIGINT for Ctrl-C), nil for a quit.
///
/// Only this thread touches the state and the screen. Effects run in order on background
/// queues (``ConsoleWorker``); their results come back through ``ConsoleInbox`` and are drained
/// before each frame.
/// On the way out, an execution already running completes (it is one SQLite transaction), one
/// still waiting for another writer's lock stops (``LockWait``: nothing changes), and queued
/// work that has not started is dropped.
@discardableResult
func runConsole(
    start: ConsoleStart, screen: any TerminalScreen, theme: Theme,
    themeNames: [String] = [], cursorStyle: CursorStyle = .bar,
    columns: [DeviceColumn]? = nil, startupWarning: String? = nil,
    historyDirectory: String? = nil, confined: Bool = false,
    themeLoader: (String) -> Result<Theme, any Error>
) throws -> TerminalInterruption? {
    let worker = start.worker
    let lockWait = start.lockWait
    var theme = theme
    var state = ConsoleState(
        actor: start.actor, databaseName: start.databaseName, themeName: theme.name,
        themeNames: themeNames, now: Date())
    state.cursorStyle = cursorStyle
    state.clipboard = screen.capabilities.clipboard
    if confined {
        state.suspendRefusal = "Suspend is not available over SSH"
    } else if !screen.canSuspend {
        state.suspendRefusal =
            "Nothing to suspend to: decom was not started from a job-control shell"
    }
    if let historyDirectory {
        state.filterHistory = PromptHistoryFile.load(.filter, directory: historyDirectory)
        state.commandHistory = PromptHistoryFile.load(.command, directory: historyDirectory)
    }
    // The config's columns are the default; the admin's last `:columns` (state) wins.
    state.defaultColumns = columns ?? DeviceColumn.standard
    state.columns =
        historyDirectory.flatMap { ColumnsFile.load(directory: $0) } ?? state.defaultColumns
    var size = screen.size
    var running = true
    var interruption: TerminalInterruption?
    var lastPoll = Date()

    func dispatch(_ action: Action) {
        // Emoji widths as `render` has them, so that reduce's layout agrees with the screen.
        let effects = DisplayWidth.$emoji.withValue(screen.capabilities.emoji) {
            reduce(&state, action)
        }
        for effect in effects {
            switch effect {
            case .quit:
                running = false
            case .interrupt:
                running = false
                interruption = TerminalInterruption(signal: SIGINT)
            case .suspend:
                // Back from `fg`: the next frame is drawn whole, at the size the terminal has now.
                screen.suspend()
            case .cancelWait:
                // The worker is blocked in the wait: the cancel goes to the store directly.
                lockWait.cancel()
            case .saveHistory(let prompt, let entries):
                guard let historyDirectory else { break }
                do {
                    try PromptHistoryFile.save(
                        PromptHistory(entries), prompt, directory: historyDirectory)
                } catch {
                    dispatch(.historyNotSaved("History not saved: \(error.localizedDescription)"))
                }
            case .saveColumns(let columns):
                guard let historyDirectory else { break }
                do {
                    try ColumnsFile.save(columns, directory: historyDirectory)
                } catch {
                    dispatch(.historyNotSaved("Columns not saved: \(error.localizedDescription)"))
                }
            case .copy(let text):
                screen.copyToClipboard(text)
            case .setTheme(let name):
                switch themeLoader(name) {
                case .success(let loaded):
                    theme = loaded
                    dispatch(.themeChanged(loaded.name))
                case .failure(let error):
                    dispatch(.themeFailed("Theme \(name) not loaded: \(error)"))
                }
            default:
                worker.perform(effect)
            }
        }
    }

    dispatch(.resized(Size(width: size.width, height: size.height)))
    if let startupWarning { dispatch(.themeFailed(startupWarning)) }
    // The reads of an `.externalChange` went out before the terminal opened (ConsoleStart).
    // The first frame waits a little for their first answer, so that it shows the first page
    // rather than "Loading…" drawn and then drawn over; a slow database gets "Loading…".
    _ = worker.inbox.wait(until: Date(timeIntervalSinceNow: ConsoleStart.firstPageWait))
    var drawn = false
    while running {
        if let signal = screen.interruption {
            interruption = signal
            break
        }
        for action in worker.inbox.drain() { dispatch(action) }
        let now = Date()
        dispatch(.tick(now))
        if now.timeIntervalSince(lastPoll) >= 1 {
            lastPoll = now
            worker.pollChanges()
        }
        let current = screen.size
        if current != size {
            size = current
            dispatch(.resized(Size(width: size.width, height: size.height)))
        }
        screen.draw(
            render(
                state, theme: theme, size: size, capabilities: screen.capabilities))
        if !drawn {
            drawn = true
            worker.firstFrameDrawn()
        }
        guard running else { break }
        // While background work is under way its answer is looked for sooner than a key (but
        // not while a write only waits for another writer).
        let soon = worker.isBusy && lockWait.current == nil
        if let key = screen.readKey(timeoutMilliseconds: soon ? 10 : 150) {
            if key == .resize {
                size = screen.size
                dispatch(.resized(Size(width: size.width, height: size.height)))
            }
            dispatch(.key(key))
        }
    }
    worker.finish()
    return interruption
}

/// The console before its terminal opens: the worker, already reading what the first frame
/// shows (issue 16). Opening the terminal (terminfo, the emoji probe's round trip) and
/// loading the theme take as long as reading the first page, so the two overlap; and the
/// whole scope's read waits until the first frame is drawn, so that it does not take the
/// CPU the first frame needs (2 cores at most, shared).
///
/// Whoever makes one calls ``finish()`` on every way out (running the console does it), so
/// that no read is left running on a store about to close.
final class ConsoleStart {
    /// How long the first frame waits for the first page before it shows "Loading…".
    static let firstPageWait: TimeInterval = 0.1

    let worker: ConsoleWorker
    let actor: Actor
    let databaseName: String
    let lockWait: LockWait

    init(
        store: any FleetStore, actor: Actor, databaseName: String, lockWait: LockWait,
        confined: Bool
    ) {
        self.actor = actor
        self.databaseName = databaseName
        self.lockWait = lockWait
        worker = ConsoleWorker(store: store, actor: actor, lockWait: lockWait, confined: confined)
        let fresh = ConsoleState(actor: actor, databaseName: databaseName, now: Date())
        var effects = fresh.startEffects
        // The first page, then the rest once the first frame is on the screen.
        if let first = effects.first, case .loadPage = first {
            worker.perform(effects.removeFirst())
            worker.holdUntilFirstFrame()
        }
        for effect in effects { worker.perform(effect) }
        worker.pollChanges()
    }

    /// Stops the worker (``ConsoleWorker/finish()``): a read under way completes, the rest is
    /// dropped. Safe to call again.
    func finish() { worker.finish() }
}

/// Results of background work, waiting for the loop thread.
final class ConsoleInbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var actions: [Action] = []

    func push(_ action: Action) {
        condition.lock()
        actions.append(action)
        condition.signal()
        condition.unlock()
    }

    func drain() -> [Action] {
        condition.lock()
        defer { condition.unlock() }
        let out = actions
        actions = []
        return out
    }

    /// Waits until an action is waiting or the deadline passes; returns whether one is.
    func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while actions.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        return !actions.isEmpty
    }
}

/// Runs effects off the UI thread: reads one at a time and in order on one queue, writes
/// (executions and undos) on another, so that a write waiting for another writer's lock
/// holds up no read (details, history, reloads and the change poll go on).
final class ConsoleWorker: @unchecked Sendable {
    let inbox = ConsoleInbox()
    private let queue = DispatchQueue(label: "decom.console.effects")
    private let writeQueue = DispatchQueue(label: "decom.console.writes")
    private let store: any FleetStore
    private let actor: Actor
    private let service: DeletionService
    private let lockWait: LockWait
    /// An SSH session's console: `:export` writes no file on the server.
    private let confined: Bool
    private let lock = NSLock()
    private var stopping = false
    private var queued = 0
    private var polling = false
    private var lastToken: Int64?
    private let firstFrame = DispatchSemaphore(value: 0)
    private var firstFrameSeen = false

    init(store: any FleetStore, actor: Actor, lockWait: LockWait, confined: Bool = false) {
        self.store = store
        self.confined = confined
        self.actor = actor
        self.lockWait = lockWait
        service = DeletionService(store: store)
        let inbox = self.inbox
        lockWait.observe { status in inbox.push(.waiting(status)) }
    }

    /// Whether an effect is queued or running.
    var isBusy: Bool {
        lock.lock()
        defer { lock.unlock() }
        return queued > 0
    }

    func perform(_ effect: Effect) {
        lock.lock()
        queued += 1
        lock.unlock()
        let writes: Bool
        switch effect {
        case .execute, .undo, .restore: writes = true
        default: writes = false
        }
        (writes ? writeQueue : queue).async { [self] in
            defer {
                lock.lock()
                queued -= 1
                lock.unlock()
            }
            // A cancel was for the write before this one; not so once the console stops.
            lock.lock()
            let stop = stopping
            if !stop && writes { lockWait.reset() }
            lock.unlock()
            guard !stop else { return }
            run(effect)
        }
    }

    /// Stops taking work, stops a write that waits for another writer's lock (it changes
    /// nothing), and waits for the jobs that are running.
    func finish() {
        lock.lock()
        stopping = true
        lockWait.cancel()
        lock.unlock()
        firstFrameDrawn()
        writeQueue.sync {}
        queue.sync {}
    }

    /// Holds the reads queued after this one until ``firstFrameDrawn()`` (or ``finish()``).
    func holdUntilFirstFrame() {
        queue.async { [firstFrame] in
            firstFrame.wait()
            firstFrame.signal()
        }
    }

    /// Lets the held reads go (``holdUntilFirstFrame()``). Only the first call counts.
    func firstFrameDrawn() {
        lock.lock()
        let first = !firstFrameSeen
        firstFrameSeen = true
        lock.unlock()
        if first { firstFrame.signal() }
    }

    /// Asks the store whether another writer committed since the last poll; answers
    /// `.externalChange` if so. A poll still waiting behind other work is not repeated.
    func pollChanges() {
        lock.lock()
        let busy = polling
        polling = true
        lock.unlock()
        guard !busy else { return }
        queue.async { [self] in
            let token = try? store.changeToken()
            lock.lock()
            polling = false
            let previous = lastToken
            if token != nil { lastToken = token }
            lock.unlock()
            if let token, let previous, token != previous { inbox.push(.externalChange) }
        }
    }

    private func run(_ effect: Effect) {
        switch effect {
        case .load(let scope):
            do {
                let rows = try store.read {
                    try $0.rows(scope: scope, evaluator: ComplianceEvaluator(now: Date()))
                }
                inbox.push(.loaded(rows, scope: scope))
            } catch {
                inbox.push(.loadFailed(String(describing: error)))
            }
        case .loadPage(let scope, let limit):
            do {
                let rows = try store.read {
                    try $0.rows(
                        scope: scope, evaluator: ComplianceEvaluator(now: Date()), limit: limit)
                }
                let total = rows.count < limit ? rows.count : nil
                inbox.push(.pageLoaded(rows, total: total, scope: scope))
            } catch {
                inbox.push(.loadFailed(String(describing: error)))
            }
        case .count(let scope):
            do {
                let total = try store.read { try $0.deviceCount(scope: scope) }
                inbox.push(.counted(total, scope: scope))
            } catch {
                inbox.push(.loadFailed(String(describing: error)))
            }
        case .plan(let ids, let mode):
            do {
                inbox.push(.planReady(try service.plan(ids: ids, mode: mode, actor: actor)))
            } catch {
                inbox.push(.planFailed(String(describing: error)))
            }
        case .execute(let plan):
            let inbox = self.inbox
            do {
                // An `.execute` effect comes only from a confirmed dialog, and a purge's dialog
                // is confirmed by typing the count: the console's form of the bulk confirmation.
                let record = try service.execute(plan, as: actor, bulk: true) { done, total in
                    inbox.push(.progress(done: done, total: total))
                }
                inbox.push(.executed(record))
            } catch let busy as StoreBusy {
                inbox.push(.executeFailed(busy.reason))
            } catch {
                inbox.push(.executeFailed(String(describing: error)))
            }
        case .planRestore(let ids):
            do {
                inbox.push(.restorePlanReady(try service.planRestore(ids: ids, actor: actor)))
            } catch {
                inbox.push(.planFailed(String(describing: error)))
            }
        case .restore(let plan):
            let inbox = self.inbox
            do {
                let record = try service.restore(plan, as: actor) { done, total in
                    inbox.push(.progress(done: done, total: total))
                }
                inbox.push(.restored(record))
            } catch let busy as StoreBusy {
                inbox.push(.executeFailed(busy.reason))
            } catch {
                inbox.push(.executeFailed(String(describing: error)))
            }
        case .undo(let id):
            let inbox = self.inbox
            do {
                let record = try service.undo(id, actor: actor) { done, total in
                    inbox.push(.progress(done: done, total: total))
                }
                inbox.push(.undone(record))
            } catch let error as UndoError {
                inbox.push(.undoFailed(undoRefusalMessage(error)))
            } catch let busy as StoreBusy {
                inbox.push(.undoFailed("Nothing changed: \(busy.reason)"))
            } catch {
                inbox.push(.undoFailed("Cannot undo: \(error)"))
            }
        case .loadDetails(let id):
            do {
                let details = try store.read { reader -> DeviceDetails? in
                    guard let device = try reader.device(id: id) else { return nil }
                    return DeviceDetails(
                        device: device, evaluator: ComplianceEvaluator(now: Date()),
                        sessions: try reader.sessions(deviceId: id),
                        transactions: try reader.transactions(deviceId: id, limit: 5),
                        externalID: try reader.externalID(deviceId: id),
                        vendorCompliance: try reader.vendorCompliance(deviceId: id))
                }
                if let details {
                    inbox.push(.detailsLoaded(details))
                } else {
                    inbox.push(.detailsFailed(id: id, "the device no longer exists"))
                }
            } catch {
                inbox.push(.detailsFailed(id: id, String(describing: error)))
            }
        case .loadHistory:
            do {
                inbox.push(.historyLoaded(try store.read { try $0.transactions(limit: 200) }))
            } catch {
                inbox.push(.historyFailed(String(describing: error)))
            }
        case .loadRecord(let id):
            do {
                let evaluator = ComplianceEvaluator(now: Date())
                let record = try store.read { reader -> (String, String)? in
                    guard let device = try reader.device(id: id) else { return nil }
                    let sessions = try reader.sessions(deviceId: id)
                    let externalID = try reader.externalID(deviceId: id)
                    let vendor = try reader.vendorCompliance(deviceId: id)
                    // The same text and JSON as `decom show` and `decom show --format json`.
                    let text = DeviceText.describe(
                        device, sessions: sessions,
                        history: try reader.transactions(deviceId: id, limit: 5),
                        evaluator: evaluator, externalID: externalID, vendorCompliance: vendor)
                    let json = try Documents.text(
                        DeviceEnvelope(
                            data: DeviceDocument(
                                device: device, compliance: evaluator.verdict(device),
                                sessions: sessions, externalID: externalID,
                                vendorCompliance: vendor?.state)))
                    return (text, json)
                }
                if let (text, json) = record {
                    inbox.push(.recordLoaded(id: id, text: text, json: json))
                } else {
                    inbox.push(.detailsFailed(id: id, "the device no longer exists"))
                }
            } catch {
                inbox.push(.detailsFailed(id: id, String(describing: error)))
            }
        case .export(let request):
            inbox.push(ConsoleExport.write(request, store: store, confined: confined))
        case .setTheme, .quit, .interrupt, .cancelWait, .saveHistory, .saveColumns, .copy, .suspend:
            break
        }
    }
}
