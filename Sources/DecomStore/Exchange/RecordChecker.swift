import DecomCore
import Foundation

/// Reads one imported device from its JSON object, field by field, collecting every problem
/// instead of stopping at the first.
struct RecordChecker {
    let record: Int
    var problems: [FleetImport.Problem] = []

    init(record: Int) { self.record = record }

    static let deviceKeys = Set(Device.CodingKeys.allCases.map(\.rawValue))
        .union(["sessions", "events", "compliance", "external_id"])
    static let characteristicsKeys = Set(Characteristics.CodingKeys.allCases.map(\.rawValue))
    static let mdmKeys = Set(MDMEnrollment.CodingKeys.allCases.map(\.rawValue))
    static let sessionKeys: Set<String> = [
        "token_id", "user", "created_at", "last_used_at", "suspended_by",
    ]
    static let eventKeys: Set<String> = ["at", "kind", "detail"]

    mutating func problem(_ field: String?, _ message: String) {
        problems.append(FleetImport.Problem(record: record, field: field, message: message))
    }

    // MARK: - The device

    /// A serial or HWID: text that a key can name (``DeviceKey/identifierProblem(_:)``).
    private mutating func identifierText(_ value: JSONValue?, _ field: String) -> String? {
        guard let text = string(value, field) else { return nil }
        if let problem = DeviceKey.identifierProblem(text) {
            self.problem(field, "'\(text)' \(problem): a \(field) must be text a key can name")
            return nil
        }
        return text
    }

    mutating func device(_ value: JSONValue) -> DeviceRecord? {
        guard case .object(let o) = value else {
            problem(nil, "expected an object (a device), found \(value.typeName)")
            return nil
        }
        unknownKeys(o, allowed: Self.deviceKeys, prefix: "")
        let id = identifier(o["id"], "id")
        var device = Device(id: id ?? 0)
        device.name = string(o["name"], "name")
        device.serialNumber = identifierText(o["serial_number"], "serial_number")
        device.rent = string(o["rent"], "rent")
        device.trackingNumber = string(o["tracking_number"], "tracking_number")
        let clientStatus = enumValue(o["client_status"], "client_status", ClientStatus.self)
        if o["client_status"] == nil || o["client_status"] == .null {
            problem("client_status", "required field is missing")
        }
        device.type = string(o["type"], "type")
        device.category = string(o["category"], "category")
        device.source = string(o["source"], "source")
        device.comment = string(o["comment"], "comment")
        device.characteristics = characteristics(o["characteristics"])
        device.mdm = mdm(o["mdm"])
        device.label = string(o["label"], "label")
        if let label = device.label, !DeviceKey.isLabel(label) {
            problem(
                "label",
                "'\(label)' is not a label: a letter or digit, then letters, digits, '.', '_' or '-' (at most 128)"
            )
        }
        device.macAddresses = macs(o["mac_addresses"])
        device.hwid = identifierText(o["hwid"], "hwid")
        device.deviceStatus =
            enumValue(o["device_status"], "device_status", DeviceStatus.self) ?? .active
        device.lastSeen = date(o["last_seen"], "last_seen")
        device.archivedAt = date(o["archived_at"], "archived_at")
        let sessions = list(o["sessions"], "sessions") { checker, value, field in
            checker.session(value, field)
        }
        let events = list(o["events"], "events") { checker, value, field in
            checker.event(value, field)
        }
        guard id != nil, let clientStatus else { return nil }
        device.clientStatus = clientStatus
        return DeviceRecord(device: device, sessions: sessions, events: events)
    }

