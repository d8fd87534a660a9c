import DecomCore
import Foundation
import GRDB

/// The API tokens' rows (`api_tokens`, schema 5): SQL only; the rules are
/// ``TokenAuthority``'s.
extension SQLiteFleetStore: TokenStore {
    public func addToken(hash: [UInt8], user: String, role: Role, at: Date, expires: Date?)
        throws -> Int64
    {
        try writeDatabase { db, _ in
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (hash, user, role, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(hash), user, role.rawValue, StoreDate.text(at),
                    expires.map(StoreDate.text),
                ])
            return db.lastInsertedRowID
        }
    }

    public func tokens() throws -> [APIToken] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, hash, user, role, created_at, expires_at, last_used_at, revoked_at
                    FROM api_tokens ORDER BY id
                    """
            ).compactMap { row -> APIToken? in
                let hash: Data = row["hash"]
                let roleText: String = row["role"]
                let createdText: String = row["created_at"]
                guard let role = Role(rawValue: roleText), let created = StoreDate.date(createdText)
                else { return nil }
                let date = { (column: String) -> Date? in
                    (row[column] as String?).flatMap(StoreDate.date)
                }
                return APIToken(
                    id: row["id"], user: row["user"], role: role, hash: Array(hash),
                    createdAt: created, expiresAt: date("expires_at"),
                    lastUsedAt: date("last_used_at"), revokedAt: date("revoked_at"))
            }
        }
    }

    public func revokeToken(id: Int64, at: Date) throws -> Bool {
        try writeDatabase { db, _ in
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE id = ?", arguments: [id])
                    != nil
            else { return false }
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [StoreDate.text(at), id])
            return true
        }
    }

    public func markTokenUsed(id: Int64, at: Date) throws {
        try writeDatabase { db, _ in
            try db.execute(
                sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                arguments: [StoreDate.text(at), id])
        }
    }
}
