import DecomCore
import Foundation

/// Adds a generated fleet (``DemoFleet``) in one transaction, in chunks so memory stays
/// bounded. Used by `decom seed`, `decom demo` and the benchmark.
public enum Seeder {
    /// Adds `count` devices after those already in the store and returns their ids.
    public static func seed(store: any FleetStore, count: Int, seed: UInt64, now: Date = Date())
        throws -> ClosedRange<Int64>
    {
        try store.write { writer in
            let existing = try writer.deviceCount(scope: .all)
            let firstId: Int64 =
                existing == 0
                ? 1
                : (try writer.summaries(scope: .all, evaluator: ComplianceEvaluator()).last?.id ?? 0)
                    + 1
            // Mix the first id into the seed so a second fleet added with the same seed does not
            // repeat the first one's serials and MAC addresses.
            let mixed = existing == 0 ? seed : seed ^ (UInt64(firstId) &* 0x9E37_79B9_7F4A_7C15)
            let chunk = 10_000
            var done = 0
            while done < count {
                let n = min(chunk, count - done)
                let records = DemoFleet.generate(
                    count: n, seed: mixed &+ UInt64(done), firstId: firstId + Int64(done), now: now)
                try writer.insert(records)
                done += n
            }
            return firstId...(firstId + Int64(count) - 1)
        }
    }
}