    private mutating func characteristics(_ value: JSONValue?) -> Characteristics {
        var c = Characteristics()
        guard let value, value != .null else { return c }
        guard case .object(let o) = value else {
            problem("characteristics", "expected an object, found \(value.typeName)")
            return c
        }
        unknownKeys(o, allowed: Self.characteristicsKeys, prefix: "characteristics.")
        func s(_ key: String) -> String? { string(o[key], "characteristics." + key) }
        func b(_ key: String) -> Bool? { bool(o[key], "characteristics." + key) }
        func l(_ key: String) -> [String]? { strings(o[key], "characteristics." + key) }
        c.screenSize = s("screen_size")
        c.graphic = s("graphic")
        c.processor = s("processor")
        c.ram = s("ram")
        c.storage = s("storage")
        c.modelYear = s("model_year")
        c.connectivity = s("connectivity")
        c.keyboardLayout = enumValue(
            o["keyboard_layout"], "characteristics.keyboard_layout", KeyboardLayout.self)
        c.resolution = s("resolution")
        c.hasMicrophone = b("has_microphone")
        c.hasWebcam = b("has_webcam")
        c.noiseCancellation = b("noise_cancellation")
        c.compliance = l("compliance")
        c.connectionType = l("connection_type")
        c.hasStool = b("has_stool")
        c.hasVideoPackage = b("has_video_package")
        c.hasScreen = b("has_screen")
        c.hasPremiumTablet = b("has_premium_tablet")
        c.color = s("color")
        c.seatsNumber = s("seats_number")
        c.assembly = s("assembly")
        c.osPlatform = s("os_platform")
        return c
    }

    private mutating func mdm(_ value: JSONValue?) -> MDMEnrollment? {
        guard let value, value != .null else { return nil }
        guard case .object(let o) = value else {
            problem("mdm", "expected an object or null, found \(value.typeName)")
            return nil
        }
        unknownKeys(o, allowed: Self.mdmKeys, prefix: "mdm.")
        let id = identifier(o["id"], "mdm.id")
        let status = enumValue(o["status"], "mdm.status", MDMStatus.self)
        if o["status"] == nil || o["status"] == .null {
            problem("mdm.status", "required field is missing (mdm is given)")
        }
        var m = MDMEnrollment(id: id ?? 0, status: status ?? .draft)
        func b(_ key: String) -> Bool? { bool(o[key], "mdm." + key) }
        func d(_ key: String) -> Date? { date(o[key], "mdm." + key) }
        m.localName = string(o["local_name"], "mdm.local_name")
        m.isLocked = b("is_locked")
        m.lockDate = d("lock_date")
        m.firewallEnabled = b("firewall_enabled")
        m.osUpdatesEnabled = b("os_updates_enabled")
        m.isEncrypted = b("is_encrypted")
        m.screenlockEnabled = b("screenlock_enabled")
        m.isCompromised = b("is_compromised")
        m.osUpdatesAvailable = b("os_updates_available")
        m.diskEncryptionProfileInstalled = b("disk_encryption_profile_installed")
        m.enrollmentDate = d("enrollment_date")
        m.unenrollmentDate = d("unenrollment_date")
        m.downloadDate = d("download_date")
        m.lastSeenDate = d("last_seen_date")
        m.lastSyncDate = d("last_sync_date")
        return m
    }

    private mutating func macs(_ value: JSONValue?) -> [String] {
        guard let list = strings(value, "mac_addresses") else { return [] }
        return list.compactMap { mac in
            guard let normalized = DeviceKey.normalizeMAC(mac) else {
                problem(
                    "mac_addresses",
                    "'\(mac)' is not a MAC address: \(DeviceKey.macForms)"
                )
                return nil
            }
            return normalized
        }
    }

    private mutating func session(_ value: JSONValue, _ field: String) -> Session? {
        guard case .object(let o) = value else {
            problem(field, "expected an object (a session), found \(value.typeName)")
            return nil
        }
        unknownKeys(o, allowed: Self.sessionKeys, prefix: field + ".")
        let token =
            present(o["token_id"], field + ".token_id")
            ? string(o["token_id"], field + ".token_id") : nil
        let user = present(o["user"], field + ".user") ? string(o["user"], field + ".user") : nil
        let created =
            present(o["created_at"], field + ".created_at")
            ? date(o["created_at"], field + ".created_at") : nil
        let lastUsed = date(o["last_used_at"], field + ".last_used_at")
        let suspendedBy = integer(o["suspended_by"], field + ".suspended_by")
        guard let token, let user, let created else { return nil }
        return Session(
            tokenId: token, user: user, createdAt: created, lastUsedAt: lastUsed,
            suspendedBy: suspendedBy)
    }

