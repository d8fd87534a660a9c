import Foundation

/// Generates a realistic demo fleet, the same for the same seed (`decom seed`, benchmarks,
/// the console's demo).
///
/// Laptops, desktops, phones, tablets and IoT gateways on macOS, Windows, iOS, Android and
/// Linux, named by asset tag (`LT-PAR-00421`) with a few names in other scripts (accents, CJK,
/// an emoji). The first devices take every client status, MDM status and device status in
/// turn, so even a small fleet shows them all. About a quarter are non-compliant and about a
/// tenth unknown at `now`; some are lost or stolen, some rented and in service, some archived
/// more than 30 days ago.
///
/// Serials, MAC addresses, HWIDs, labels and session token ids are derived from the device id
/// through a bijection, so they are unique within a fleet (up to 36⁶ ids; MAC addresses up to
/// 2³⁹) and across fleets seeded at different ids.
public enum DemoFleet {
    public static func generate(count: Int, seed: UInt64, firstId: Int64 = 1, now: Date)
        -> [DeviceRecord]
    {
        guard count > 0, firstId > 0 else { return [] }
        var rng = SplitMix64(seed: seed)
        var records: [DeviceRecord] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            let (id, overflow) = firstId.addingReportingOverflow(Int64(index))
            if overflow { break }
            let maker = DeviceMaker(index: index, id: id, now: now)
            records.append(maker.make(&rng))
        }
        return records
    }
}

// MARK: - Vocabulary

enum DemoKind: CaseIterable {
    case laptop, desktop, phone, tablet, gateway

    var type: String {
        switch self {
        case .laptop: "laptop"
        case .desktop: "desktop"
        case .phone: "phone"
        case .tablet: "tablet"
        case .gateway: "iot_gateway"
        }
    }

    var tag: String {
        switch self {
        case .laptop: "LT"
        case .desktop: "DT"
        case .phone: "PH"
        case .tablet: "TB"
        case .gateway: "GW"
        }
    }

    var systems: [(DemoOS, Int)] {
        switch self {
        case .laptop: [(.macOS, 45), (.windows, 45), (.linux, 10)]
        case .desktop: [(.windows, 60), (.macOS, 25), (.linux, 15)]
        case .phone: [(.iOS, 55), (.android, 45)]
        case .tablet: [(.iOS, 60), (.android, 40)]
        case .gateway: [(.linux, 85), (.android, 15)]
        }
    }

    static let weights: [(DemoKind, Int)] = [
        (.laptop, 45), (.desktop, 15), (.phone, 20), (.tablet, 10), (.gateway, 10),
    ]
}

enum DemoOS {
    case macOS, windows, iOS, android, linux

    var platforms: [String] {
        switch self {
        case .macOS: ["macOS 13.6", "macOS 14.5", "macOS 15.1"]
        case .windows: ["Windows 10 22H2", "Windows 11 23H2", "Windows 11 24H2"]
        case .iOS: ["iOS 16.7", "iOS 17.5", "iOS 18.1"]
        case .android: ["Android 13", "Android 14", "Android 15"]
        case .linux: ["Linux Ubuntu 22.04", "Linux Ubuntu 24.04", "Linux Debian 12"]
        }
    }

    /// Organizationally unique identifiers of the usual vendors.
    var ouis: [String] {
        switch self {
        case .macOS, .iOS: ["a4:83:e7", "3c:22:fb", "f0:18:98"]
        case .windows: ["f8:bc:12", "54:e1:ad", "3c:a9:f4", "00:0c:29"]
        case .android: ["8c:f5:a3", "e8:50:8b", "2c:ae:2b"]
        case .linux: ["b8:27:eb", "dc:a6:32", "00:0c:29", "54:e1:ad"]
        }
    }

    var isApple: Bool { self == .macOS || self == .iOS }
}

struct DemoSite {
    var code: String
    var layout: KeyboardLayout

