import Foundation

/// One vendor record turned into a device object in decom's own import shape (the keys of
/// `Device`'s JSON), which the import then checks like any hand-written record.
///
/// The mapping is the README's table ("Importing from an MDM"). The device and its enrollment
/// get the placeholder id `number` (the record's place in the file); the import gives them
/// fresh ids in the database. `client_status` has no vendor equivalent: it is
/// `clientStatus`, the admin's `--client-status`. A pending wipe (or Intune retire, a
/// selective wipe) becomes `DEVICE_WIPE_PENDING`, which the deletion policy refuses to
/// delete.
public struct VendorMapping {
    public let format: ImportFormat
    public let clientStatus: ClientStatus

    public init(format: ImportFormat, clientStatus: ClientStatus) {
        self.format = format
        self.clientStatus = clientStatus
    }

    /// The decom device of vendor record `number` (from 1) and its id in the vendor's
    /// system, with what is wrong in it.
    public func device(_ value: JSONValue, number: Int) -> (
        device: JSONValue?, externalID: String?, complianceState: String?,
        problems: [ImportProblem]
    ) {
        var reader = FieldReader(record: number)
        guard case .object(let o) = value else {
            reader.problem(nil, "expected an object (a device), found \(value.typeName)")
            return (nil, nil, nil, reader.problems)
        }
        var device: [String: JSONValue]
        switch format {
        case .fleet: device = fleet(o, &reader)
        case .intune: device = intune(o, &reader)
        case .jamf: device = jamf(o, &reader)
        case .decom, .intuneCSV: return (value, nil, nil, [])
        }
        let externalID = reader.externalID
        device["id"] = .integer(Int64(number))
        if case .object(var mdm)? = device["mdm"] {
            mdm["id"] = .integer(Int64(number))
            device["mdm"] = .object(mdm)
        }
        device["client_status"] = .string(clientStatus.rawValue)
        device["source"] = format.source.map(JSONValue.string) ?? .null
        return (
            reader.problems.isEmpty ? .object(device) : nil, externalID, reader.complianceState,
            reader.problems
        )
    }

    /// Intune portal CSV rows: `header` is the first row's labels, each row its cells.
    public func devices(csvHeader header: [String], rows: [(line: Int, cells: [String?])])
        -> ([(device: JSONValue, externalID: String?, complianceState: String?)], [ImportProblem])
    {
        let columns = IntuneCSVColumns(header: header)
        if let missing = columns.missing {
            return (
                [],
                [
                    ImportProblem(
                        record: nil, field: missing,
                        message: "required column is missing from the CSV header")
                ]
            )
        }
        var devices: [(device: JSONValue, externalID: String?, complianceState: String?)] = []
        var problems: [ImportProblem] = []
        for (index, row) in rows.enumerated() {
            guard row.cells.count == header.count else {
                problems.append(
                    ImportProblem(
                        record: index + 1, field: nil,
                        message:
                            "line \(row.line) has \(row.cells.count) cells, the header \(header.count)"
                    ))
                continue
            }
            var object: [String: JSONValue] = [:]
            for (label, key) in columns.keys {
                if let text = columns.cell(label, row.cells), !text.isEmpty {
                    object[key] = .string(text)
                }
            }
            var reader = FieldReader(record: index + 1)
            var device = intune(object, &reader, csv: true)
            device["id"] = .integer(Int64(index + 1))
            if case .object(var mdm)? = device["mdm"] {
                mdm["id"] = .integer(Int64(index + 1))
                device["mdm"] = .object(mdm)
            }
            device["client_status"] = .string(clientStatus.rawValue)
            device["source"] = .string("intune")
            problems += reader.problems
            if reader.problems.isEmpty {
                devices.append((.object(device), reader.externalID, reader.complianceState))
            }
        }
        return (devices, problems)
    }

    // MARK: - Fleet

    private func fleet(_ o: [String: JSONValue], _ r: inout FieldReader) -> [String: JSONValue] {
        var d: [String: JSONValue] = [:]
        r.readExternalID(o["id"], "id")
        d["name"] = r.text(o["display_name"]) ?? r.text(o["hostname"]) ?? r.text(o["computer_name"])
        d["serial_number"] = r.text(o["hardware_serial"])
        d["hwid"] = r.text(o["uuid"])
        d["mac_addresses"] = r.macs([o["primary_mac"]])
        d["last_seen"] = r.date(o["seen_time"])
        var c: [String: JSONValue] = [:]
        c["os_platform"] = r.text(o["platform"])
        c["processor"] = r.text(o["cpu_brand"])
        if case .integer(let bytes)? = o["memory"], bytes > 0 {
            c["ram"] = .string("\(bytes / 1_073_741_824) GB")
        }
        d["characteristics"] = .object(c)
        var m: [String: JSONValue] = [:]
        var status: MDMStatus? = nil
        if case .object(let mdm)? = o["mdm"] {
            let enrollment = r.text(mdm["enrollment_status"]).flatMap(\.textValue) ?? ""
            if enrollment.hasPrefix("On") {
                status = .enrolled
            } else if enrollment == "Pending" {
                status = .enrollmentInProgress
            } else if enrollment == "Off" {
                status = .unenrolled
            }
            let device = r.text(mdm["device_status"]).flatMap(\.textValue)
            let pending = r.text(mdm["pending_action"]).flatMap(\.textValue)
            if device == "locked" { m["is_locked"] = .bool(true) }
            if device == "unlocked" { m["is_locked"] = .bool(false) }
            if pending == "wipe" || device == "wiping" {
                status = .deviceWipePending
            } else if device == "wiped" {
                status = .unenrolled
            }
        }
        if let status {
            m["status"] = .string(status.rawValue)
            m["enrollment_date"] = r.date(o["last_enrolled_at"])
            m["last_seen_date"] = r.date(o["seen_time"])
            m["is_encrypted"] = r.flag(o["disk_encryption_enabled"])
            d["mdm"] = .object(m)
        }
        return d
    }