    private mutating func event(_ value: JSONValue, _ field: String) -> DeviceEvent? {
        guard case .object(let o) = value else {
            problem(field, "expected an object (an event), found \(value.typeName)")
            return nil
        }
        unknownKeys(o, allowed: Self.eventKeys, prefix: field + ".")
        let at = present(o["at"], field + ".at") ? date(o["at"], field + ".at") : nil
        let kind = present(o["kind"], field + ".kind") ? string(o["kind"], field + ".kind") : nil
        let detail = string(o["detail"], field + ".detail")
        guard let at, let kind else { return nil }
        return DeviceEvent(at: at, kind: kind, detail: detail)
    }

    // MARK: - Fields

    private mutating func unknownKeys(
        _ object: [String: JSONValue], allowed: Set<String>, prefix: String
    ) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            problem(prefix + key, "unknown field")
        }
    }

    /// Whether a required field is there; a problem when it is not.
    private mutating func present(_ value: JSONValue?, _ field: String) -> Bool {
        guard let value, value != .null else {
            problem(field, "required field is missing")
            return false
        }
        return true
    }

    /// An id: a whole number from 1 (seed 001's `^[1-9]\d*$`); required.
    private mutating func identifier(_ value: JSONValue?, _ field: String) -> Int64? {
        guard let value, value != .null else {
            problem(field, "required field is missing")
            return nil
        }
        guard let id = integer(value, field) else { return nil }
        guard id >= 1 else {
            problem(field, "\(id) is not an id: ids are whole numbers from 1")
            return nil
        }
        return id
    }

    private mutating func integer(_ value: JSONValue?, _ field: String) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .integer(let n)?: return n
        case let other?:
            problem(field, "expected a whole number, found \(describe(other))")
            return nil
        }
    }

    private mutating func string(_ value: JSONValue?, _ field: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return keepable(s, field)
        case let other?:
            problem(field, "expected a string, found \(describe(other))")
            return nil
        }
    }

    /// The text, or nil with a problem when it holds a NUL: SQLite text is bound up to its
    /// first NUL, so the rest would be lost without a word.
    private mutating func keepable(_ text: String, _ field: String) -> String? {
        guard text.utf8.contains(0) else { return text }
        problem(field, "contains a NUL character (\\u0000), which the database cannot keep")
        return nil
    }

    private mutating func bool(_ value: JSONValue?, _ field: String) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?:
            problem(field, "expected true, false or null, found \(describe(other))")
            return nil
        }
    }

    private mutating func strings(_ value: JSONValue?, _ field: String) -> [String]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    problem(field, "expected a list of strings, found \(describe(item)) in it")
                    return nil
                }
                guard let s = keepable(s, field) else { return nil }
                result.append(s)
            }
            return result
        case let other?:
            problem(field, "expected a list of strings, found \(describe(other))")
            return nil
        }
    }

    private mutating func date(_ value: JSONValue?, _ field: String) -> Date? {
        guard let text = string(value, field) else { return nil }
        guard let date = StoreDate.date(text) else {
            problem(field, "'\(text)' is not an ISO 8601 date like 2026-11-22T19:37:30Z")
            return nil
        }
        return date
    }

    private mutating func enumValue<E: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, _ field: String, _: E.Type
    ) -> E? where E.RawValue == String {
        guard let text = string(value, field) else { return nil }
        guard let result = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            problem(field, "'\(text)' is not one of \(allowed)")
            return nil
        }
        return result
    }

    private mutating func list<T>(
        _ value: JSONValue?, _ field: String,
        _ element: (inout RecordChecker, JSONValue, String) -> T?
    ) -> [T] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            return items.enumerated().compactMap { index, item in
                element(&self, item, "\(field)[\(index + 1)]")
            }
        case let other?:
            problem(field, "expected a list, found \(describe(other))")
            return []
        }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "the string '\(s)'"
        case .array, .object: value.typeName
        default: "\(value.typeName) \(value.compactText)"
        }
    }
}
