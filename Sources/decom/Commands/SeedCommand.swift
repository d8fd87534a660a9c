import ArgumentParser
import DecomCore
import Foundation

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Add a generated demo fleet (deterministic for a seed).",
        discussion: """
            Laptops, desktops, phones, tablets and IoT gateways on macOS, Windows, iOS, Android
            and Linux, with every client and MDM status, about a quarter non-compliant, some
            lost or stolen, some rented, and sessions. Added after the devices already there.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "How many devices to add.") var devices: Int = 1_000
    @Option(help: "The generator's seed: the same seed gives the same fleet.") var seed: UInt64 = 1

    func run() throws {
        guard (1...5_000_000).contains(devices) else {
            throw CLIError("--devices must be between 1 and 5000000")
        }
        if try common.actor().role == .viewer {
            throw CLIError("role viewer may not add devices")
        }
        let store = try common.openStore()
        let added = try Seeder.seed(store: store, count: devices, seed: seed)
        Output.write(
            "Added \(added.count) devices (ids \(added.lowerBound)–\(added.upperBound)) to \(store.path).\n"
        )
    }
}

/// Adds a generated fleet in one transaction, in chunks so memory stays bounded.
enum Seeder {
    static func seed(store: any FleetStore, count: Int, seed: UInt64, now: Date = Date()) throws
        -> ClosedRange<Int64>
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
