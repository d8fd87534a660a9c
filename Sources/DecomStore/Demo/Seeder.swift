import DecomCore
import Foundation

/// Adds a generated fleet (``DemoFleet``) in one transaction, in chunks so memory stays
/// bounded, recorded as a SEED transaction (``DeviceIntake``). Used by `decom seed`, `decom
/// demo` and the benchmark.
public enum Seeder {
    /// What a seed added.
    public struct Added: Sendable, Hashable {
        public var ids: ClosedRange<Int64>
        /// The SEED transaction that records it.
        public var transaction: Int64
    }

    /// Adds `count` devices after those already in the store, as `actor`.
    public static func seed(
        store: any FleetStore, count: Int, seed: UInt64, actor: Actor, now: Date = Date()
    ) throws -> Added {
        let intake = DeviceIntake(source: .generated(seed: seed), actor: actor)
        if let refusal = intake.refusal { throw refusal }
        return try store.write { writer in
            // The device with the highest id, read alone (not every device of the fleet).
            let last = try writer.summaries(
                DeviceSelection(scope: .all, sort: DeviceSort(column: .id, ascending: false)),
                evaluator: ComplianceEvaluator(), limit: 1, offset: 0
            ).first
            let firstId = (last?.id ?? 0) + 1
            // Mix the first id into the seed so a second fleet added with the same seed does not
            // repeat the first one's serials and MAC addresses.
            let mixed = last == nil ? seed : seed ^ (UInt64(firstId) &* 0x9E37_79B9_7F4A_7C15)
            let chunk = 10_000
            let recorded = try intake.run(writer: writer, at: now) { add in
                var done = 0
                while done < count {
                    let n = min(chunk, count - done)
                    try add(
                        DemoFleet.generate(
                            count: n, seed: mixed &+ UInt64(done), firstId: firstId + Int64(done),
                            now: now))
                    done += n
                }
            }
            return Added(
                ids: firstId...(firstId + Int64(count) - 1), transaction: recorded.transaction)
        }
    }
}
