/// Why the fleet database could not be opened or used, in words for the admin.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing is at the path (or an empty file), and the command does not create databases.
    case noDatabase(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The path is a folder: `--db` names the database file itself.
    case isAFolder(path: String)
    /// An SQLite database of another program: its tables are not decom's.
    case notAFleet(path: String, tables: [String])
    /// The schema was written by a newer decom than this one.
    case newerSchema(path: String, found: Int, supported: Int)
    /// An older schema that would need migrating, opened where decom may not write.
    case olderSchemaReadOnly(path: String, found: Int, supported: Int)
    /// The command writes, and the file (or its folder) may not be written by this user.
    case readOnly(path: String, reason: String)
    /// The folder for the database could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// SQLite refused to open the file.
    case cannotOpen(path: String, reason: String)
    /// A stored value that this decom cannot read (a hand-edited or damaged row).
    case corruptData(String)
    /// The backup file is already there (and no `--force`), or is the database itself.
    case backupExists(path: String)
    case backupIsTheDatabase(path: String)
    /// SQLite could not write the backup.
    case cannotBackUp(path: String, reason: String)

    public var description: String {
        switch self {
        case .noDatabase(let path):
            return
                "there is no fleet database at \(path): create one with 'decom init --db \(path)' (or seed, import), or choose another with --db or DECOM_DB"
        case .notADatabase(let path):
            return "\(path) is not an SQLite database; choose another file with --db or DECOM_DB"
        case .isAFolder(let path):
            let example = path.hasSuffix("/") ? path + "fleet.sqlite" : path + "/fleet.sqlite"
            return
                "\(path) is a folder: --db and DECOM_DB name the database file itself (such as \(example))"
        case .notAFleet(let path, let tables):
            let shown = tables.prefix(5).joined(separator: ", ")
            let more = tables.count > 5 ? " and \(tables.count - 5) more" : ""
            return
                "\(path) is another program's SQLite database (tables \(shown)\(more)), not a decom fleet; it was left unchanged"
        case .newerSchema(let path, let found, let supported):
            return
                "\(path) was written by a newer decom (schema version \(found), this decom supports \(supported)): upgrade decom"
        case .olderSchemaReadOnly(let path, let found, let supported):
            return
                "\(path) has schema version \(found) and needs upgrading to \(supported), which needs write access: run any decom command once as a user who may write it"
        case .readOnly(let path, let reason):
            return
                "\(path) is read-only (\(reason)): this command changes the fleet; read commands (list, show, history, export, backup) and a viewer's console (--role viewer) still work"
        case .cannotCreateFolder(let path, let reason):
            return "cannot create the folder \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .corruptData(let detail):
            return "the fleet database holds a value decom cannot read: \(detail)"
        case .backupExists(let path):
            return "\(path) already exists; choose another file, or add --force to replace it"
        case .backupIsTheDatabase(let path):
            return
                "\(path) is the fleet database itself or one of its files; back it up to another file"
        case .cannotBackUp(let path, let reason):
            return "cannot write the backup \(path): \(reason)"
        }
    }
}
