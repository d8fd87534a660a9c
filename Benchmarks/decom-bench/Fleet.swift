import DecomCore
import DecomStore
import Foundation

/// A generated fleet in a database of its own, checkpointed so that a copy of the one file
/// is the whole database.
enum BenchFleet {
    static func create(devices: Int, in folder: URL, path: String? = nil) throws -> (
        path: String, seconds: Double
    ) {
        let path = path ?? folder.appendingPathComponent("fleet-\(devices).sqlite").path
        let elapsed = try milliseconds {
            let store = try SQLiteFleetStore(path: path)
            _ = try Seeder.seed(
                store: store, count: devices, seed: 1, actor: Actor(user: "bench", role: .admin))
        }
        // The store is closed: fold any WAL left into the file.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BareSQL.shell())
        process.arguments = [path, "PRAGMA wal_checkpoint(TRUNCATE);"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("sqlite3 could not checkpoint \(path)")
        }
        return (path, elapsed / 1_000)
    }
}
