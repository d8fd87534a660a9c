import Foundation

/// The table's columns as the admin last chose them with `:columns`, kept across runs in
/// `$XDG_STATE_HOME/decom/columns` (the folder of ``PromptHistoryFile``): one line,
/// `id,name,serial`. State rather than the config file: the console never rewrites the
/// admin's config (its comments and layout stay theirs), and `columns:` there stays the
/// default that `:columns default` returns to, which also removes this file.
///
/// Written whole to a temporary file renamed over the old one; a file that does not read as
/// a column list is ignored (the default shows).
public enum ColumnsFile {
    public static func path(directory: String) -> String { directory + "/columns" }

    /// The saved columns; nil when there is no file or it is not a column list.
    public static func load(directory: String) -> [DeviceColumn]? {
        guard let data = FileManager.default.contents(atPath: path(directory: directory)),
            data.count < 4096
        else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        return try? DeviceColumn.parseList(text).get()
    }

    /// Writes the columns, or removes the file for nil.
    public static func save(_ columns: [DeviceColumn]?, directory: String) throws {
        let url = URL(fileURLWithPath: path(directory: directory))
        guard let columns else {
            if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
            return
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try Data((DeviceColumn.text(columns) + "\n").utf8).write(to: url, options: .atomic)
    }
}
