import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// Demo fleets generated ahead of the visitors who will take them.
///
/// Generating a fleet costs CPU (2,000 devices: about 120 ms), and twenty visitors arriving
/// at once on two cores would wait for twenty of them. The server keeps `count` fleets ready,
/// each in a folder of its own with its own random seed, never shown to anyone before: a
/// session takes one (its folder becomes the session's) and another is made in the
/// background, one at a time. When none is ready, the session generates its own as before.
final class SpareFleets: Sendable {
    struct Spare: Sendable {
        var folder: SessionFolder
        /// The database's file name in the folder's `tmp`.
        var fileName: String
    }

    private struct State {
        var ready: [Spare] = []
        var preparing = 0
        var closed = false
    }

    let count: Int
    private let devices: Int
    private let executable: String
    private let folderBase: String
    private let log: ServerLog
    private let queue = DispatchQueue(label: "decom-ssh spare fleets")
    private let state = NIOLockedValueBox(State())

    init(count: Int, devices: Int, executable: String, folderBase: String, log: ServerLog) {
        self.count = count
        self.devices = devices
        self.executable = executable
        self.folderBase = folderBase
        self.log = log
    }

    /// Starts making fleets until `count` are ready or being made.
    func fill() {
        let wanted = state.withLockedValue { s -> Int in
            guard !s.closed else { return 0 }
            let missing = max(0, count - s.ready.count - s.preparing)
            s.preparing += missing
            return missing
        }
        for _ in 0..<wanted {
            queue.async { self.prepareOne() }
        }
    }

    /// A ready fleet, or nil; another is started in its place.
    func take() -> Spare? {
        let spare = state.withLockedValue { s in s.ready.isEmpty ? nil : s.ready.removeFirst() }
        if spare != nil { fill() }
        return spare
    }

    /// Stops making fleets, waits for the one being made, and removes every spare.
    func close() {
        let ready = state.withLockedValue { s in
            s.closed = true
            defer { s.ready = [] }
            return s.ready
        }
        ready.forEach { $0.folder.remove() }
        queue.sync {}
    }

    private func prepareOne() {
        var made: Spare?
        do {
            let folder = try SessionFolder.create(base: folderBase, spare: true)
            let fileName = "demo-\(devices)-devices.sqlite"
            let database = folder.sub("tmp") + "/" + fileName
            let status = try ConsoleChild.run(
                executable: executable,
                arguments: [
                    "seed", "--db", database, "--devices", String(devices), "--seed",
                    String(UInt64.random(in: 1...UInt64(UInt32.max))), "--user", "decom demo",
                ],
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": folder.sub("home")],
                workingDirectory: folder.sub("home"))
            if status == 0 {
                made = Spare(folder: folder, fileName: fileName)
            } else {
                folder.remove()
                log.write("a spare demo fleet could not be made: decom seed exited \(status)")
            }
        } catch {
            log.write("a spare demo fleet could not be made: \(error)")
        }
        let keep = state.withLockedValue { s -> Bool in
            s.preparing -= 1
            guard let made, !s.closed else { return false }
            s.ready.append(made)
            return true
        }
        if !keep { made?.folder.remove() }
    }
}
