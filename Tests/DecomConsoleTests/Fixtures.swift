import DecomConsole
import DecomCore
import Foundation

/// Hand-made devices and states on a fixed clock: no generator, no database.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let day: TimeInterval = 86_400

    static func row(
        _ id: Int64, _ name: String?, type: String = "laptop", os: String = "macOS",
        status: ClientStatus = .inService, mdm: MDMStatus? = .enrolled,
        compliance: ComplianceVerdict = .compliant, seenDaysAgo: Double? = 3,
        label: String? = nil, rented: Bool = false
    ) -> DeviceSummary {
        DeviceSummary(
            id: id, name: name, serialNumber: String(format: "SN%06d", id), type: type,
            category: "it", osPlatform: os, clientStatus: status, mdmStatus: mdm,
            deviceStatus: .active, label: label, hwid: nil, macAddresses: [],
            lastSeen: seenDaysAgo.map { now.addingTimeInterval(-$0 * day) }, rented: rented,
            compliance: compliance)
    }

    /// Ten devices: alpha-1…alpha-5 and beta-6…beta-10, with each verdict represented.
    static var fleet: [DeviceSummary] {
        (1...10).map { i in
            let id = Int64(i)
            let name = i <= 5 ? "alpha-\(i)" : "beta-\(i)"
            let verdict: ComplianceVerdict =
                switch i % 3 {
                case 0: .nonCompliant(failing: [.firewall, .diskEncryption])
                case 1: .compliant
                default: .unknown(unknown: [.screenLock])
                }
            return row(
                id, name, type: i % 2 == 0 ? "phone" : "laptop", os: i % 2 == 0 ? "iOS" : "macOS",
                compliance: verdict, seenDaysAgo: Double(i * 4))
        }
    }

    static func state(
        _ rows: [DeviceSummary] = fleet, role: Role = .admin, width: Int = 80, height: Int = 24
    ) -> ConsoleState {
        var state = ConsoleState(
            actor: Actor(user: "alice", role: role), databaseName: "fleet.sqlite",
            themeNames: ["default", "dark", "daylight", "mono"], now: now)
        _ = reduce(&state, .resized(Size(width: width, height: height)))
        _ = reduce(&state, .loaded(DeviceRows(rows), scope: .active))
        return state
    }

    /// Feeds keys and returns every effect they produced.
    @discardableResult
    static func press(_ state: inout ConsoleState, _ keys: Key...) -> [Effect] {
        keys.flatMap { reduce(&state, .key($0)) }
    }

    @discardableResult
    static func type(_ state: inout ConsoleState, _ text: String) -> [Effect] {
        text.flatMap { reduce(&state, .key(.char($0))) }
    }

    static func facts(_ row: DeviceSummary, sessions: Int = 1) -> DeviceFacts {
        DeviceFacts(
            id: row.id, name: row.name, serialNumber: row.serialNumber,
            clientStatus: row.clientStatus, rented: row.rented, mdmStatus: row.mdmStatus,
            activeSessions: sessions)
    }

    /// A plan for the rows: every one applied, except the ids in `forbidden`.
    static func plan(
        _ rows: some Sequence<DeviceSummary>, mode: DeletionMode, forbidden: Set<Int64> = [],
        role: Role = .admin
    ) -> DeletionPlan {
        DeletionPlan(
            mode: mode, actor: Actor(user: "alice", role: role), createdAt: now,
            items: rows.map { row in
                DeletionPlan.Item(
                    key: String(row.id), device: facts(row),
                    decision: forbidden.contains(row.id)
                        ? .skip(.forbidden, reason: "a device wipe is pending in the MDM")
                        : .apply)
            })
    }

    static func record(
        id: Int64, _ type: TransactionType, applied: [DeviceSummary],
        forbidden: [DeviceSummary] = [], undoes: Int64? = nil
    ) -> TransactionRecord {
        let outcome: ItemOutcome =
            switch type {
            case .archive: .archived
            case .purge: .purged
            case .unenroll: .unenrolled
            case .archiveUnenroll: .archivedUnenrolled
            case .restore: .restored
            case .import: .imported
            case .seed: .seeded
            }
        let items =
            applied.map {
                ItemResult(
                    key: String($0.id), deviceId: $0.id, deviceName: $0.name, outcome: outcome)
            }
            + forbidden.map {
                ItemResult(
                    key: String($0.id), deviceId: $0.id, deviceName: $0.name, outcome: .forbidden,
                    reason: "rented device is IN_SERVICE; end the rental or take it back first")
            }
        return TransactionRecord(
            id: id, type: type, status: .success, user: "alice", role: .admin, createdAt: now,
            updatedAt: now, items: items, undoes: undoes)
    }

    /// A full device for the details pane.
    static func device(_ id: Int64, name: String) -> Device {
        Device(
            id: id, name: name, serialNumber: String(format: "SN%06d", id), rent: "RENT-7",
            trackingNumber: "TRK-1", clientStatus: .inService, type: "laptop", category: "it",
            source: "import", comment: "desk 4",
            characteristics: Characteristics(
                screenSize: "14", processor: "M2", ram: "16GB", storage: "512GB",
                keyboardLayout: .frenchAzerty, hasMicrophone: true, hasWebcam: nil,
                osPlatform: "macOS"),
            mdm: MDMEnrollment(
                id: 900 + id, status: .enrolled, localName: "mbp-\(id)", isLocked: false,
                firewallEnabled: false, osUpdatesEnabled: true, isEncrypted: true,
                screenlockEnabled: nil, isCompromised: false, osUpdatesAvailable: false,
                diskEncryptionProfileInstalled: true,
                enrollmentDate: now.addingTimeInterval(-400 * day),
                lastSeenDate: now.addingTimeInterval(-3 * day),
                lastSyncDate: now.addingTimeInterval(-3 * day)),
            label: "desk-\(id)", macAddresses: ["00:0c:29:cd:c7:b2"], hwid: "12ds44f5gacd52234",
            lastSeen: now.addingTimeInterval(-3 * day))
    }

    static func details(_ id: Int64, name: String) -> DeviceDetails {
        DeviceDetails(
            device: device(id, name: name),
            evaluator: ComplianceEvaluator(now: now),
            sessions: [
                Session(tokenId: "t1", user: "bob", createdAt: now.addingTimeInterval(-2 * day))
            ],
            transactions: [])
    }
}