    static let all: [DemoSite] = [
        DemoSite(code: "PAR", layout: .frenchAzerty), DemoSite(code: "LYS", layout: .frenchAzerty),
        DemoSite(code: "LON", layout: .englishQwerty),
        DemoSite(code: "NYC", layout: .americanEnglishQwerty),
        DemoSite(code: "SFO", layout: .americanEnglishQwerty),
        DemoSite(code: "TOR", layout: .canadianEnglishQwerty),
        DemoSite(code: "BER", layout: .germanQwertz), DemoSite(code: "ZRH", layout: .swissQwertz),
        DemoSite(code: "MAD", layout: .spanishQwerty),
        DemoSite(code: "MIL", layout: .italianQwerty),
        DemoSite(code: "LIS", layout: .portugueseQwerty),
        DemoSite(code: "AMS", layout: .dutchQwerty),
        DemoSite(code: "SIN", layout: .internationalEnglishQwerty),
    ]
}

enum DemoWords {
    /// Names in other scripts, so the console's wide-character handling has work to do.
    static let specialNames = [
        "MacBook de Zoë", "会議室タブレット", "Kiosk ☕ Café", "Front desk iPad",
        "Portátil de Íñigo", "📦 Spare stock", "Bürorechner Jürgen", "Ordinateur d'Hélène",
        "Front Desk hub",
    ]
    static let firstNames = [
        "alice", "bruno", "chloé", "david", "emma", "farid", "grace", "hugo", "inès", "jonas",
        "kenji", "léa", "marco", "nadia", "olivier", "priya", "quentin", "rosa", "sven", "tomás",
    ]
    static let lastNames = [
        "martin", "bernard", "müller", "rossi", "garcia", "smith", "tanaka", "dubois", "silva",
        "jansen", "nowak", "keller", "moreau", "costa", "haddad",
    ]
    static let categories: [(String, Int)] = [
        ("staff", 60), ("shared", 12), ("loaner", 8), ("lab", 6), ("kiosk", 6), ("executive", 5),
        ("spare", 3),
    ]
    static let sources = [
        "apple_business_manager", "windows_autopilot", "android_zero_touch", "manual",
        "csv_import",
    ]
    static let comments = [
        "screen cracked, repair ticket open", "returned by a leaver", "battery swells",
        "keyboard replaced", "reassigned after team move", "waiting for a charger",
    ]
    static let colors = ["Space Grey", "Silver", "Black", "Midnight", "Starlight", "White"]
    static let certifications = ["CE", "FCC", "RoHS", "ENERGY STAR", "EPEAT Gold", "UL"]
    static let alphanumeric = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
    static let lowerAlphanumeric = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    static let hex = Array("0123456789abcdef")
}

// MARK: - One device

struct DeviceMaker {
    let index: Int
    let id: Int64
    let now: Date

    static let day: TimeInterval = 86_400
    static let clientStatuses: [(ClientStatus, Int)] = [
        (.inService, 55), (.available, 10), (.delivered, 7), (.shipped, 4),
        (.inPreparation, 4), (.pendingValidation, 3), (.inMaintenance, 5), (.outOfService, 4),
        (.archived, 8),
    ]
    static let deviceStatuses: [(DeviceStatus, Int)] = [
        (.active, 91), (.lost, 3), (.stolen, 2), (.expired, 2), (.disabled, 2),
    ]
    static let mdmStatuses: [(MDMStatus, Int)] = [
        (.enrolled, 80), (.unenrolled, 5), (.draft, 2), (.subscribed, 2), (.downloaded, 2),
        (.identified, 3), (.enrollmentInProgress, 3), (.deviceWipePending, 3),
    ]

    init(index: Int, id: Int64, now: Date) {
        self.index = index
        self.id = id
        self.now = now
    }

    func ago(days: Int, _ rng: inout SplitMix64) -> Date {
        now.addingTimeInterval(-Double(days) * Self.day - Double(rng.below(86_400)))
    }