    // MARK: - Intune

    private func intune(_ o: [String: JSONValue], _ r: inout FieldReader, csv: Bool = false)
        -> [String: JSONValue]
    {
        var d: [String: JSONValue] = [:]
        r.readExternalID(o["id"], csv ? "Device ID" : "id")
        r.complianceState = r.text(o["complianceState"]).flatMap(\.textValue)
        d["name"] = r.text(o["deviceName"])
        d["serial_number"] = r.text(o["serialNumber"])
        d["mac_addresses"] = r.macs([o["wiFiMacAddress"], o["ethernetMacAddress"]])
        d["type"] = r.text(o["deviceType"])
        d["last_seen"] = r.date(o["lastSyncDateTime"])
        var c: [String: JSONValue] = [:]
        c["os_platform"] = r.text(o["operatingSystem"])
        d["characteristics"] = .object(c)
        var m: [String: JSONValue] = [:]
        let state = (r.text(o["managementState"]).flatMap(\.textValue) ?? "managed")
            .lowercased().filter { $0 != " " }
        let status: MDMStatus =
            switch state {
            case "wipepending", "wipeissued", "retirepending", "retireissued":
                .deviceWipePending
            case "discovered": .identified
            default: .enrolled
            }
        m["status"] = .string(status.rawValue)
        m["enrollment_date"] = r.date(o["enrolledDateTime"])
        m["last_sync_date"] = r.date(o["lastSyncDateTime"])
        m["is_encrypted"] = r.flag(o["isEncrypted"])
        m["is_compromised"] = r.flag(o["jailBroken"])
        d["mdm"] = .object(m)
        return d
    }

    // MARK: - Jamf Pro

    private func jamf(_ o: [String: JSONValue], _ r: inout FieldReader) -> [String: JSONValue] {
        func section(_ name: String) -> [String: JSONValue] {
            if case .object(let s)? = o[name] { return s }
            return [:]
        }
        let general = section("general")
        let hardware = section("hardware")
        let system = section("operatingSystem")
        let security = section("security")
        var d: [String: JSONValue] = [:]
        r.readExternalID(o["id"], "id")
        d["name"] = r.text(general["name"])
        d["serial_number"] = r.text(hardware["serialNumber"])
        d["hwid"] = r.text(o["udid"])
        d["mac_addresses"] = r.macs([hardware["macAddress"], hardware["altMacAddress"]])
        d["last_seen"] = r.date(general["lastContactTime"])
        var c: [String: JSONValue] = [:]
        c["os_platform"] = r.text(system["name"])
        c["processor"] = r.text(hardware["processorType"])
        if case .integer(let megabytes)? = hardware["totalRamMegabytes"], megabytes > 0 {
            c["ram"] = .string("\(megabytes / 1024) GB")
        }
        d["characteristics"] = .object(c)
        var m: [String: JSONValue] = [:]
        var managed = false
        if case .object(let remote)? = general["remoteManagement"],
            case .bool(true)? = remote["managed"]
        {
            managed = true
        }
        m["status"] = .string((managed ? MDMStatus.enrolled : .unenrolled).rawValue)
        m["enrollment_date"] = r.date(general["lastEnrolledDate"])
        m["last_seen_date"] = r.date(general["lastContactTime"])
        m["firewall_enabled"] = r.flag(security["firewallEnabled"])
        if let vault = r.text(system["fileVault2Status"]).flatMap(\.textValue) {
            m["is_encrypted"] = .bool(vault == "ALL_ENCRYPTED")
        }
        d["mdm"] = .object(m)
        return d
    }
}

extension JSONValue {
    fileprivate var textValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// Reads vendor fields leniently (a vendor's empty string or zero date is "unknown") and
/// collects the problems that make a record unusable.
struct FieldReader {
    let record: Int
    var problems: [ImportProblem] = []
    /// The vendor's id of the device, once read.
    var externalID: String?
    /// The vendor's own compliance verdict (Intune's `complianceState`: `compliant`,
    /// `noncompliant`, `inGracePeriod`, …), kept beside decom's.
    var complianceState: String?

