/// The raw MDM enrollment status of seed 001's `mdm.status`.
public enum MDMStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case draft = "DRAFT"
    case subscribed = "SUBSCRIBED"
    case downloaded = "DOWNLOADED"
    case identified = "IDENTIFIED"
    case enrollmentInProgress = "ENROLLMENT_IN_PROGRESS"
    case enrolled = "ENROLLED"
    case unenrolled = "UNENROLLED"
    case deviceWipePending = "DEVICE_WIPE_PENDING"
}
