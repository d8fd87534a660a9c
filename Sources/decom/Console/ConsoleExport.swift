import DecomConsole
import DecomCore
import DecomStore
import Foundation

/// Writes the file of a console `:export` or `:export-keys` (``ExportRequest``): the same
/// documents as `decom export` (``FleetExport``) for the requested ids, or their ids one a
/// line, which `decom delete --from-file` reads.
///
/// An existing file is left alone unless the admin wrote `:export!`; then it is replaced
/// atomically. A confined console (an SSH session) writes no file on the server.
enum ConsoleExport {
    static func write(_ request: ExportRequest, store: any FleetStore, confined: Bool) -> Action {
        let url = URL(
            fileURLWithPath: (request.path as NSString).expandingTildeInPath)
        let shown = SafeText.visible(url.path)
        if confined {
            return .exportFailed(
                "Not exported: files on the server are refused in this session")
        }
        var isFolder: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
            isFolder.boolValue
        else {
            return .exportFailed(
                "Not exported to \(shown): the folder \(SafeText.visible(folder)) does not exist")
        }
        if !request.overwrite && FileManager.default.fileExists(atPath: url.path) {
            return .exportFailed("Not exported: \(shown) exists (:export! FILE replaces it)")
        }
        let data: Data
        let count: Int
        switch request.kind {
        case .keys:
            data = Data(request.ids.map { String($0) + "\n" }.joined().utf8)
            count = request.ids.count
        case .json, .csv:
            guard let sqlite = store as? SQLiteFleetStore else {
                return .exportFailed("Not exported to \(shown): this store cannot export")
            }
            do {
                (data, count) = try FleetExport.export(
                    from: sqlite, format: request.kind == .csv ? .csv : .json, ids: request.ids)
            } catch {
                return .exportFailed(
                    "Not exported to \(shown): \(SafeText.visible(String(describing: error)))")
            }
        }
        do {
            try data.write(to: url, options: request.overwrite ? .atomic : .withoutOverwriting)
        } catch {
            return .exportFailed(
                "Not exported to \(shown): \(SafeText.visible(error.localizedDescription))")
        }
        return .exported(request, written: count, path: url.path)
    }
}
