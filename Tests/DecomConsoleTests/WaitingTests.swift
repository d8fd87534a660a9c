import DecomConsole
import DecomCore
import Foundation
import Testing

/// A write of the console waiting for another writer's lock: the status line says for whom
/// and since when, Esc stops the wait, and the console is itself again when it ends.
@Suite struct WaitingTests {
    static let unicode = TerminalCapabilities(colorDepth: .colors256, unicode: true)
    /// 12:03:04 UTC.
    static let twelve = Date(timeIntervalSince1970: 1_699_963_384)

    static let alice = LockWaitStatus(
        holder: LockHolder(
            pid: 4242, user: "alice", transactionType: .archive, transactionId: 12, since: twelve),
        waitingSince: twelve.addingTimeInterval(30))

    func lines(_ state: ConsoleState) -> [String] {
        render(state, theme: .builtinDefault, size: (80, 24), capabilities: Self.unicode).lines
    }

    /// The fleet, with an archive of two devices confirmed and waiting for the lock.
    func waitingArchive() -> ConsoleState {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(state.rows[0..<2]), mode: .archive)))
        Fixture.press(&state, .char("y"))
        _ = reduce(&state, .waiting(Self.alice))
        return state
    }

    @Test func theStatusLineSaysWhomTheArchiveWaitsFor() {
        let screen = lines(waitingArchive())
        #expect(
            screen.contains {
                $0.contains(
                    "Waiting for alice's archive (transaction 12) since 12:03:04 UTC · Esc cancels")
            }, "\(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.contains("Esc stop waiting; nothing changes") })
        #expect(!screen.contains { $0.contains("Archive: 0/2") }, "no frozen progress")
    }

    @Test func escStopsTheWaitAndTheFailureSaysNothingChanged() {
        var state = waitingArchive()
        #expect(Fixture.press(&state, .escape) == [.cancelWait])
        _ = reduce(&state, .waiting(nil))
        _ = reduce(
            &state, .executeFailed(StoreBusy.cancelled(Self.alice.holder).reason))
        #expect(state.mode == .normal)
        #expect(state.waitingFor == nil)
        #expect(
            state.flash?.text
                == "Nothing changed: cancelled while waiting for alice's archive (transaction 12) to finish"
        )
        #expect(state.marks == [1, 2], "the marks stay for another try")
    }

    @Test func whenTheWaitEndsTheProgressShowsAgain() {
        var state = waitingArchive()
        _ = reduce(&state, .waiting(nil))
        _ = reduce(&state, .progress(done: 1, total: 2))
        #expect(lines(state).contains { $0.contains("Archive: 1/2") })
        #expect(Fixture.press(&state, .escape) == [], "Esc does not stop a running archive")
    }

    @Test func anUndoWaitsWhileTheTableStaysUsable() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .char("u")) == [.undo(nil)])
        _ = reduce(&state, .waiting(Self.alice))
        #expect(lines(state).contains { $0.contains("Waiting for alice's archive") })
        #expect(Fixture.press(&state, .char("j"), .enter) == [.loadDetails(2)])
        // In the filter prompt Esc is the prompt's: it drops the filter, not the wait.
        Fixture.press(&state, .char("/"))
        #expect(Fixture.press(&state, .escape) == [])
        #expect(state.waitingFor == Self.alice)
        #expect(Fixture.press(&state, .escape) == [.cancelWait])
    }

    @Test func anotherProgramIsNamedAsSuch() {
        var state = Fixture.state()
        _ = reduce(&state, .key(.char("u")))
        _ = reduce(
            &state, .waiting(LockWaitStatus(holder: .otherProgram, waitingSince: Self.twelve)))
        #expect(
            lines(state).contains {
                $0.contains("Waiting since 12:03:04 UTC for another program to finish writing")
            })
    }
}
