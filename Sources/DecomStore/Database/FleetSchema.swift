import GRDB

/// The fleet database's schema and its migrations.
///
/// Each migration ends by setting `PRAGMA user_version` to its number, so that an older decom
/// can tell a newer schema from its own before it changes anything.
enum FleetSchema {
    /// The schema version this decom writes and reads.
    static let version = 11

    /// The oldest schema this decom reads as it is, without migrating: a read-only file (one
    /// this user may not write, a backup) at this version or later is read. Schema 11 only
    /// marks the header (``applicationID``); its tables and views are schema 10's.
    static let readableWithoutMigrating = 10

    /// The SQLite header's application id (offset 68) of a decom fleet: "decm" in ASCII.
    ///
    /// SQLite keeps the field for applications whose file format is an SQLite database, so
    /// that a program reading the header alone can tell its files (sqlite.org/fileformat.html,
    /// "Application ID"). ``FleetFile`` reads it before opening anything.
    static let applicationID: Int32 = 0x6465_636D

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 fleet") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        // Every bulk change inserts thousands of audit rows: an index on their device ids
        // (random, so every insert lands on another page) cost a tenth of a 10k archive. A
        // device's audit rows are found through `transaction_items(device_id)`, then
        // `audit(transaction_id)`.
        migrator.registerMigration("v2 audit without device index") { db in
            try db.execute(sql: "DROP INDEX audit_device")
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // The audit keeps the state before a change as columns, not as one JSON object per
        // row (see `AuditState`). The table is rebuilt, since `before` was NOT NULL: its rows
        // are copied as they are, ids included, and keep their JSON in `before`.
        migrator.registerMigration("v3 audit state as columns") { db in
            try db.execute(sql: v3)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        // The audit and the transactions become hash chains (see `AuditChain`); the rows
        // already there are chained now, so that `decom audit verify` holds for them too.
        // Transactions say where the devices of an IMPORT or a SEED came from (`source`).
        migrator.registerMigration("v4 hash chains") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit ADD COLUMN hash BLOB;
                    ALTER TABLE transactions ADD COLUMN hash BLOB;
                    ALTER TABLE transactions ADD COLUMN source TEXT;
                    DROP TRIGGER audit_no_update;
                    """)
            try AuditChain.chainExistingRows(db)
            try db.execute(
                sql: """
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
                    PRAGMA user_version = 4;
                    """)
        }
        // API tokens (issue 13): only each token's SHA-256, never its text, with the user and
        // role it acts as and its dates. A table of its own: the audit and the transactions,
        // and so their hash chains, are untouched.
        migrator.registerMigration("v5 api tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_tokens (
                        id INTEGER PRIMARY KEY,
                        hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
                        user TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        last_used_at TEXT,
                        revoked_at TEXT
                    );
                    PRAGMA user_version = 5;
                    """)
        }
        // Where a device imported from an MDM came from: its source (`fleet`, `intune`,
        // `jamf`) and its id there (issue 14), unique together. Schema 5 is the API tokens.
        migrator.registerMigration("v6 external ids") { db in
            try db.execute(
                sql: """
                    CREATE TABLE device_sources (
                        device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
                        source TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        UNIQUE (source, external_id)
                    );
                    PRAGMA user_version = 6;
                    """)
        }
        // Queued deletions (issue 13): a transaction is committed PENDING and finished later,
        // possibly after others, so the transaction hash chain follows the order in which
        // transactions become final (`chain_seq`), no longer their ids; the rows already
        // chained keep their order (their ids). The new states (PREPARING) need no change:
        // `status` is not constrained.
        migrator.registerMigration("v7 queued transactions") { db in
            try db.execute(
                sql: """
                    ALTER TABLE transactions ADD COLUMN chain_seq INTEGER;
                    UPDATE transactions SET chain_seq = id WHERE hash IS NOT NULL;
                    CREATE UNIQUE INDEX transactions_chain_seq ON transactions(chain_seq);
                    PRAGMA user_version = 7;
                    """)
        }
        // Re-import as a sync (issue 14): a tombstone keeps the purged device's source and
        // external id, so that an import can refuse to bring it back by that id too; the
        // MDM's own compliance verdict (Intune's `complianceState`) is kept beside decom's.
        migrator.registerMigration("v8 import sync: tombstone external ids, vendor compliance") {
            db in
            try db.execute(
                sql: """
                    ALTER TABLE tombstones ADD COLUMN source TEXT;
                    ALTER TABLE tombstones ADD COLUMN external_id TEXT;
                    ALTER TABLE device_sources ADD COLUMN compliance_state TEXT;
                    PRAGMA user_version = 8;
                    """)
        }
        // Restore of chosen archived devices (issue 15) finds each device's newest archive by
        // device: without an index that read scanned every undo entry of the fleet's history.
        migrator.registerMigration("v9 undo entries by device") { db in
            try db.execute(
                sql: """
                    CREATE INDEX IF NOT EXISTS undo_entries_device
                        ON undo_entries(device_id, transaction_id);
                    PRAGMA user_version = 9;
                    """)
        }
        // An archive and a restore keep only what they change (`AuditState.Kept`): `kept`
        // says so, and `audit_entries` puts a changed row's state together from the device's
        // next whole-state row or the device itself, which it finds through the audit's
        // index on (transaction, device) (it replaces the index on the transaction alone,
        // and its inserts, in device order within a transaction, land at its end). Rows
        // already written keep their whole state and their hashes.
        migrator.registerMigration("v10 audit keeps what an archive changes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit ADD COLUMN kept TEXT;
                    DROP INDEX audit_transaction;
                    CREATE INDEX audit_transaction ON audit(transaction_id, device_id);
                    DROP VIEW audit_entries;
                    \(entriesView);
                    PRAGMA user_version = 10;
                    """)
        }
        // The header says the file is a decom fleet, so that opening a WAL file without its
        // `-wal` (a copied backup) needs no connection of its own to check it first.
        migrator.registerMigration("v11 application id") { db in
            try db.execute(
                sql: """
                    PRAGMA application_id = \(applicationID);
                    PRAGMA user_version = 11;
                    """)
        }
        return migrator
    }

    /// The device's columns the audit copies, as they were in schema 3: `devices` (its id is
    /// the audit's `device_id`), `characteristics`, and `mdm_enrollments` (as `mdm_*`).
    static let auditDeviceColumns = [
        "id", "name", "serial_number", "rent", "tracking_number", "client_status", "type",
        "category", "source", "comment", "label", "hwid", "device_status", "last_seen",
        "archived_at",
    ]
    static let auditCharacteristicsColumns = [
        "screen_size", "graphic", "processor", "ram", "storage", "model_year", "connectivity",
        "keyboard_layout", "resolution", "has_microphone", "has_webcam", "noise_cancellation",
        "compliance", "connection_type", "has_stool", "has_video_package", "has_screen",
        "has_premium_tablet", "color", "seats_number", "assembly", "os_platform",
    ]
    static let auditMDMColumns = [
        "id", "status", "local_name", "is_locked", "lock_date", "firewall_enabled",
        "os_updates_enabled", "is_encrypted", "screenlock_enabled", "is_compromised",
        "os_updates_available", "disk_encryption_profile_installed", "enrollment_date",
        "unenrollment_date", "download_date", "last_seen_date", "last_sync_date",
    ]
    private static let auditBooleans: Set<String> = [
        "has_microphone", "has_webcam", "noise_cancellation", "has_stool", "has_video_package",
        "has_screen", "has_premium_tablet", "is_locked", "firewall_enabled",
        "os_updates_enabled", "is_encrypted", "screenlock_enabled", "is_compromised",
        "os_updates_available", "disk_encryption_profile_installed",
    ]

    /// The view `audit_entries` as of schema 10 (``AuditState/entriesViewSQL``).
    private static var entriesView: String {
        AuditState.entriesViewSQL(
            device: auditDeviceColumns, characteristics: auditCharacteristicsColumns,
            mdm: auditMDMColumns, booleans: auditBooleans, lists: ["compliance", "connection_type"])
    }

    /// The audit rebuilt with the state columns. They declare no type, so that SQLite keeps
    /// each value exactly as the device's own table held it (text, integer or NULL).
    private static var v3: String {
        var state: [String] = Array(auditDeviceColumns.dropFirst())
        state += auditCharacteristicsColumns
        state += auditMDMColumns.map { "mdm_" + $0 }
        state += ["mac_addresses", "sessions"]
        let object = AuditState.objectSQL(
            device: auditDeviceColumns, characteristics: auditCharacteristicsColumns,
            mdm: auditMDMColumns, booleans: auditBooleans,
            lists: ["compliance", "connection_type"])
        return """
            CREATE TABLE audit_v3 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                transaction_id INTEGER NOT NULL REFERENCES transactions(id),
                device_id INTEGER NOT NULL,
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                role TEXT NOT NULL,
                at TEXT NOT NULL,
                \(state.map { "\($0)," }.joined(separator: "\n    "))
                before TEXT
            );
            INSERT INTO audit_v3 (id, transaction_id, device_id, action, actor, role, at, before)
                SELECT id, transaction_id, device_id, action, actor, role, at, before FROM audit;
            DROP TABLE audit;
            ALTER TABLE audit_v3 RENAME TO audit;
            CREATE INDEX audit_transaction ON audit(transaction_id);
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            CREATE VIEW audit_entries AS
                SELECT id, transaction_id, device_id, action, actor, role, at,
                       coalesce(before, \(object)) AS before
                FROM audit;
            """
    }

    private static let v1 = """
        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            name TEXT,
            serial_number TEXT,
            rent TEXT,
            tracking_number TEXT,
            client_status TEXT NOT NULL,
            type TEXT,
            category TEXT,
            source TEXT,
            comment TEXT,
            label TEXT UNIQUE,
            hwid TEXT,
            device_status TEXT NOT NULL,
            last_seen TEXT,
            archived_at TEXT
        );
        CREATE INDEX devices_serial ON devices(serial_number COLLATE NOCASE);
        CREATE INDEX devices_hwid ON devices(hwid COLLATE NOCASE);
        CREATE INDEX devices_client_status ON devices(client_status);
        CREATE INDEX devices_name ON devices(name);
        CREATE INDEX devices_type ON devices(type);
        CREATE INDEX devices_category ON devices(category);
        CREATE INDEX devices_device_status ON devices(device_status);
        CREATE INDEX devices_last_seen ON devices(last_seen);

        CREATE TABLE characteristics (
            device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
            screen_size TEXT,
            graphic TEXT,
            processor TEXT,
            ram TEXT,
            storage TEXT,
            model_year TEXT,
            connectivity TEXT,
            keyboard_layout TEXT,
            resolution TEXT,
            has_microphone INTEGER,
            has_webcam INTEGER,
            noise_cancellation INTEGER,
            compliance TEXT,
            connection_type TEXT,
            has_stool INTEGER,
            has_video_package INTEGER,
            has_screen INTEGER,
            has_premium_tablet INTEGER,
            color TEXT,
            seats_number TEXT,
            assembly TEXT,
            os_platform TEXT
        );
        CREATE INDEX characteristics_os_platform ON characteristics(os_platform);

        CREATE TABLE mdm_enrollments (
            id INTEGER PRIMARY KEY,
            device_id INTEGER NOT NULL UNIQUE REFERENCES devices(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            local_name TEXT,
            is_locked INTEGER,
            lock_date TEXT,
            firewall_enabled INTEGER,
            os_updates_enabled INTEGER,
            is_encrypted INTEGER,
            screenlock_enabled INTEGER,
            is_compromised INTEGER,
            os_updates_available INTEGER,
            disk_encryption_profile_installed INTEGER,
            enrollment_date TEXT,
            unenrollment_date TEXT,
            download_date TEXT,
            last_seen_date TEXT,
            last_sync_date TEXT
        );
        CREATE INDEX mdm_enrollments_status ON mdm_enrollments(status);

        CREATE TABLE device_macs (
            device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            mac TEXT NOT NULL UNIQUE,
            PRIMARY KEY (device_id, position)
        );

        CREATE TABLE sessions (
            token_id TEXT PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
            user TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            suspended_by INTEGER
        );
        CREATE INDEX sessions_device ON sessions(device_id);
        CREATE INDEX sessions_suspended_by ON sessions(suspended_by);

        CREATE TABLE device_events (
            id INTEGER PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT
        );
        CREATE INDEX device_events_device ON device_events(device_id);

        CREATE TABLE transactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            status TEXT NOT NULL,
            user TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            undoes INTEGER REFERENCES transactions(id),
            undone_by INTEGER REFERENCES transactions(id),
            error TEXT
        );

        CREATE TABLE transaction_items (
            transaction_id INTEGER NOT NULL REFERENCES transactions(id),
            seq INTEGER NOT NULL,
            key TEXT NOT NULL,
            device_id INTEGER,
            device_name TEXT,
            outcome TEXT NOT NULL,
            reason TEXT,
            PRIMARY KEY (transaction_id, seq)
        );
        CREATE INDEX transaction_items_device ON transaction_items(device_id);

        CREATE TABLE undo_entries (
            transaction_id INTEGER NOT NULL REFERENCES transactions(id),
            device_id INTEGER NOT NULL,
            previous_client_status TEXT NOT NULL,
            previous_archived_at TEXT,
            PRIMARY KEY (transaction_id, device_id)
        );

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id INTEGER NOT NULL REFERENCES transactions(id),
            device_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            at TEXT NOT NULL,
            before TEXT NOT NULL
        );
        CREATE INDEX audit_device ON audit(device_id);
        CREATE INDEX audit_transaction ON audit(transaction_id);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

        CREATE TABLE tombstones (
            device_id INTEGER PRIMARY KEY,
            name TEXT,
            serial_number TEXT,
            mac_addresses TEXT NOT NULL,
            hwid TEXT,
            purged_at TEXT NOT NULL,
            purged_by TEXT NOT NULL,
            transaction_id INTEGER NOT NULL REFERENCES transactions(id)
        );
        """
}
