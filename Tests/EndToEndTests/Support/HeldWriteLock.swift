import Foundation
import Glibc

/// The fleet database's write lock held by another program, as an admin's `sqlite3` session
/// holds it: `BEGIN IMMEDIATE`, a write, then the shell waits until the test releases it.
///
/// The write changes nothing (`comment = comment`), so that what decom leaves can be compared
/// with the database before. The session touches a file once it holds the lock; `release()`
/// creates another that ends its wait, and the session commits and exits.
final class HeldWriteLock {
    let child: Spawn.Child
    private let held: String
    private let releaseFile: String
    private var released = false

    init(db: String, folder: URL) throws {
        let tag = UUID().uuidString.prefix(8)
        held = folder.appendingPathComponent("held-\(tag)").path
        releaseFile = folder.appendingPathComponent("release-\(tag)").path
        let script = folder.appendingPathComponent("hold-\(tag).sql").path
        try """
        BEGIN IMMEDIATE;
        UPDATE devices SET comment = comment WHERE id = 1;
        .shell touch \(held)
        .shell while [ ! -e \(releaseFile) ]; do sleep 0.05; done
        COMMIT;

        """.write(toFile: script, atomically: true, encoding: .utf8)
        child = try Spawn.start(["sqlite3", "-batch", db], stdin: script)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: held) {
            guard Date() < deadline else {
                child.kill(SIGKILL)
                throw Spawn.Failed(description: "sqlite3 never took the write lock")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Lets the session commit and waits for it to end.
    func release() {
        guard !released else { return }
        released = true
        _ = FileManager.default.createFile(atPath: releaseFile, contents: nil)
        child.wait()
    }

    deinit { release() }
}

/// Waits until a file holds a text; false if it never does within the time.
func fileEventually(
    _ path: String, contains text: String, within seconds: TimeInterval = 30
) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let data = FileManager.default.contents(atPath: path),
            String(decoding: data, as: UTF8.self).contains(text)
        {
            return true
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return false
}
