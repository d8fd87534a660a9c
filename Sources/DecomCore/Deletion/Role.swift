/// Who may do what (seed 003's admin, deployer and operator roles, narrowed to ours).
///
/// A `viewer` reads; an `operator` may also archive, unenroll, undo, import and seed; an
/// `admin` may also purge. Enforced by ``DeletionService``, so no front end can skip it.
public enum Role: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case viewer, `operator`, admin

    public static let `default`: Role = .admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    /// The least role that may perform an operation.
    public static func required(for type: TransactionType) -> Role {
        switch type {
        case .archive, .unenroll, .archiveUnenroll, .restore, .import, .seed: .operator
        case .purge: .admin
        }
    }

    public func may(_ type: TransactionType) -> Bool { self >= Role.required(for: type) }

    public func may(_ mode: DeletionMode) -> Bool { may(mode.transactionType) }
}

/// The person acting and their role, as recorded on every transaction and audit entry.
public struct Actor: Sendable, Hashable, Codable {
    public var user: String
    public var role: Role

    public init(user: String, role: Role) {
        self.user = user
        self.role = role
    }
}
