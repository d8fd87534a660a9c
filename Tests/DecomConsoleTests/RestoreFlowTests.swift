import DecomConsole
import DecomCore
import Foundation
import Testing

/// `r` in the archived view, undo's progress and marks, the history's one `u` one undo, and
/// the cursor across `A`.
@Suite struct RestoreFlowTests {
    static let caps = TerminalCapabilities(colorDepth: .colors16, unicode: true)

    static func screen(_ state: ConsoleState, _ width: Int = 80, _ height: Int = 24) -> [String] {
        var state = state
        _ = reduce(&state, .resized(Size(width: width, height: height)))
        return render(state, theme: .builtinDefault, size: (width, height), capabilities: caps)
            .lines
    }

    /// Rows 1…10 archived, the state switched to the archived view.
    static func archivedView(role: Role = .admin) -> ConsoleState {
        var state = Fixture.state(role: role)
        let rows = Fixture.fleet.map { row -> DeviceSummary in
            var archived = row
            archived.clientStatus = .archived
            return archived
        }
        #expect(
            Fixture.press(&state, .char("A"))
                == [
                    .loadPage(.archived, limit: ConsoleState.firstPageSize), .count(.archived),
                    .load(.archived),
                ])
        _ = reduce(&state, .loaded(DeviceRows(rows), scope: .archived))
        return state
    }

    static let bobs = ArchiveOrigin(
        transaction: 12, type: .archive, user: "bob", at: Fixture.now.addingTimeInterval(-3600))

    static func restorePlan(_ rows: [DeviceSummary], gone: [Int64] = []) -> RestorePlan {
        RestorePlan(
            actor: Actor(user: "alice", role: .admin), createdAt: Fixture.now,
            items: rows.map { row in
                gone.contains(row.id)
                    ? RestorePlan.Item(
                        key: String(row.id), device: nil, origin: bobs,
                        decision: .skip(
                            .gone, reason: "the device was purged after bob archived it"))
                    : RestorePlan.Item(
                        key: String(row.id), device: Fixture.facts(row), origin: bobs,
                        decision: .apply)
            })
    }

    // MARK: - r

    @Test func rRestoresTheMarkedDevicesAfterADialogNamingThem() throws {
        var state = Self.archivedView()
        Fixture.press(&state, .char("j"), .char(" "), .char(" "), .char(" "))
        #expect(state.marks == [2, 3, 4])
        #expect(Fixture.press(&state, .char("r")) == [.planRestore(ids: [2, 3, 4])])
        #expect(state.mode == .planning(.restore))
        let plan = Self.restorePlan(Array(state.rows[1...3]), gone: [4])
        _ = reduce(&state, .restorePlanReady(plan))
        let screen = Self.screen(state).joined(separator: "\n")
        #expect(screen.contains("Restore 2 devices?"))
        #expect(screen.contains("archive #12 by bob, 2023-11-14 21:13: 2 devices"))
        #expect(screen.contains("#2 alpha-2") && screen.contains("#3 alpha-3"))
        #expect(screen.contains("4: gone, the device was purged after bob archived it"))
        #expect(screen.contains("[y] Yes") && screen.contains("[N] No"))
        // No has the focus: Enter alone cancels; y confirms.
        #expect(Fixture.press(&state, .char("y")) == [.restore(plan)])
        #expect(state.mode == .progress(.restore, done: 0, total: 2))
        _ = reduce(&state, .progress(done: 1, total: 2))
        #expect(Self.screen(state).contains { $0.hasPrefix("Restore: 1/2 ") })
        let reason = RestorePlan.reason(from: Self.bobs)
        let record = TransactionRecord(
            id: 20, type: .restore, status: .success, user: "alice", role: .admin,
            createdAt: Fixture.now, updatedAt: Fixture.now,
            items: [
                ItemResult(
                    key: "2", deviceId: 2, deviceName: "alpha-2", outcome: .restored,
                    reason: reason),
                ItemResult(
                    key: "3", deviceId: 3, deviceName: "alpha-3", outcome: .restored,
                    reason: reason),
                ItemResult(key: "4", deviceId: 4, deviceName: nil, outcome: .gone, reason: "x"),
            ])
        #expect(reduce(&state, .restored(record)) == [.load(.archived)])
        #expect(state.flash?.text == "Restored 2 devices of archive #12 · 1 gone")
        #expect(state.marks == [4], "restored devices leave the marks")
        guard case .result = state.mode else {
            Issue.record("what was not restored is listed")
            return
        }
    }

    @Test func rOnTheCursorRowAndCancelled() {
        var state = Self.archivedView()
        #expect(Fixture.press(&state, .char("r")) == [.planRestore(ids: [1])])
        _ = reduce(&state, .restorePlanReady(Self.restorePlan([state.rows[0]])))
        #expect(Fixture.press(&state, .enter) == [], "No has the focus")
        #expect(state.mode == .normal)
        #expect(state.flash?.text == "Cancelled: nothing was restored")
    }

    @Test func rOutsideTheArchivedViewOrForAViewerDoesNothing() {
        var active = Fixture.state()
        #expect(Fixture.press(&active, .char("r")) == [])
        #expect(active.flash?.text == "r restores archived devices: A shows the archived view")
        var viewer = Self.archivedView(role: .viewer)
        #expect(Fixture.press(&viewer, .char("r")) == [])
        #expect(viewer.flash?.text == "Not allowed: role viewer may not restore; it needs operator")
    }

    // MARK: - Undo

    @Test func undoKeepsTheAdminsMarksAndSaysWhatWasRestored() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "))
        #expect(state.marks == [1, 2])
        #expect(Fixture.press(&state, .char("u")) == [.undo(nil)])
        let restored = Fixture.record(
            id: 43, .restore, applied: Array(state.rows[4..<9]), undoes: 42)
        _ = reduce(&state, .undone(restored))
        #expect(state.marks == [1, 2], "the admin's marks stay")
        #expect(state.flash?.text == "Restored 5 devices of archive #42")
        // With no marks, the restored devices become the marks, to act on them again.
        Fixture.press(&state, .char("C"), .char("u"))
        _ = reduce(&state, .undone(restored))
        #expect(state.marks == [5, 6, 7, 8, 9])
    }

    @Test func undoOfALargeArchiveShowsItsProgress() {
        var state = Fixture.state()
        Fixture.press(&state, .char("u"))
        _ = reduce(&state, .progress(done: 3_000, total: 12_000))
        let status = Self.screen(state)[22]
        #expect(status.hasPrefix("Undo: 3,000/12,000 ██████████░░░"))
        _ = reduce(
            &state,
            .undone(Fixture.record(id: 43, .restore, applied: Array(state.rows), undoes: 42)))
        #expect(!Self.screen(state)[22].contains("Undo:"))
    }

    @Test func theCountsSayTheyAreBeingUpdatedUntilTheRowsAreReadAgain() {
        var state = Self.archivedView()
        #expect(Self.screen(state)[0].contains("10/10 archived ·"))
        Fixture.press(&state, .char("u"))
        let restored = Fixture.record(
            id: 43, .restore, applied: Array(state.rows[0..<4]), undoes: 42)
        #expect(reduce(&state, .undone(restored)) == [.load(.archived), .loadHistory])
        #expect(Self.screen(state)[0].contains("10/10 archived, updating…"))
        _ = reduce(&state, .loaded(DeviceRows(state.rows[4...]), scope: .archived))
        #expect(Self.screen(state)[0].contains("6/6 archived ·"))
    }

    // MARK: - History

    @Test func oneUInTheHistoryIsOneConfirmedUndo() throws {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        let newer = Fixture.record(id: 10, .archive, applied: [state.rows[0]])
        let older = Fixture.record(id: 9, .archive, applied: [state.rows[1]])
        _ = reduce(&state, .historyLoaded([newer, older]))
        #expect(Fixture.press(&state, .char("u")) == [], "your own archive is asked for too")
        let screen = Self.screen(state).joined(separator: "\n")
        #expect(screen.contains("Undo your archive?"))
        #expect(Fixture.press(&state, .char("y")) == [.undo(10)])
        // The undo's RESTORE comes first in the reloaded history; the selection stays on
        // the archive it undid, so a second u does not reach the older archive.
        _ = reduce(
            &state, .undone(Fixture.record(id: 11, .restore, applied: [state.rows[0]], undoes: 10)))
        var undone = newer
        undone.undoneBy = 11
        let restore = Fixture.record(id: 11, .restore, applied: [state.rows[0]], undoes: 10)
        _ = reduce(&state, .historyLoaded([restore, undone, older]))
        #expect(state.mode == .history(selected: 1))
        #expect(Fixture.press(&state, .char("u")) == [])
        #expect(state.flash?.text == "Transaction 10 was already undone by 11")
        #expect(state.mode == .history(selected: 1))
    }

    @Test func historyTitlesSitOverTheirColumns() throws {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        var bobs = Fixture.record(id: 9, .archive, applied: [state.rows[0], state.rows[1]])
        bobs.user = "bob"
        _ = reduce(&state, .historyLoaded([bobs]))
        let lines = Self.screen(state, 120, 40)
        let title = lines[1]
        let row = try #require(lines.first { $0.contains("bob/admin") })
        func column(_ text: String, in line: String) -> Int? {
            line.range(of: text).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
        }
        #expect(column("WHO", in: title) == column("bob/admin", in: row))
        #expect(column("RESULT", in: title) == column("2 archived", in: row))
        #expect(column("WHEN", in: title) == column("2023-11-14", in: row))
        #expect(column("STATUS", in: title) == column("SUCCESS", in: row))
    }

    // MARK: - A keeps the cursor

    @Test func aWithADescendingSortKeepsTheCursorOnItsDeviceOrGoesToTheTop() {
        var rows = Fixture.fleet
        for i in [2, 5, 7] { rows[i].clientStatus = .archived }
        var state = Fixture.state(rows)
        Fixture.press(&state, .char("S"))
        #expect(state.sort.ascending == false)
        Fixture.press(&state, .char("g"), .char("j"), .char("j"))
        #expect(state.cursorRow?.id == 8)
        // All devices: the first page (by id) does not hold 8; the whole scope does.
        Fixture.press(&state, .char("A"), .char("A"))
        _ = reduce(&state, .pageLoaded(DeviceRows(rows[0..<4]), total: 10, scope: .all))
        #expect(state.cursor == 0, "not on a device the page does not hold")
        _ = reduce(&state, .loaded(DeviceRows(rows), scope: .all))
        #expect(state.cursorRow?.id == 8, "on its device in the whole scope")
        #expect(state.cursor == 2)
        // Back to the active view, where 8 is archived: the cursor goes to the top.
        Fixture.press(&state, .char("A"))
        _ = reduce(
            &state,
            .loaded(DeviceRows(rows.filter { $0.clientStatus != .archived }), scope: .active))
        #expect(state.cursor == 0)
        #expect(state.cursorRow?.id == 10)
    }
}
