import DecomCore
import DecomTestSupport
import Foundation
import GRDB

@testable import DecomStore

/// A fresh folder under the system's temporary folder, for one test's database files.
func temporaryFolder() throws -> URL {
    try TestFolders.make("store-tests")
}

/// A new, empty store in a fresh folder.
func makeStore() throws -> SQLiteFleetStore {
    try SQLiteFleetStore(path: temporaryFolder().appendingPathComponent("fleet.sqlite").path)
}

/// A store holding the given records.
func makeStore(_ records: [DeviceRecord]) throws -> SQLiteFleetStore {
    let store = try makeStore()
    try store.write { try $0.insert(records) }
    return store
}

/// 2026-11-22T19:37:30Z, the fixed "now" of the tests.
let testNow = Date(timeIntervalSince1970: 1_795_376_250)

func daysAgo(_ days: Double) -> Date { testNow.addingTimeInterval(-days * 86_400) }

let admin = Actor(user: "alice", role: .admin)
let operatorActor = Actor(user: "oscar", role: .operator)
let viewer = Actor(user: "vera", role: .viewer)

/// An MDM enrollment that passes every compliance check at ``testNow``.
func compliantMDM(id: Int64, status: MDMStatus = .enrolled) -> MDMEnrollment {
    MDMEnrollment(
        id: id, status: status, localName: "mdm-\(id)", isLocked: false, lockDate: nil,
        firewallEnabled: true, osUpdatesEnabled: true, isEncrypted: true, screenlockEnabled: true,
        isCompromised: false, osUpdatesAvailable: false, diskEncryptionProfileInstalled: true,
        enrollmentDate: daysAgo(200), unenrollmentDate: nil, downloadDate: daysAgo(201),
        lastSeenDate: daysAgo(1), lastSyncDate: daysAgo(1.5))
}

private func hexByte(_ value: Int64) -> String {
    let digits = String(value % 256, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
}

/// A device with every field set: nothing of it can go missing in a round trip unnoticed.
/// Some booleans are left `nil` on purpose (unknown must stay unknown).
func makeDevice(
    _ id: Int64, clientStatus: ClientStatus = .available, mdmStatus: MDMStatus? = .enrolled,
    rent: String? = nil
) -> Device {
    let low = hexByte(id)
    let high = hexByte(id / 256)
    return Device(
        id: id, name: "LAPTOP-\(id)", serialNumber: "C02SER\(id)", rent: rent,
        trackingNumber: "TRK\(id)", clientStatus: clientStatus, type: "laptop",
        category: "computer", source: "import", comment: "test device \(id) — ünïcode",
        characteristics: Characteristics(
            screenSize: "14\"", graphic: "integrated", processor: "M3", ram: "16GB",
            storage: "512GB", modelYear: "2024", connectivity: "wifi",
            keyboardLayout: .frenchAzerty, resolution: "3024x1964", hasMicrophone: true,
            hasWebcam: false, noiseCancellation: nil, compliance: ["CE", "FCC"],
            connectionType: ["usb-c", "thunderbolt"], hasStool: nil, hasVideoPackage: false,
            hasScreen: true, hasPremiumTablet: nil, color: "silver", seatsNumber: nil,
            assembly: nil, osPlatform: "macOS"),
        mdm: mdmStatus.map { compliantMDM(id: 10_000 + id, status: $0) },
        label: "dev-\(id)",
        macAddresses: ["00:0c:29:\(high):\(low):b2", "00:0c:30:\(high):\(low):b3"],
        hwid: "HW\(id)X", deviceStatus: .active, lastSeen: daysAgo(2).addingTimeInterval(0.25),
        archivedAt: nil)
}

/// A device with two sessions (one active, one already ended elsewhere) and an event.
func makeRecord(
    _ id: Int64, clientStatus: ClientStatus = .available, mdmStatus: MDMStatus? = .enrolled,
    rent: String? = nil
) -> DeviceRecord {
    DeviceRecord(
        device: makeDevice(id, clientStatus: clientStatus, mdmStatus: mdmStatus, rent: rent),
        sessions: [
            Session(
                tokenId: "tok-\(id)-a", user: "user\(id)", createdAt: daysAgo(10),
                lastUsedAt: daysAgo(1)),
            Session(tokenId: "tok-\(id)-b", user: "user\(id)", createdAt: daysAgo(9)),
        ],
        events: [DeviceEvent(at: daysAgo(3), kind: "check_in", detail: "ok")])
}

/// Counts rows of a table through a raw connection, to see what the store's API hides.
func count(_ store: SQLiteFleetStore, _ table: String, deviceId: Int64? = nil) throws -> Int {
    try store.database.read { db in
        if let deviceId {
            let column = table == "devices" ? "id" : "device_id"
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM \(table) WHERE \(column) = ?",
                arguments: [deviceId]) ?? -1
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
    }
}