    mutating func problem(_ field: String?, _ message: String) {
        problems.append(ImportProblem(record: record, field: field, message: message))
    }

    /// The vendor's id of the device: required, a string or a whole number.
    mutating func readExternalID(_ value: JSONValue?, _ field: String) {
        switch value {
        case .string(let s)? where !s.trimmingCharacters(in: .whitespaces).isEmpty:
            if s.utf8.contains(0) {
                problem(field, "contains a NUL character (\\u0000)")
            } else {
                externalID = s.trimmingCharacters(in: .whitespaces)
            }
        case .integer(let n)?: externalID = String(n)
        case nil, .null?, .string?: problem(field, "required field is missing")
        case let other?: problem(field, "expected a string or a number, found \(other.typeName)")
        }
    }

    /// What vendors and firmware write where they have no value: a virtual machine's serial
    /// number is often "Not Specified" or "To Be Filled By O.E.M.", and two such devices
    /// must not clash as one serial. Compared without case.
    static let placeholders: Set<String> = [
        "unknown", "not specified", "not available", "n/a", "na", "none", "null", "-",
        "to be filled by o.e.m.", "default string", "system serial number",
        "chassis serial number", "invalid", "0",
    ]

    /// Text, or nil for absent, null, empty or a placeholder (``placeholders``).
    func text(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .string(let s)?:
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || Self.placeholders.contains(trimmed.lowercased()) { return nil }
            return .string(trimmed)
        case .integer(let n)?: return .string(String(n))
        default: return nil
        }
    }

    /// A yes/no: JSON booleans, or text such as "True", "Yes", "false" (CSV cells, Intune's
    /// `jailBroken`); anything else is unknown.
    func flag(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .bool(let b)?: return .bool(b)
        case .string(let s)?:
            switch s.lowercased() {
            case "true", "yes": return .bool(true)
            case "false", "no": return .bool(false)
            default: return nil
            }
        default: return nil
        }
    }

    /// An ISO 8601 date as decom writes it; nil for the vendors' "never" (`0001-01-01…`, an
    /// empty string). A date without a zone (Intune's CSV) is UTC.
    func date(_ value: JSONValue?) -> JSONValue? {
        guard case .string(var s)? = value else { return nil }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.isEmpty || s.hasPrefix("0001-01-01") { return nil }
        let tail = s.dropFirst(19)
        if s.count >= 19, !tail.contains("Z"), !tail.contains("+"), !tail.contains("-") {
            s += "Z"
        }
        return .string(s)
    }

    /// The MAC addresses given, without empty, zero or broadcast ones and without repeats.
    func macs(_ values: [JSONValue?]) -> JSONValue {
        var seen: [String] = []
        for value in values {
            guard case .string(let s)? = text(value) else { continue }
            let key = DeviceKey.normalizeMAC(s) ?? s
            // A zero or broadcast address is no device's (virtual adapters report them).
            if key == "00:00:00:00:00:00" || key == "ff:ff:ff:ff:ff:ff" { continue }
            if !seen.contains(where: { (DeviceKey.normalizeMAC($0) ?? $0) == key }) {
                seen.append(s)
            }
        }
        return .array(seen.map(JSONValue.string))
    }
}

/// The Intune portal's device list CSV: display labels matched by name (case, spaces and
/// hyphens ignored), unknown ones ignored, each known one read as a Graph property.
struct IntuneCSVColumns {
    /// Label → the Graph `managedDevice` property it holds.
    static let properties: [(label: String, key: String)] = [
        ("Device ID", "id"), ("Device name", "deviceName"), ("Serial number", "serialNumber"),
        ("Wi-Fi MAC", "wiFiMacAddress"), ("Ethernet MAC", "ethernetMacAddress"),
        ("OS", "operatingSystem"), ("OS version", "osVersion"),
        ("Last check-in", "lastSyncDateTime"), ("Enrollment date", "enrolledDateTime"),
        ("Compliance", "complianceState"), ("Management state", "managementState"),
        ("Device state", "managementState"), ("Encrypted", "isEncrypted"),
        ("Jailbroken", "jailBroken"), ("Manufacturer", "manufacturer"), ("Model", "model"),
        ("Device type", "deviceType"),
    ]
    static let required = ["Device ID", "Device name"]

    static func normalized(_ label: String) -> String {
        label.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" }
    }

    let index: [String: Int]
    var keys: [(String, String)] {
        Self.properties.filter { index[Self.normalized($0.label)] != nil }
            .map { ($0.label, $0.key) }
    }

    init(header: [String]) {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[Self.normalized(name)] == nil {
            index[Self.normalized(name)] = i
        }
        self.index = index
    }

    /// The first required label the header lacks.
    var missing: String? { Self.required.first { index[Self.normalized($0)] == nil } }

    func cell(_ label: String, _ cells: [String?]) -> String? {
        guard let i = index[Self.normalized(label)], i < cells.count else { return nil }
        return cells[i]
    }
}
