import Foundation

/// Timings of one figure over several runs, in milliseconds (or another unit for memory).
struct Samples: Sendable {
    var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    /// The middle value (the mean of the two middle ones for an even count).
    var median: Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    var worst: Double { values.max() ?? .nan }
}

/// Milliseconds taken by `body`, on the monotonic clock.
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
}

/// Keeps a value alive so the optimizer cannot drop the work that made it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