    func make(_ rng: inout SplitMix64) -> DeviceRecord {
        let kind = rng.weighted(DemoKind.weights)
        let os = rng.weighted(kind.systems)
        let site = rng.pick(DemoSite.all)
        let tag = "\(kind.tag)-\(site.code)-\(Self.padded(id, 5))"

        var name: String? = tag
        if index % 97 == 13 {
            let special = DemoWords.specialNames[(index / 97) % DemoWords.specialNames.count]
            name = "\(special) (\(tag))"
        } else if rng.chance(0.5) {
            name = nil
        }

        // The first devices take every status in turn; the rest are drawn.
        let clientStatus =
            index < ClientStatus.allCases.count
            ? ClientStatus.allCases[index] : rng.weighted(Self.clientStatuses)
        let deviceStatus =
            index < DeviceStatus.allCases.count
            ? DeviceStatus.allCases[DeviceStatus.allCases.count - 1 - index]
            : rng.weighted(Self.deviceStatuses)

        let rentable = [ClientStatus.inService, .shipped, .delivered].contains(clientStatus)
        let rented = index == 6 || rng.chance(rentable ? 22 : 5)
        let rent =
            rented ? "RC-\(2022 + rng.below(4))-\(Self.padded(Int64(rng.below(100_000)), 5))" : nil
        let trackingNumber =
            (clientStatus == .shipped || clientStatus == .delivered)
            ? "1Z" + Self.randomText(16, DemoWords.alphanumeric, &rng) : nil

        let mdm = makeMDM(os: os, tag: tag, deviceStatus: deviceStatus, &rng)
        var lastSeen = mdm?.lastSeenDate
        if mdm == nil || rng.chance(3) {
            lastSeen = rng.chance(60) ? ago(days: rng.below(120), &rng) : nil
        }

        let archivedAt =
            clientStatus == .archived ? ago(days: 1 + rng.below(90), &rng) : nil

        let device = Device(
            id: id, name: name, serialNumber: serial(os, &rng), rent: rent,
            trackingNumber: trackingNumber, clientStatus: clientStatus, type: kind.type,
            category: rng.weighted(DemoWords.categories),
            source: rng.chance(85) ? rng.pick(DemoWords.sources) : nil,
            comment: rng.chance(6) ? rng.pick(DemoWords.comments) : nil,
            characteristics: characteristics(kind, os, site, &rng), mdm: mdm,
            label: rng.chance(2)
                ? nil : "\(kind.tag.lowercased())-\(site.code.lowercased())-\(id)",
            macAddresses: macs(kind, os, &rng), hwid: hwid(&rng), deviceStatus: deviceStatus,
            lastSeen: lastSeen, archivedAt: archivedAt)
        return DeviceRecord(
            device: device, sessions: sessions(kind, clientStatus, &rng),
            events: events(device, &rng))
    }

    // MARK: MDM and compliance

