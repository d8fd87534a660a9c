import Foundation

/// Folders for test files, all inside one folder of this test process that is removed when
/// the process exits: a run of the tests leaves nothing in the temporary directory.
public enum TestFolders {
    private static let root: URL = {
        let url = rootURL(for: getpid())
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFolders.rootURL(for: getpid())) }
        return url
    }()

    static func rootURL(for pid: pid_t) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("decom-tests-\(pid)")
    }

    /// A new empty folder whose name starts with `prefix`.
    public static func make(_ prefix: String) throws -> URL {
        let url = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
