import Foundation

extension DeviceListDocument {
    /// `{"data": [...]}` of `rows`, written row by row into `stream`: the same bytes as
    /// ``Documents/text(_:pretty:)`` of `DeviceListDocument(data: rows.map(SummaryDocument.init))`
    /// (keys sorted, pretty, terminal-hostile characters escaped), without building the
    /// document (`decom list --format json`). Tests hold the two equal on the demo fleet and
    /// on hostile text.
    public static func stream(_ rows: some Sequence<DeviceSummary>, into stream: inout ByteStream) {
        stream.write("{\n")
        stream.jsonKey("data", level: 1)
        stream.write("[\n")
        var first = true
        for row in rows {
            if !first { stream.write(",\n") }
            first = false
            SummaryDocument(row).write(into: &stream, level: 2)
            stream.flushIfFull()
        }
        stream.write("\n  ]\n}")
    }
}

extension SummaryDocument {
    /// The row's object at `level` (two spaces a level), keys in the encoder's sorted order.
    func write(into stream: inout ByteStream, level: Int) {
        let s = summary
        let inner = level + 1
        stream.spaces(level * 2)
        stream.write("{\n")
        stream.jsonKey("category", level: inner)
        stream.jsonString(s.category)
        stream.write(",\n")
        stream.jsonKey("client_status", level: inner)
        stream.jsonString(s.clientStatus.rawValue)
        stream.write(",\n")
        stream.jsonKey("compliance", level: inner)
        s.compliance.write(into: &stream, level: inner)
        stream.write(",\n")
        stream.jsonKey("device_status", level: inner)
        stream.jsonString(s.deviceStatus.rawValue)
        stream.write(",\n")
        stream.jsonKey("hwid", level: inner)
        stream.jsonString(s.hwid)
        stream.write(",\n")
        stream.jsonKey("id", level: inner)
        stream.write(String(s.id))
        stream.write(",\n")
        stream.jsonKey("label", level: inner)
        stream.jsonString(s.label)
        stream.write(",\n")
        stream.jsonKey("last_seen", level: inner)
        stream.jsonDate(s.lastSeen)
        stream.write(",\n")
        stream.jsonKey("mac_addresses", level: inner)
        stream.jsonStrings(s.macAddresses, level: inner)
        stream.write(",\n")
        stream.jsonKey("mdm_status", level: inner)
        stream.jsonString(s.mdmStatus?.rawValue)
        stream.write(",\n")
        stream.jsonKey("name", level: inner)
        stream.jsonString(s.name)
        stream.write(",\n")
        stream.jsonKey("os_platform", level: inner)
        stream.jsonString(s.osPlatform)
        stream.write(",\n")
        stream.jsonKey("serial_number", level: inner)
        stream.jsonString(s.serialNumber)
        stream.write(",\n")
        stream.jsonKey("type", level: inner)
        stream.jsonString(s.type)
        stream.write("\n")
        stream.spaces(level * 2)
        stream.write("}")
    }
}

extension ComplianceVerdict {
    /// The verdict's object as its `Encodable` conformance writes it, keys sorted.
    func write(into stream: inout ByteStream, level: Int) {
        stream.write("{\n")
        stream.jsonKey("failing", level: level + 1)
        stream.jsonStrings(failing.map(\.rawValue), level: level + 1)
        stream.write(",\n")
        if case .unknown(let unknown) = self {
            stream.jsonKey("unknown", level: level + 1)
            stream.jsonStrings(unknown.map(\.rawValue), level: level + 1)
            stream.write(",\n")
        }
        stream.jsonKey("verdict", level: level + 1)
        stream.jsonString(name)
        stream.write("\n")
        stream.spaces(level * 2)
        stream.write("}")
    }
}