    func makeMDM(
        os: DemoOS, tag: String, deviceStatus: DeviceStatus, _ rng: inout SplitMix64
    ) -> MDMEnrollment? {
        let status: MDMStatus
        if index < MDMStatus.allCases.count {
            status = MDMStatus.allCases[index]
        } else if rng.chance(6) {
            return nil
        } else {
            status = rng.weighted(Self.mdmStatuses)
        }
        let enrolledDays = 30 + rng.below(900)
        var m = MDMEnrollment(
            id: id, status: status,
            localName: os.isApple ? tag.lowercased() + ".local" : tag,
            enrollmentDate: status == .draft ? nil : ago(days: enrolledDays, &rng))
        m.downloadDate = m.enrollmentDate.map { $0.addingTimeInterval(-Self.day) }
        if deviceStatus == .lost || deviceStatus == .stolen {
            m.isLocked = true
            m.lockDate = ago(days: rng.below(20), &rng)
        } else {
            m.isLocked = rng.flag(yes: 2, unknown: 10)
        }
        if status == .unenrolled { m.unenrollmentDate = ago(days: rng.below(25), &rng) }

        if status == .enrolled {
            // Good posture, then spoil a few: ~9% non-compliant, ~5% unknown.
            m.isEncrypted = true
            m.firewallEnabled = true
            m.screenlockEnabled = true
            m.osUpdatesEnabled = true
            m.osUpdatesAvailable = false
            m.isCompromised = false
            m.lastSeenDate = ago(days: rng.below(14), &rng)
            let roll = rng.below(100)
            if roll < 9 {
                for _ in 0...rng.below(2) { spoil(&m, &rng) }
            } else if roll < 14 {
                switch rng.below(4) {
                case 0: m.isEncrypted = nil
                case 1: m.firewallEnabled = nil
                case 2: m.osUpdatesAvailable = nil
                default: m.lastSeenDate = nil
                }
            }
        } else {
            m.isEncrypted = rng.flag(yes: 70, unknown: 30)
            m.firewallEnabled = rng.flag(yes: 60, unknown: 30)
            m.screenlockEnabled = rng.flag(yes: 70, unknown: 30)
            m.osUpdatesEnabled = rng.flag(yes: 60, unknown: 30)
            m.osUpdatesAvailable = rng.flag(yes: 40, unknown: 30)
            m.isCompromised = rng.flag(yes: 2, unknown: 30)
            m.lastSeenDate = rng.chance(50) ? ago(days: rng.below(200), &rng) : nil
        }
        m.diskEncryptionProfileInstalled = m.isEncrypted
        m.lastSyncDate = m.lastSeenDate
        return m
    }

    private func spoil(_ m: inout MDMEnrollment, _ rng: inout SplitMix64) {
        switch rng.below(7) {
        case 0: m.isEncrypted = false
        case 1: m.firewallEnabled = false
        case 2: m.screenlockEnabled = false
        case 3: m.osUpdatesEnabled = false
        case 4: m.osUpdatesAvailable = true
        case 5: m.isCompromised = true
        default: m.lastSeenDate = ago(days: 31 + rng.below(150), &rng)
        }
    }

    // MARK: Identifiers

    /// A bijection of ids below 36⁶ onto six base-36 digits (longer ids are written as they
    /// are, so they stay distinct): what makes identifiers unique yet random-looking.
    /// `multiplier` must be prime to 6 (odd, not a multiple of 3).
    static func idCode(_ id: Int64, multiplier: UInt64 = 1_345_278_007) -> String {
        let n = UInt64(id)
        let space: UInt64 = 2_176_782_336  // 36^6
        guard n < space else { return String(n, radix: 36, uppercase: true) }
        let mixed = (n &* multiplier &+ 7_777_777) % space
        let text = String(mixed, radix: 36, uppercase: true)
        return String(repeating: "0", count: 6 - text.count) + text
    }

    static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func randomText(_ count: Int, _ alphabet: [Character], _ rng: inout SplitMix64)
        -> String
    {
        var text = ""
        text.reserveCapacity(count)
        for _ in 0..<count { text.append(alphabet[rng.below(alphabet.count)]) }
        return text
    }

    /// Apple-like `C02` + 9, Lenovo-like `PF` + 8, Samsung-like `R58` + 8, others `SN` + 9;
    /// the prefixes start with different letters, so formats never collide.
    func serial(_ os: DemoOS, _ rng: inout SplitMix64) -> String {
        let code = Self.idCode(id)
        switch os {
        case .macOS, .iOS: return "C02" + Self.randomText(3, DemoWords.alphanumeric, &rng) + code
        case .windows: return "PF" + Self.randomText(2, DemoWords.alphanumeric, &rng) + code
        case .android: return "R58" + Self.randomText(2, DemoWords.alphanumeric, &rng) + code
        case .linux: return "SN" + Self.randomText(3, DemoWords.alphanumeric, &rng) + code
        }
    }

    func hwid(_ rng: inout SplitMix64) -> String {
        Self.randomText(5, DemoWords.lowerAlphanumeric, &rng)
            + Self.idCode(id, multiplier: 2_019_879_991).lowercased()
            + Self.randomText(6, DemoWords.lowerAlphanumeric, &rng)
    }

