import Crypto
import Foundation

/// OpenSSH's private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, the `openssh-key-v1`
/// format of OpenSSH's PROTOCOL.key), for one unencrypted ed25519 key.
enum OpenSSHKeyFile {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static let magic = Data("openssh-key-v1".utf8) + Data([0])
    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"

    static func encode(seed: Data, publicKey: Data, comment: String) -> String {
        var publicBlob = SSHWire()
        publicBlob.append(string: Data("ssh-ed25519".utf8))
        publicBlob.append(string: publicKey)

        var secret = SSHWire()
        let check = UInt32.random(in: .min ... .max)
        secret.append(uint32: check)
        secret.append(uint32: check)
        secret.append(string: Data("ssh-ed25519".utf8))
        secret.append(string: publicKey)
        secret.append(string: seed + publicKey)
        secret.append(string: Data(comment.utf8))
        var pad: UInt8 = 1
        while secret.data.count % 8 != 0 {
            secret.data.append(pad)
            pad += 1
        }

        var file = SSHWire()
        file.data.append(magic)
        file.append(string: Data("none".utf8))
        file.append(string: Data("none".utf8))
        file.append(string: Data())
        file.append(uint32: 1)
        file.append(string: publicBlob.data)
        file.append(string: secret.data)

        let base64 = file.data.base64EncodedString()
        var lines = [begin]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(70)))
            rest = rest.dropFirst(70)
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    static func decode(_ text: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        let lines = text.split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let first = lines.firstIndex(of: begin), let last = lines.lastIndex(of: end),
            first < last
        else { throw Problem(description: "not an OpenSSH private key file") }
        guard let data = Data(base64Encoded: lines[(first + 1)..<last].joined()) else {
            throw Problem(description: "the key is not base64")
        }
        var reader = SSHWireReader(data: data)
        guard reader.read(count: magic.count) == magic else {
            throw Problem(description: "not an openssh-key-v1 key")
        }
        let cipher = reader.readString()
        let kdf = reader.readString()
        _ = reader.readString()
        guard cipher == Data("none".utf8), kdf == Data("none".utf8) else {
            throw Problem(description: "the key is encrypted: a host key must have no passphrase")
        }
        guard reader.readUInt32() == 1 else {
            throw Problem(description: "the file must hold exactly one key")
        }
        _ = reader.readString()
        guard let secret = reader.readString() else {
            throw Problem(description: "the file is cut short")
        }
        var inner = SSHWireReader(data: secret)
        let check1 = inner.readUInt32()
        let check2 = inner.readUInt32()
        guard check1 != nil, check1 == check2 else {
            throw Problem(description: "the key's check numbers differ")
        }
        guard inner.readString() == Data("ssh-ed25519".utf8) else {
            throw Problem(description: "not an ed25519 key: create one with ssh-keygen -t ed25519")
        }
        _ = inner.readString()
        guard let both = inner.readString(), both.count == 64 else {
            throw Problem(description: "the ed25519 key has the wrong length")
        }
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: both.prefix(32))
        } catch {
            throw Problem(description: "the ed25519 key is not valid")
        }
    }
}

/// SSH's wire encoding (RFC 4251 §5): big-endian uint32, and strings prefixed by their
/// length.
struct SSHWire {
    var data = Data()

    mutating func append(uint32 value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) }
    }

    mutating func append(string: Data) {
        append(uint32: UInt32(string.count))
        data.append(string)
    }
}

struct SSHWireReader {
    var data: Data
    var offset = 0

    init(data: Data) { self.data = Data(data) }

    mutating func read(count: Int) -> Data? {
        guard count >= 0, data.count - offset >= count else { return nil }
        let slice = data.subdata(in: offset..<(offset + count))
        offset += count
        return slice
    }

    mutating func readUInt32() -> UInt32? {
        guard let bytes = read(count: 4) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readString() -> Data? {
        guard let length = readUInt32(), length <= 1 << 20 else { return nil }
        return read(count: Int(length))
    }
}
