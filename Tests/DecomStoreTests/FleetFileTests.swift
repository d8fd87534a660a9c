import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// Opening by ``OpenMode``: what may be created, what is refused before anything is written,
/// and the WAL folded back into the main file when the store closes.
@Suite struct FleetFileTests {
    func files(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func onlyCreateMakesAMissingDatabase() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("sub/fleet.sqlite").path
        for mode in [OpenMode.existing, .readOnly] {
            let error = #expect(throws: StoreError.self) {
                try SQLiteFleetStore(path: path, mode: mode)
            }
            #expect(error == .noDatabase(path: path))
            #expect(try files(in: folder) == [], "\(mode) created nothing")
        }
        let store = try SQLiteFleetStore(path: path, mode: .create)
        store.close()
        let again = try SQLiteFleetStore(path: path, mode: .existing)
        #expect(try again.schemaVersion() == FleetSchema.version)
    }

    @Test func anotherProgramsDatabaseIsRefusedUnchanged() throws {
        let path = try temporaryFolder().appendingPathComponent("other.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
            try queue.close()
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for mode in [OpenMode.create, .existing, .readOnly] {
            let error = #expect(throws: StoreError.self) {
                try SQLiteFleetStore(path: path, mode: mode)
            }
            #expect(error == .notAFleet(path: path, tables: ["notes"]))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// Closing copies every frame into the main file and keeps the log (its frames copied), so
    /// that the next open writes nothing (`SQLiteFleetStore.keepWAL`).
    @Test func closingFoldsTheWALIntoTheMainFile() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("fleet.sqlite").path
        let store = try SQLiteFleetStore(path: path, mode: .create)
        try store.write { try $0.insert([makeRecord(1), makeRecord(2)]) }
        _ = try store.changeToken()
        _ = try store.read { try $0.deviceCount(scope: .all) }
        store.close()
        #expect(try files(in: folder) == ["fleet.sqlite", "fleet.sqlite-shm", "fleet.sqlite-wal"])
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        #expect(
            try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM devices") } == 2)
    }

    @Test func aReadOnlyStoreReadsAndWritesNothing() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("fleet.sqlite").path
        do {
            let store = try SQLiteFleetStore(path: path, mode: .create)
            try store.write { try $0.insert([makeRecord(1)]) }
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try SQLiteFleetStore(path: path, mode: .readOnly)
        #expect(store.isReadOnly)
        #expect(try store.read { try $0.device(id: 1) } == makeDevice(1))
        #expect(throws: (any Error).self) { try store.write { try $0.insert([makeRecord(2)]) } }
        store.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func backupRefusesToReplaceUnlessAskedAndNeverTheDatabase() throws {
        let folder = try temporaryFolder()
        let store = try makeStore([makeRecord(1)])
        let target = folder.appendingPathComponent("backup.sqlite").path
        try store.backup(to: target, replacing: false)
        #expect(throws: StoreError.backupExists(path: target)) {
            try store.backup(to: target, replacing: false)
        }
        try store.write { try $0.insert([makeRecord(2)]) }
        try store.backup(to: target, replacing: true)
        let copy = try SQLiteFleetStore(path: target, mode: .existing)
        #expect(try copy.read { try $0.deviceCount(scope: .all) } == 2)
        copy.close()
        #expect(throws: StoreError.backupIsTheDatabase(path: store.path)) {
            try store.backup(to: store.path, replacing: true)
        }
        for part in ["-wal", "-shm", "-journal"] {
            #expect(throws: StoreError.backupIsTheDatabase(path: store.path + part)) {
                try store.backup(to: store.path + part, replacing: true)
            }
        }
        #expect(
            try files(in: folder).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
                == ["backup.sqlite"], "no partial file left")
    }

    /// The folder whose permissions decide whether SQLite may make `-wal` and `-shm`, for
    /// each shape of `--db`: the same folder as Foundation's URL names, relative or absolute.
    @Test func theFolderOfADatabaseIsTheOneURLNames() throws {
        let cases = [
            ("fleet.sqlite", "."), ("/fleet.sqlite", "/"), ("/srv/mdm/fleet.sqlite", "/srv/mdm"),
            ("data/fleet.sqlite", "data"), ("./fleet.sqlite", "."), ("sub/a b/f", "sub/a b"),
        ]
        let here = FileManager.default.currentDirectoryPath
        for (path, folder) in cases {
            #expect(FleetFile.folderName(path) == folder, "\(path)")
            let viaURL = URL(fileURLWithPath: path).deletingLastPathComponent().standardized.path
            let absolute = URL(
                fileURLWithPath: folder.hasPrefix("/") ? folder : here + "/" + folder
            ).standardized.path
            #expect(viaURL == absolute, "\(path): \(viaURL) vs \(absolute)")
        }
    }
}