    /// One or two addresses; the last three bytes are a bijection of `2 × id + n` on 24 bits.
    ///
    /// Past 2²⁴ (ids from 8,388,608, which a fleet of 10,000,000 reaches) those bytes repeat,
    /// so such a device's addresses are locally administered ones, as a phone's randomised
    /// Wi-Fi address is: `02`, then the next 16 bits of `2 × id + n`. No vendor OUI has that
    /// bit, so they collide neither with the first ids' addresses nor with each other.
    func macs(_ kind: DemoKind, _ os: DemoOS, _ rng: inout SplitMix64) -> [String] {
        let count = kind == .phone || kind == .tablet ? 1 : 1 + rng.below(2)
        return (0..<count).map { n in
            let key = UInt64(id) &* 2 &+ UInt64(n)
            var x = UInt32(truncatingIfNeeded: key) & 0xFF_FFFF
            x ^= x >> 12
            x = (x &* 0x9E_3779) & 0xFF_FFFF
            x ^= x >> 11
            x = (x &* 0x5B_D1E5) & 0xFF_FFFF
            x ^= x >> 13
            func hex<B: BinaryInteger>(_ byte: B) -> String {
                let text = String(byte & 0xFF, radix: 16)
                return text.count == 1 ? "0" + text : text
            }
            let bytes = [x >> 16, x >> 8, x].map(hex)
            let oui = rng.pick(os.ouis)
            let high = key >> 24
            let prefix = high == 0 ? oui : "02:" + hex(high >> 8) + ":" + hex(high)
            return prefix + ":" + bytes.joined(separator: ":")
        }
    }

    // MARK: Characteristics

    func characteristics(
        _ kind: DemoKind, _ os: DemoOS, _ site: DemoSite, _ rng: inout SplitMix64
    ) -> Characteristics {
        var c = Characteristics()
        c.osPlatform =
            kind == .tablet && os == .iOS
            ? rng.pick(["iPadOS 17.5", "iPadOS 18.1"]) : rng.pick(os.platforms)
        c.modelYear = String(2019 + rng.below(7))
        c.color = rng.chance(80) ? rng.pick(DemoWords.colors) : nil
        var certifications = ["CE"]
        for cert in DemoWords.certifications.dropFirst() where rng.chance(40) {
            certifications.append(cert)
        }
        c.compliance = rng.chance(10) ? nil : certifications
        switch kind {
        case .laptop, .desktop:
            let apple = os == .macOS
            c.processor =
                apple
                ? rng.pick(["Apple M1", "Apple M2", "Apple M3 Pro"])
                : rng.pick(["Intel Core i5-1245U", "Intel Core i7-1365U", "AMD Ryzen 7 7840U"])
            c.graphic =
                apple ? "Apple integrated GPU" : rng.pick(["Intel Iris Xe", "NVIDIA RTX A500"])
            c.ram = rng.pick(["8 GB", "16 GB", "32 GB"])
            c.storage = rng.pick(["256 GB SSD", "512 GB SSD", "1 TB SSD"])
            c.keyboardLayout = site.layout
            c.connectivity = "Wi-Fi 6, Bluetooth 5.3"
            c.connectionType = kind == .desktop ? ["ethernet", "wifi"] : ["wifi", "bluetooth"]
            if kind == .laptop {
                c.screenSize = rng.pick(["13.3\"", "14\"", "15.6\"", "16\""])
                c.resolution = rng.pick(["1920x1080", "2560x1600", "3024x1964"])
                c.hasScreen = true
                c.hasMicrophone = true
                c.hasWebcam = true
            } else {
                c.hasScreen = rng.flag(yes: 80)
                c.screenSize = c.hasScreen == true ? rng.pick(["24\"", "27\"", "32\""]) : nil
                c.resolution = c.hasScreen == true ? rng.pick(["1920x1080", "3840x2160"]) : nil
                c.hasMicrophone = rng.flag(yes: 30)
                c.hasWebcam = rng.flag(yes: 30)
                c.hasStool = rng.flag(yes: 10, unknown: 40)
                c.assembly = rng.pick(["factory", "custom build"])
            }
            c.noiseCancellation = rng.flag(yes: 50, unknown: 20)
            c.hasVideoPackage = rng.flag(yes: 15, unknown: 20)
        case .phone, .tablet:
            c.processor = os.isApple ? "Apple A16 Bionic" : "Snapdragon 8 Gen 2"
            c.ram = rng.pick(["6 GB", "8 GB"])
            c.storage = rng.pick(["128 GB", "256 GB"])
            c.screenSize =
                kind == .phone ? rng.pick(["6.1\"", "6.7\""]) : rng.pick(["10.9\"", "12.9\""])
            c.connectivity = "5G, Wi-Fi 6, NFC"
            c.connectionType = ["5g", "wifi", "bluetooth", "nfc"]
            c.hasScreen = true
            c.hasMicrophone = true
            c.hasWebcam = true
            c.noiseCancellation = rng.flag(yes: 70)
            c.hasPremiumTablet = kind == .tablet ? rng.flag(yes: 30) : nil
            c.keyboardLayout = kind == .tablet && rng.chance(30) ? site.layout : nil
        case .gateway:
            c.processor = rng.pick(["ARM Cortex-A72", "Intel Atom x6425E"])
            c.ram = rng.pick(["2 GB", "4 GB"])
            c.storage = rng.pick(["16 GB eMMC", "32 GB eMMC"])
            c.connectivity = "Ethernet, LTE, Zigbee"
            c.connectionType = ["ethernet", "lte", "zigbee", "lora"].filter { _ in rng.chance(75) }
            c.hasScreen = false
            c.hasMicrophone = false
            c.hasWebcam = false
            c.assembly = "DIN rail"
        }
        return c
    }

