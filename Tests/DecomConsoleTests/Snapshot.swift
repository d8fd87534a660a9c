import DecomConsole
import Foundation
import Testing

/// Compares a canvas, as plain text lines, with `__Snapshots__/NAME.txt` next to this file.
/// With `DECOM_RECORD_SNAPSHOTS=1` in the environment, writes the file instead.
///
/// Trailing spaces are trimmed so the files read well in a diff; every cell is still checked,
/// because a wide character takes its columns on the line before the trimmed tail.
func assertSnapshot(
    _ canvas: Canvas, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__")
    let file = folder.appendingPathComponent(name + ".txt")
    let actual =
        canvas.lines.map { line in
            String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["DECOM_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try actual.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not record \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "no snapshot \(name).txt: run with DECOM_RECORD_SNAPSHOTS=1 to record it",
            sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var diff: [String] = []
    for i in 0..<max(old.count, new.count) {
        let a = i < old.count ? String(old[i]) : "<none>"
        let b = i < new.count ? String(new[i]) : "<none>"
        if a != b { diff.append("line \(i + 1):\n- " + a + "\n+ " + b) }
    }
    let message: String = "snapshot \(name) differs:\n" + diff.joined(separator: "\n")
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
