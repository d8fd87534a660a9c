/// The compliance of a device: the worst of its checks wins (`non_compliant` over `unknown`
/// over `compliant`). A device with no MDM row is `unknown`.
public enum ComplianceVerdict: Sendable, Hashable {
    case compliant
    case nonCompliant(failing: [ComplianceCheck])
    case unknown(unknown: [ComplianceCheck])

    /// The verdict's name in the JSON and the query language.
    public var name: String {
        switch self {
        case .compliant: "compliant"
        case .nonCompliant: "non_compliant"
        case .unknown: "unknown"
        }
    }

    /// Failing checks (empty unless non-compliant).
    public var failing: [ComplianceCheck] {
        if case .nonCompliant(let failing) = self { return failing }
        return []
    }

    /// Order from best to worst, for sorting.
    public var severity: Int {
        switch self {
        case .compliant: 0
        case .unknown: 1
        case .nonCompliant(let failing): 1 + failing.count
        }
    }
}

extension ComplianceVerdict: Encodable {
    private enum CodingKeys: String, CodingKey { case verdict, failing, unknown }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .verdict)
        try c.encode(failing.map(\.rawValue), forKey: .failing)
        if case .unknown(let unknown) = self {
            try c.encode(unknown.map(\.rawValue), forKey: .unknown)
        }
    }
}

/// An MDM's own compliance verdict, kept beside decom's (issue 14): Intune's
/// `complianceState` (`compliant`, `noncompliant`, `inGracePeriod`, `conflict`, `error`,
/// `unknown`, `configManager`, from Microsoft Graph's `managedDevice` documentation).
public struct VendorCompliance: Sendable, Hashable {
    /// The MDM that gave it (`intune`).
    public var source: String
    /// Its verdict as the MDM writes it.
    public var state: String

    public init(source: String, state: String) {
        self.source = source
        self.state = state
    }

    /// Whether the MDM's verdict says otherwise than decom's. `compliant` agrees only with
    /// compliant; `noncompliant` and `inGracePeriod` (non-compliant, not yet enforced) only
    /// with non-compliant; a verdict that says nothing (`unknown`, `conflict`, `error`,
    /// `configManager`) disagrees with none, and neither does decom's `unknown`.
    public func disagrees(with verdict: ComplianceVerdict) -> Bool {
        let vendor: Bool
        switch state.lowercased() {
        case "compliant": vendor = true
        case "noncompliant", "ingraceperiod": vendor = false
        default: return false
        }
        switch verdict {
        case .compliant: return !vendor
        case .nonCompliant: return vendor
        case .unknown: return false
        }
    }
}
