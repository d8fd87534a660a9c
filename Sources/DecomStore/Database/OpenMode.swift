/// How a command opens the fleet database: whether it may create one, and whether it writes.
///
/// Opening is not creating or changing: only the commands that exist to fill a database
/// (`init`, `seed`, `import`, `demo`) create one; every other command needs one to be there.
public enum OpenMode: Sendable, Equatable {
    /// Creates the file and its folders when missing (an empty SQLite file counts as
    /// missing), then migrates. Read-write.
    case create
    /// The file must hold a decom fleet; read-write, migrated to this decom's schema.
    case existing
    /// The file must hold a decom fleet of this decom's schema; nothing is ever written.
    case readOnly
}
