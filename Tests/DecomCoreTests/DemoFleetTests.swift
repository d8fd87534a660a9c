import Foundation
import Testing

@testable import DecomCore

struct DemoFleetTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let fleet = DemoFleet.generate(count: 2_000, seed: 7, now: now)
    static var devices: [Device] { fleet.map(\.device) }

    // MARK: - Determinism

    @Test func sameSeedGivesTheSameFleet() {
        #expect(
            DemoFleet.generate(count: 300, seed: 7, now: Self.now) == Array(Self.fleet.prefix(300)))
    }

    @Test func differentSeedGivesADifferentFleet() {
        let other = DemoFleet.generate(count: 300, seed: 8, now: Self.now)
        #expect(other != Array(Self.fleet.prefix(300)))
        #expect(
            other.map(\.device.serialNumber) != Self.fleet.prefix(300).map(\.device.serialNumber))
    }

    @Test func splitMixMatchesItsReferenceOutput() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func idsAreConsecutiveFromFirstId() {
        let fleet = DemoFleet.generate(count: 5, seed: 1, firstId: 1_000, now: Self.now)
        #expect(fleet.map(\.device.id) == [1_000, 1_001, 1_002, 1_003, 1_004])
        #expect(DemoFleet.generate(count: 0, seed: 1, now: Self.now).isEmpty)
        #expect(
            DemoFleet.generate(count: 3, seed: 1, firstId: Int64.max - 1, now: Self.now).count == 2)
    }

    // MARK: - Uniqueness

    @Test func identifiersAreUnique() {
        let devices = Self.devices
        let serials = devices.compactMap(\.serialNumber)
        let macs = devices.flatMap(\.macAddresses)
        let hwids = devices.compactMap(\.hwid)
        let labels = devices.compactMap(\.label)
        let tokens = Self.fleet.flatMap(\.sessions).map(\.tokenId)
        #expect(Set(devices.map(\.id)).count == devices.count)
        #expect(serials.count == devices.count && Set(serials).count == serials.count)
        #expect(Set(macs).count == macs.count)
        #expect(hwids.count == devices.count && Set(hwids).count == hwids.count)
        #expect(labels.count > devices.count * 9 / 10 && Set(labels).count == labels.count)
        #expect(tokens.count > 1_000 && Set(tokens).count == tokens.count)
    }

    @Test func identifiersStayUniqueAcrossFleetsSeededAtLaterIds() {
        let first = DemoFleet.generate(count: 500, seed: 1, now: Self.now).map(\.device)
        let second = DemoFleet.generate(count: 500, seed: 2, firstId: 501, now: Self.now)
            .map(\.device)
        let all = first + second
        #expect(Set(all.compactMap(\.serialNumber)).count == all.count)
        #expect(Set(all.flatMap(\.macAddresses)).count == all.flatMap(\.macAddresses).count)
        #expect(Set(all.compactMap(\.hwid)).count == all.count)
    }

    /// `decom seed --devices 10000000` reaches ids past 2²³, where the MAC addresses' 24 bits
    /// of `2 × id + n` start again: the fleet's unique index on them must still hold.
    @Test func macAddressesStayUniquePastEightMillionIds() {
        let low = DemoFleet.generate(count: 3_000, seed: 1, now: Self.now).map(\.device)
        let high = DemoFleet.generate(
            count: 3_000, seed: 1, firstId: 8_388_607, now: Self.now
        ).map(\.device)
        let macs = (low + high).flatMap(\.macAddresses)
        #expect(Set(macs).count == macs.count)
        for mac in high.flatMap(\.macAddresses) {
            #expect(DeviceKey.normalizeMAC(mac) == mac)
        }
        #expect(high.last?.macAddresses.first?.hasPrefix("02:00:01:") == true)
    }

    @Test func identifiersAreValidKeys() {
        for device in Self.devices {
            for mac in device.macAddresses {
                #expect(DeviceKey.normalizeMAC(mac) == mac)
            }
            #expect((1...2).contains(device.macAddresses.count))
            if let label = device.label { #expect(DeviceKey.isLabel(label)) }
            if let hwid = device.hwid {
                #expect((try? DeviceKey.parse("hwid:" + hwid).get()) == .hwid(hwid))
            }
            if let serial = device.serialNumber {
                #expect((try? DeviceKey.parse("serial:" + serial).get()) == .serial(serial))
            }
        }
    }

    // MARK: - Realism and distribution

    @Test func everyStatusOccursEvenInASmallFleet() {
        let small = DemoFleet.generate(count: 20, seed: 99, now: Self.now).map(\.device)
        #expect(Set(small.map(\.clientStatus)) == Set(ClientStatus.allCases))
        #expect(Set(small.compactMap(\.mdm?.status)) == Set(MDMStatus.allCases))
        #expect(Set(small.map(\.deviceStatus)) == Set(DeviceStatus.allCases))
    }

    @Test func typesAndPlatformsAreAllThere() {
        let devices = Self.devices
        #expect(
            Set(devices.compactMap(\.type)) == [
                "laptop", "desktop", "phone", "tablet", "iot_gateway",
            ])
        let platforms = devices.compactMap(\.characteristics.osPlatform)
        for system in ["macOS", "Windows", "iOS", "Android", "Linux"] {
            #expect(platforms.contains { $0.hasPrefix(system) }, "no \(system) device")
        }
        #expect(devices.allSatisfy { $0.characteristics.osPlatform != nil })
    }

    @Test func namesAreAssetTagsWithAFewInOtherScripts() {
        let names = Self.devices.compactMap(\.name)
        let tagged = names.filter { $0.wholeMatch(of: /[A-Z]{2}-[A-Z]{3}-[0-9]{5,}/) != nil }
        #expect(tagged.count > names.count * 9 / 10)
        #expect(
            names.contains {
                $0.unicodeScalars.contains { $0.value >= 0x3040 && $0.value < 0xA000 }
            })
        #expect(names.contains { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
        #expect(names.contains { $0.contains("ë") || $0.contains("ü") })
        #expect(Self.devices.contains { $0.name == nil })
    }

    @Test func noGeneratedTextNeedsEscaping() {
        for record in Self.fleet {
            let d = record.device
            let texts =
                [d.name, d.serialNumber, d.label, d.hwid, d.comment, d.type, d.category]
                .compactMap { $0 } + d.macAddresses + record.sessions.map(\.user)
            for text in texts {
                #expect(SafeText.visible(text) == text)
            }
        }
    }

    @Test func aboutAQuarterAreNonCompliantAndSomeUnknown() {
        let evaluator = ComplianceEvaluator(now: Self.now)
        let verdicts = Self.devices.map { evaluator.verdict($0) }
        let nonCompliant = verdicts.filter { $0.name == "non_compliant" }.count
        let unknown = verdicts.filter { $0.name == "unknown" }.count
        let share = Double(nonCompliant) / Double(verdicts.count)
        #expect(share > 0.20 && share < 0.31, "non-compliant share \(share)")
        #expect(unknown > verdicts.count / 25)
        #expect(Self.devices.contains { $0.mdm == nil })
        // Enrolled devices fail for posture reasons too, not only for not being enrolled.
        #expect(
            verdicts.contains {
                !$0.failing.isEmpty && !$0.failing.contains(.enrolled)
            })
    }

    @Test func someAreLostStolenRentedInServiceAndArchivedLongAgo() {
        let devices = Self.devices
        #expect(devices.filter { $0.deviceStatus == .lost }.count > 10)
        #expect(devices.filter { $0.deviceStatus == .stolen }.count > 5)
        #expect(devices.filter { $0.rent != nil && $0.clientStatus == .inService }.count > 50)
        let archived = devices.filter(\.isArchived)
        #expect(archived.count > 50)
        #expect(archived.allSatisfy { $0.archivedAt != nil })
        #expect(devices.filter { !$0.isArchived }.allSatisfy { $0.archivedAt == nil })
        let month = 30 * 86_400.0
        #expect(archived.contains { Self.now.timeIntervalSince($0.archivedAt ?? Self.now) > month })
        #expect(archived.contains { Self.now.timeIntervalSince($0.archivedAt ?? Self.now) < month })
    }

    @Test func datesAreInThePast() {
        for record in Self.fleet {
            let d = record.device
            for date in [d.lastSeen, d.archivedAt, d.mdm?.enrollmentDate, d.mdm?.lastSeenDate]
            where date != nil {
                #expect(date ?? Self.now <= Self.now)
            }
            for session in record.sessions {
                #expect(session.createdAt <= Self.now)
                #expect((session.lastUsedAt ?? session.createdAt) >= session.createdAt)
                #expect(session.isActive)
            }
        }
    }

    @Test func sessionsAndEventsAreThere() {
        let counts = Self.fleet.map(\.sessions.count)
        #expect(Set(counts) == [0, 1, 2, 3])
        #expect(Self.fleet.filter { $0.device.isArchived }.allSatisfy { $0.sessions.isEmpty })
        #expect(Self.fleet.allSatisfy { $0.events.count <= 4 })
        #expect(Self.fleet.filter { !$0.events.isEmpty }.count > Self.fleet.count / 2)
    }

    @Test func characteristicsFitTheType() {
        for device in Self.devices {
            let c = device.characteristics
            switch device.type {
            case "laptop":
                #expect(c.keyboardLayout != nil && c.hasScreen == true && c.screenSize != nil)
            case "phone":
                #expect(c.keyboardLayout == nil && c.connectionType?.contains("5g") == true)
            case "iot_gateway":
                #expect(c.hasScreen == false && c.hasWebcam == false)
            default: break
            }
        }
        let layouts = Set(Self.devices.compactMap(\.characteristics.keyboardLayout))
        #expect(layouts == Set(KeyboardLayout.allCases))
        #expect(Self.devices.contains { $0.characteristics.noiseCancellation == nil })
        #expect(Self.devices.contains { $0.characteristics.compliance?.contains("CE") == true })
    }

    /// How long it takes is the benchmark's figure (`make bench`, "demo fleet"), never a test's:
    /// a test that asserts a duration fails on a busy machine.
    @Test func hundredThousandDevicesGenerateWithUniqueIdentifiers() {
        let records = DemoFleet.generate(count: 100_000, seed: 1, now: Self.now)
        #expect(records.count == 100_000)
        #expect(Set(records.map(\.device.id)).count == 100_000)
        let serials = records.compactMap { $0.device.serialNumber?.lowercased() }
        #expect(Set(serials).count == serials.count, "serials are unique")
        let hwids = records.compactMap { $0.device.hwid?.lowercased() }
        #expect(Set(hwids).count == hwids.count, "HWIDs are unique")
        let macs = records.flatMap(\.device.macAddresses)
        #expect(Set(macs).count == macs.count, "MAC addresses are unique")
    }
}
