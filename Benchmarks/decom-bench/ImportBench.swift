import DecomCore
import DecomStore
import Foundation

/// A Fleet export of the fleet's size (`fleetctl get hosts --json`, one host a line) imported
/// whole into an empty database, against decom's own JSON import of the same devices (its
/// peer, run in the same run), and the same export imported again (a sync where every device
/// is unchanged) (issue 14).
struct ImportBench {
    static let actor = Actor(user: "bench", role: .admin)

    let devices: Int
    let folder: URL
    let runs: Int

    /// `count` made-up hosts in Fleet's shape, every one with a serial, a UUID and a MAC.
    static func fleetHosts(_ count: Int) -> Data {
        var text = ""
        text.reserveCapacity(count * 420)
        for n in 1...count {
            let hex = String(n, radix: 16)
            let mac = String(repeating: "0", count: max(0, 6 - hex.count)) + hex
            let octets = stride(from: 0, to: 6, by: 2).map {
                String(mac[mac.index(mac.startIndex, offsetBy: $0)...].prefix(2))
            }
            let wipe = n % 97 == 0 ? "wipe" : ""
            text += """
                {"kind":"host","apiVersion":"v1","spec":{"id":\(n),"display_name":"host-\(n)",\
                "hostname":"host-\(n).corp","hardware_serial":"BENCH\(n)","uuid":"00000000-0000-4000-8000-\(String(format: "%012d", n))",\
                "primary_mac":"a4:83:e7:\(octets.joined(separator: ":"))","platform":"darwin","os_version":"macOS 14.6",\
                "cpu_brand":"Apple M2","memory":17179869184,"seen_time":"2026-11-30T09:15:00Z",\
                "last_enrolled_at":"2026-01-12T08:00:00Z","disk_encryption_enabled":true,\
                "mdm":{"enrollment_status":"On (automatic)","device_status":"unlocked","pending_action":"\(wipe)"}}}

                """
        }
        return Data(text.utf8)
    }

    func measure() throws -> [Figure] {
        let hosts = Self.fleetHosts(devices)
        var fleet = Samples()
        var own = Samples()
        var again = Samples()
        for run in 0..<runs {
            let vendor = folder.appendingPathComponent("import-fleet-\(run).sqlite").path
            let peer = folder.appendingPathComponent("import-own-\(run).sqlite").path
            defer { DeletionBench.remove(vendor) }
            defer { DeletionBench.remove(peer) }
            let store = try SQLiteFleetStore(path: vendor)
            fleet.add(
                try milliseconds {
                    let result = try FleetImport.runRecorded(
                        hosts, into: store, source: "hosts.json", actor: Self.actor,
                        format: .fleet)
                    guard result.count == devices else {
                        throw BenchError("the Fleet import added \(result.count) devices")
                    }
                })
            // The peer: the same devices as decom's own JSON (its export, external ids
            // included), into an empty database.
            let exported = try FleetExport.data(from: store, format: .json)
            let peerStore = try SQLiteFleetStore(path: peer)
            own.add(
                try milliseconds {
                    try FleetImport.run(
                        exported, into: peerStore, source: "export.json", actor: Self.actor)
                })
            again.add(
                try milliseconds {
                    let result = try FleetImport.runRecorded(
                        hosts, into: store, source: "hosts.json", actor: Self.actor,
                        format: .fleet)
                    guard result.unchanged == devices else {
                        throw BenchError("the re-import left \(result.unchanged) unchanged")
                    }
                })
        }
        return [
            Figure(
                name: "Fleet export imported", unit: "ms", ours: fleet, bare: own, target: .none,
                note: "\(Report.count(devices)) hosts, NDJSON; peer: decom's own JSON import"),
            Figure(
                name: "Fleet export re-imported", unit: "ms", ours: again, bare: fleet,
                target: .none, note: "every host unchanged; peer: the first import"),
        ]
    }
}
