/// Why the fleet database could not be opened or used, in words for the admin.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The schema was written by a newer decom than this one.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The folder for the database could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// SQLite refused to open the file.
    case cannotOpen(path: String, reason: String)
    /// A stored value that this decom cannot read (a hand-edited or damaged row).
    case corruptData(String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not an SQLite database; choose another file with --db or DECOM_DB"
        case .newerSchema(let path, let found, let supported):
            return
                "\(path) was written by a newer decom (schema version \(found), this decom supports \(supported)): upgrade decom"
        case .cannotCreateFolder(let path, let reason):
            return "cannot create the folder \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .corruptData(let detail):
            return "the fleet database holds a value decom cannot read: \(detail)"
        }
    }
}
