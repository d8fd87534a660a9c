import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomStore
import Foundation

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Add a generated demo fleet (deterministic for a seed).",
        usage: "decom seed [--devices <n>] [--seed <n>] [options]",
        discussion: """
            Laptops, desktops, phones, tablets and IoT gateways on macOS, Windows, iOS,
            Android and Linux, with every client and MDM status, about a quarter
            non-compliant, some lost or stolen, some rented, and sessions. Added after the
            devices already there.
            """)

    @OptionGroup var common: CommonOptions
    @Option(parsing: .unconditional, help: "How many devices to add.") var devices: Int = 1_000
    @Option(
        parsing: .unconditional, help: "The generator's seed: the same seed gives the same fleet.")
    var seed: UInt64 = 1

    func run() throws {
        guard (1...10_000_000).contains(devices) else {
            throw CLIError("--devices must be between 1 and 10000000")
        }
        let actor = try common.actor()
        if let refusal = DeviceIntake(source: .generated(seed: seed), actor: actor).refusal {
            throw CLIError(refusal.description)
        }
        let store = try common.openStore(.fill)
        let added = try Seeder.seed(store: store, count: devices, seed: seed, actor: actor)
        Output.write(
            "Added \(NumberText.grouped(added.ids.count)) devices (ids \(added.ids.lowerBound)–\(added.ids.upperBound)) to \(store.path) (transaction \(added.transaction)).\n"
        )
    }
}
