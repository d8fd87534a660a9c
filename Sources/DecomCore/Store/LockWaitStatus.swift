import Foundation

/// A writer waiting for the write lock: for whom, and since when.
public struct LockWaitStatus: Sendable, Hashable {
    public var holder: LockHolder
    /// When this writer began to wait.
    public var waitingSince: Date

    public init(holder: LockHolder, waitingSince: Date) {
        self.holder = holder
        self.waitingSince = waitingSince
    }

    /// "Waiting for alice's archive (transaction 12) since 12:03:04 UTC": since the holder took
    /// the lock when its note says so, else since this writer began to wait. Times are UTC, as
    /// everywhere in decom.
    public var description: String {
        if let since = holder.since {
            return "Waiting for \(holder.words) since \(Self.clock(since))"
        }
        let what = holder.isDecom ? holder.words : "another program to finish writing"
        return "Waiting since \(Self.clock(waitingSince)) for \(what)"
    }

    /// A time of day in UTC: "12:03:04 UTC".
    public static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d UTC", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
