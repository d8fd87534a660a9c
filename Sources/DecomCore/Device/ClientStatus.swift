/// Where a device is in its life at the customer: seed 001's `client_status`, "the device
/// progress key for display and filtering". `archived` is what a soft delete sets.
public enum ClientStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case archived = "ARCHIVED"
    case pendingValidation = "PENDING_VALIDATION"
    case inPreparation = "IN_PREPARATION"
    case delivered = "DELIVERED"
    case shipped = "SHIPPED"
    case available = "AVAILABLE"
    case inService = "IN_SERVICE"
    case inMaintenance = "IN_MAINTENANCE"
    case outOfService = "OUT_OF_SERVICE"
}
