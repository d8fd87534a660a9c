import Crypto
import GRDBSQLite

/// SHA-256 of one row of a hash chain: the previous row's hash, then each value of the row
/// in a fixed column order, each encoded so that no two different rows encode alike.
///
/// A value is a tag byte and its bytes: 0 for NULL; 1 and 8 big-endian bytes for an
/// integer; 2 and the 8 big-endian bytes of its IEEE 754 bits for a real; 3 (text) or 4
/// (blob), then the length as 8 big-endian bytes, then the bytes as SQLite holds them (text
/// in UTF-8). The values are read straight from SQLite (`sqlite3_value_*` in the SQL
/// function that writes the chain, `sqlite3_column_*` when it is checked), so the two read
/// the same bytes and no Swift string is made per value.
struct ChainHasher {
    private var bytes: [UInt8] = []

    /// Starts a row of the chain named `domain` (so an audit row and a transaction never hash
    /// alike), after the previous row's hash (nil for the first row).
    init(domain: String, previous: [UInt8]?) {
        bytes.reserveCapacity(2_048)
        start(domain: domain, previous: previous)
    }

    /// Starts the next row, keeping the bytes' storage (one hasher serves a whole insert).
    mutating func start(domain: String, previous: [UInt8]?) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: domain.utf8)
        bytes.append(0)
        if let previous { appendBytes(tag: 4, previous) } else { bytes.append(0) }
    }

    mutating func appendNull() { bytes.append(0) }

    mutating func append(_ value: Int64) {
        bytes.append(1)
        appendBigEndian(UInt64(bitPattern: value))
    }

    mutating func append(real: Double) {
        bytes.append(2)
        appendBigEndian(real.bitPattern)
    }

    mutating func append(text: String?) {
        guard let text else { return appendNull() }
        appendBytes(tag: 3, Array(text.utf8))
    }

    mutating func append(blob: [UInt8]?) {
        guard let blob else { return appendNull() }
        appendBytes(tag: 4, blob)
    }

    /// One argument of a SQL function call.
    mutating func append(value: OpaquePointer?) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: append(sqlite3_value_int64(value))
        case SQLITE_FLOAT: append(real: sqlite3_value_double(value))
        case SQLITE_TEXT:
            let pointer = sqlite3_value_text(value)
            appendRaw(tag: 3, UnsafeRawPointer(pointer), Int(sqlite3_value_bytes(value)))
        case SQLITE_BLOB:
            let pointer = sqlite3_value_blob(value)
            appendRaw(tag: 4, pointer, Int(sqlite3_value_bytes(value)))
        default: appendNull()
        }
    }

    /// One column of the current row of a statement.
    mutating func append(column index: Int32, of statement: OpaquePointer?) {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: append(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: append(real: sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let pointer = sqlite3_column_text(statement, index)
            appendRaw(
                tag: 3, UnsafeRawPointer(pointer), Int(sqlite3_column_bytes(statement, index)))
        case SQLITE_BLOB:
            let pointer = sqlite3_column_blob(statement, index)
            appendRaw(tag: 4, pointer, Int(sqlite3_column_bytes(statement, index)))
        default: appendNull()
        }
    }

    /// The row's hash, 32 bytes.
    func finalize() -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    private mutating func appendBigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func appendBytes(tag: UInt8, _ value: [UInt8]) {
        bytes.append(tag)
        appendBigEndian(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    private mutating func appendRaw(tag: UInt8, _ pointer: UnsafeRawPointer?, _ count: Int) {
        bytes.append(tag)
        appendBigEndian(UInt64(count))
        if let pointer, count > 0 {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }
}

/// A hash as lowercase hex, for messages.
func hexText(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
