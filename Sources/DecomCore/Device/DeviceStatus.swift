/// The device's own standing, as seed 003 (IBM MobileFirst) reports it in a transaction's
/// description: whether the hardware is in use, lost, stolen, expired or disabled.
public enum DeviceStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case active = "ACTIVE"
    case lost = "LOST"
    case stolen = "STOLEN"
    case expired = "EXPIRED"
    case disabled = "DISABLED"
}
