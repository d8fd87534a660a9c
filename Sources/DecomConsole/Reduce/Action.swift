import DecomCore
import Foundation

/// Everything that can happen to the console: keys, and the results of effects.
public enum Action: Sendable {
    case key(Key)
    /// The terminal's size, sent at start and whenever it changes.
    case resized(Size)
    /// The rows of a scope, ordered by id.
    case loaded(DeviceRows, scope: ListScope)
    /// The first rows of a scope by id, shown while the rest is read; `total` is how many the
    /// scope holds when the page says (fewer rows than asked for: the page is the scope), else
    /// nil until `.counted` tells.
    case pageLoaded(DeviceRows, total: Int?, scope: ListScope)
    /// How many devices a scope holds, counted after its first page was shown.
    case counted(Int, scope: ListScope)
    case loadFailed(String)
    case planReady(DeletionPlan)
    /// The plan of a restore (`r`), for its dialog.
    case restorePlanReady(RestorePlan)
    case planFailed(String)
    case progress(done: Int, total: Int)
    case executed(TransactionRecord)
    /// A restore (`r`) ran: its RESTORE transaction.
    case restored(TransactionRecord)
    case executeFailed(String)
    case undone(TransactionRecord)
    case undoFailed(String)
    case detailsLoaded(DeviceDetails)
    case detailsFailed(id: Int64, String)
    case historyLoaded([TransactionRecord])
    case historyFailed(String)
    case themeChanged(String)
    case themeFailed(String)
    /// A device's whole record for the full view: `decom show`'s text and JSON.
    case recordLoaded(id: Int64, text: String, json: String)
    /// `:export` wrote the file: how many devices, of how many asked for, went to which path.
    case exported(ExportRequest, written: Int, path: String)
    /// `:export` wrote nothing: the message names the file.
    case exportFailed(String)
    /// A prompt's history (or the chosen columns) could not be written: said in the flash, the
    /// console goes on.
    case historyNotSaved(String)
    case tick(Date)
    /// Another process changed the database.
    case externalChange
    /// A write waits for another writer's lock (for whom, since when); nil when it stopped.
    case waiting(LockWaitStatus?)
}

/// Work `reduce` asks the runtime to do; its result comes back as an ``Action``.
public enum Effect: Sendable, Hashable {
    /// Load the rows of a scope (answered by `.loaded`).
    case load(ListScope)
    /// Load the first rows of a scope (answered by `.pageLoaded`).
    case loadPage(ListScope, limit: Int)
    /// Count the devices of a scope (answered by `.counted`). Apart from the first page so that
    /// the page is on screen first: a count reads the whole scope's index (issue 16: about 10
    /// ms at 100,000 devices, half the first frame's budget).
    case count(ListScope)
    case plan(ids: [Int64], mode: DeletionMode)
    case execute(DeletionPlan)
    /// Plan the restore of archived devices (answered by `.restorePlanReady`).
    case planRestore(ids: [Int64])
    /// Restore them (answered by `.restored`, or `.executeFailed`).
    case restore(RestorePlan)
    /// Undo the newest undoable transaction, or the given archive.
    case undo(Int64?)
    case loadDetails(Int64)
    case loadHistory
    case setTheme(String)
    /// Write a prompt's history (``PromptHistoryFile``), after a line was entered.
    case saveHistory(PromptHistoryFile.Prompt, [String])
    /// Keep the table's columns for the next run (``ColumnsFile``); nil forgets the choice.
    case saveColumns([DeviceColumn]?)
    /// Read a device's whole record for the full view (answered by `.recordLoaded`, or
    /// `.detailsFailed`).
    case loadRecord(Int64)
    /// Send the text to the terminal's clipboard (OSC 52, ``Clipboard``).
    case copy(String)
    /// Write the devices to a file (``ExportRequest``); answered by `.exported` or
    /// `.exportFailed`.
    case export(ExportRequest)
    /// Stop the write that waits for the lock; it changes nothing.
    case cancelWait
    case quit
    /// Leave as SIGINT would (exit 130): the admin pressed Ctrl-C, a key in raw mode.
    case interrupt
    /// Stop as SIGTSTP would, back to the shell, and redraw on `fg`: Ctrl-Z, a key in raw mode.
    case suspend
}
