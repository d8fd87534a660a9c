/// The rules that decide, device by device, whether a deletion may go ahead.
///
/// Forbidden whatever the role (seed 001's DEVICE_MUTATION_FORBIDDEN): a device whose MDM has
/// a wipe pending or an enrollment in progress, and a rented device that is shipped,
/// delivered or in service. The role itself is checked by ``DeletionService`` before any
/// device is read.
public enum DeletionPolicy {
    /// The client statuses in which a rented device may not be touched.
    public static let rentedLockedStatuses: Set<ClientStatus> = [.shipped, .delivered, .inService]

    /// Why this device may not be changed by `mode`, or nil when it may.
    public static func refusal(for facts: DeviceFacts, mode: DeletionMode) -> (
        outcome: ItemOutcome, reason: String
    )? {
        switch facts.mdmStatus {
        case .deviceWipePending:
            return (.forbidden, "a device wipe is pending in the MDM; wait for it to finish")
        case .enrollmentInProgress:
            return (.forbidden, "an MDM enrollment is in progress; wait for it to finish")
        default: break
        }
        if facts.rented && rentedLockedStatuses.contains(facts.clientStatus) {
            return (
                .forbidden,
                "rented device is \(facts.clientStatus.rawValue); end the rental or take it back first"
            )
        }
        switch mode {
        case .archive where facts.clientStatus == .archived:
            return (.alreadyArchived, "already archived; nothing changed")
        case .unenroll where facts.mdmStatus == nil:
            return (.notEnrolled, "no MDM enrollment to remove")
        case .unenroll where facts.mdmStatus == .unenrolled:
            return (.notEnrolled, "already unenrolled")
        case .archiveAndUnenroll
        where facts.clientStatus == .archived
            && (facts.mdmStatus == nil || facts.mdmStatus == .unenrolled):
            return (
                .alreadyArchived, "already archived, with no MDM agent to remove; nothing changed"
            )
        default:
            return nil
        }
    }

    /// The refusal of a purge of more than one device without an explicit bulk confirmation
    /// (seed 002 requires a bulk flag; the CLI's `--bulk`, the console's typed count), or nil.
    /// It applies whatever chose the devices: keys, a key list, a filter, or an age.
    public static func bulkRefusal(mode: DeletionMode, count: Int) -> String? {
        guard mode == .purge, count > 1 else { return nil }
        return
            "purging \(count) devices at once needs the bulk confirmation (--bulk), as bulk delete APIs require"
    }

    /// The refusal of `actor` canceling a queued transaction of `owner`, or nil when they may.
    ///
    /// Canceling is a write, so a viewer may cancel nothing. An operator cancels only their
    /// own transactions (as each user's undo stack is their own); an admin cancels anyone's,
    /// as an admin may undo anyone's archive by naming it. Only a PENDING transaction can be
    /// canceled at all (``DeletionQueue/cancel(_:as:)`` checks that).
    public static func cancelRefusal(owner: String, actor: Actor) -> String? {
        if actor.role == .viewer {
            return "role viewer may not cancel a transaction; it needs operator"
        }
        if actor.role < .admin && owner != actor.user {
            return
                "only \(SafeText.visible(owner)), who submitted it, or an admin may cancel it"
        }
        return nil
    }

    /// The refusal of a role that may not perform `mode` at all.
    public static func scopeRefusal(role: Role, mode: DeletionMode) -> String? {
        guard !role.may(mode) else { return nil }
        return
            "role \(role.rawValue) may not \(mode.verb); it needs \(Role.required(for: mode.transactionType).rawValue)"
    }
}
