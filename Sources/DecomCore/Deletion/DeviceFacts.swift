import Foundation

/// What the policy needs to know of a device to decide on a deletion, and what a plan shows
/// of it: read in one query for many devices.
public struct DeviceFacts: Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var serialNumber: String?
    public var clientStatus: ClientStatus
    public var rented: Bool
    public var mdmStatus: MDMStatus?
    public var activeSessions: Int

    public init(
        id: Int64, name: String?, serialNumber: String?, clientStatus: ClientStatus,
        rented: Bool, mdmStatus: MDMStatus?, activeSessions: Int
    ) {
        self.id = id
        self.name = name
        self.serialNumber = serialNumber
        self.clientStatus = clientStatus
        self.rented = rented
        self.mdmStatus = mdmStatus
        self.activeSessions = activeSessions
    }

    public init(_ device: Device, activeSessions: Int) {
        self.init(
            id: device.id, name: device.name, serialNumber: device.serialNumber,
            clientStatus: device.clientStatus, rented: device.rent != nil,
            mdmStatus: device.mdm?.status, activeSessions: activeSessions)
    }
}