    // MARK: Sessions and events

    func sessions(_ kind: DemoKind, _ status: ClientStatus, _ rng: inout SplitMix64)
        -> [Session]
    {
        // An archive suspends sessions; a generated archived device simply has none.
        guard status != .archived else { return [] }
        let count = rng.weighted([(0, 35), (1, 35), (2, 20), (3, 10)])
        return (0..<count).map { n in
            let user =
                kind == .gateway
                ? "svc-gateway"
                : rng.pick(DemoWords.firstNames) + "." + rng.pick(DemoWords.lastNames)
            let created = ago(days: rng.below(60), &rng)
            let used =
                rng.chance(80)
                ? created.addingTimeInterval(
                    Double(rng.below(max(1, Int(now.timeIntervalSince(created)))))) : nil
            let token =
                "tok_" + Self.randomText(12, DemoWords.hex, &rng) + "_"
                + String(UInt64(id), radix: 36) + String(n)
            return Session(tokenId: token, user: user, createdAt: created, lastUsedAt: used)
        }
    }

    func events(_ device: Device, _ rng: inout SplitMix64) -> [DeviceEvent] {
        var events: [DeviceEvent] = []
        if let enrolled = device.mdm?.enrollmentDate {
            events.append(
                DeviceEvent(at: enrolled, kind: "enrolled", detail: device.mdm?.localName))
        }
        if device.clientStatus != .inPreparation && rng.chance(60) {
            events.append(
                DeviceEvent(
                    at: ago(days: rng.below(200), &rng), kind: "status_changed",
                    detail: "IN_PREPARATION → \(device.clientStatus.rawValue)"))
        }
        if device.deviceStatus == .lost || device.deviceStatus == .stolen {
            events.append(
                DeviceEvent(
                    at: ago(days: rng.below(20), &rng),
                    kind: "reported_\(device.deviceStatus.rawValue.lowercased())"))
        }
        if let seen = device.lastSeen {
            events.append(DeviceEvent(at: seen, kind: "check_in"))
        }
        return events
    }
}
