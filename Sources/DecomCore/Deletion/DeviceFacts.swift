import Foundation

/// What the policy needs to know of a device to decide on a deletion, and what a plan shows
/// of it: read in one query for many devices.
///
/// A plan keeps the facts it was made on; ``DeletionService/execute(_:as:bulk:progress:)`` reads
/// them again inside its transaction and leaves alone every device whose facts differ
/// (``ItemOutcome/changed``, with ``changes(since:)`` as the reason).
public struct DeviceFacts: Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var serialNumber: String?
    public var clientStatus: ClientStatus
    public var rented: Bool
    public var mdmStatus: MDMStatus?
    public var activeSessions: Int
    /// When the device was archived, for an archived device (seed 001's soft delete).
    public var archivedAt: Date?

    public init(
        id: Int64, name: String?, serialNumber: String?, clientStatus: ClientStatus,
        rented: Bool, mdmStatus: MDMStatus?, activeSessions: Int, archivedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.serialNumber = serialNumber
        self.clientStatus = clientStatus
        self.rented = rented
        self.mdmStatus = mdmStatus
        self.activeSessions = activeSessions
        self.archivedAt = archivedAt
    }

    public init(_ device: Device, activeSessions: Int) {
        self.init(
            id: device.id, name: device.name, serialNumber: device.serialNumber,
            clientStatus: device.clientStatus, rented: device.rent != nil,
            mdmStatus: device.mdm?.status, activeSessions: activeSessions,
            archivedAt: device.archivedAt)
    }

    /// What differs between `earlier` (the facts a plan was made on) and these, in words, one
    /// entry a fact: `client status IN_SERVICE → ARCHIVED`. Empty when nothing differs.
    public func changes(since earlier: DeviceFacts) -> [String] {
        var changes: [String] = []
        func note(_ what: String, _ before: String?, _ after: String?) {
            if before != after {
                changes.append("\(what) \(before ?? "none") → \(after ?? "none")")
            }
        }
        note("client status", earlier.clientStatus.rawValue, clientStatus.rawValue)
        note("MDM status", earlier.mdmStatus?.rawValue, mdmStatus?.rawValue)
        note("archived at", earlier.archivedAt.map(Self.timeText), archivedAt.map(Self.timeText))
        note("rented", earlier.rented ? "yes" : "no", rented ? "yes" : "no")
        note("name", earlier.name, name)
        note("serial", earlier.serialNumber, serialNumber)
        note("active sessions", String(earlier.activeSessions), String(activeSessions))
        return changes
    }

    private static func timeText(_ date: Date) -> String { ISODate.text(date) }
}
