import Foundation
import Testing

@testable import DecomCore

/// A small fleet whose rows differ in every field the query language asks.
enum QueryFixture {
    static func row(
        _ id: Int64, name: String?, serial: String? = nil, type: String? = "laptop",
        category: String? = "staff", os: String? = "macOS 14.5",
        status: ClientStatus = .inService, mdm: MDMStatus? = .enrolled,
        deviceStatus: DeviceStatus = .active, label: String? = nil, hwid: String? = nil,
        macs: [String] = [], lastSeen: Date? = nil, rented: Bool = false,
        compliance: ComplianceVerdict = .compliant
    ) -> DeviceSummary {
        DeviceSummary(
            id: id, name: name, serialNumber: serial, type: type, category: category,
            osPlatform: os, clientStatus: status, mdmStatus: mdm, deviceStatus: deviceStatus,
            label: label, hwid: hwid, macAddresses: macs, lastSeen: lastSeen, rented: rented,
            compliance: compliance)
    }

    static let rows: [DeviceSummary] = [
        row(
            1, name: "LT-PAR-00001", serial: "C02XK1ZZJGH5", label: "lt-par-1",
            hwid: "12ds44f5gacd52234", macs: ["00:0c:29:cd:c7:b2", "a4:83:e7:00:00:01"]),
        row(
            2, name: "Front Desk iPad", serial: "DMPXQ2", type: "tablet", category: "shared",
            os: "iPadOS 17.5", status: .available, mdm: nil, label: "front-desk",
            compliance: .unknown(unknown: ComplianceCheck.allCases)),
        row(
            3, name: "PH-BER-00003", serial: "R58M12345", type: "phone", os: "Android 14",
            status: .archived, mdm: .unenrolled, deviceStatus: .lost, hwid: "ffee0011",
            macs: ["8c:f5:a3:12:34:56"], compliance: .nonCompliant(failing: [.enrolled])),
        row(
            4, name: "Réception Zoë", serial: "PF3ABC12", type: "desktop", category: "kiosk",
            os: "Windows 11 23H2", status: .inMaintenance, mdm: .deviceWipePending,
            deviceStatus: .stolen, rented: true,
            compliance: .nonCompliant(failing: [.enrolled, .firewall])),
        row(
            5, name: "会議室タブレット", serial: nil, type: "iot_gateway", category: nil, os: nil,
            status: .outOfService, mdm: .enrolled, deviceStatus: .expired, label: "gw-tyo-5",
            compliance: .unknown(unknown: [.firewall])),
        row(6, name: nil, serial: "SNX1", type: nil, category: nil, os: "Linux Debian 12"),
    ]
}

struct DeviceQueryTests {
    private func ids(_ query: String) throws -> [Int64] {
        try DeviceQuery.parse(query).filter(QueryFixture.rows).map(\.id)
    }

    private func error(_ query: String) -> QueryError? {
        do {
            _ = try DeviceQuery.parse(query)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Free words

    @Test func emptyQueryMatchesEverything() throws {
        let query = try DeviceQuery.parse("   ")
        #expect(query.isEmpty)
        #expect(try ids("") == [1, 2, 3, 4, 5, 6])
    }

    @Test func wordsMatchNameSerialLabelHWIDAndMACIgnoringCase() throws {
        #expect(try ids("lt-PAR") == [1])  // name and label
        #expect(try ids("c02xk1") == [1])  // serial
        #expect(try ids("FRONT-DESK") == [2])  // label
        #expect(try ids("GACD5") == [1])  // hwid
        #expect(try ids("8C:F5:A3") == [3])  // MAC
        #expect(try ids("nothing-like-this") == [])
    }

    @Test func wordsDoNotLookAtOtherFields() throws {
        #expect(try ids("android") == [])  // os
        #expect(try ids("kiosk") == [])  // category
    }

    @Test(arguments: ["00:0C:29", "000c29", "00-0c-29", "0C29CD", "cdc7b2", "c7:b2"])
    func macWordsMatchWithOrWithoutSeparators(_ word: String) throws {
        #expect(try ids(word) == [1])
    }

    @Test func accentsAndCJKMatchIgnoringCase() throws {
        #expect(try ids("zoë") == [4])
        #expect(try ids("RÉCEPTION") == [4])
        #expect(try ids("会議室") == [5])
        #expect(try ids("zoe") == [])  // no accent folding: é is not e
    }

    @Test func upperCaseNonASCIIInTheDataMatchesALowerCaseQuery() throws {
        let rows = [QueryFixture.row(1, name: "ÉCOLE ÅRHUS"), QueryFixture.row(2, name: "ecole")]
        #expect(try DeviceQuery.parse("école").filter(rows).map(\.id) == [1])
        #expect(try DeviceQuery.parse("åRHUS").filter(rows).map(\.id) == [1])
        #expect(try DeviceQuery.parse("name:ÉCOLE").filter(rows).map(\.id) == [1])
    }

    @Test func termsCombineWithAnd() throws {
        #expect(try ids("lt par") == [1])
        #expect(try ids("status:in_service os:mac") == [1])
        #expect(try ids("status:in_service os:android") == [])
    }

    @Test func minusNegatesATerm() throws {
        #expect(try ids("-status:archived") == [1, 2, 4, 5, 6])
        #expect(try ids("-lt-par") == [2, 3, 4, 5, 6])
        #expect(try ids("-mdm:none -compliant:yes") == [3, 4, 5])
    }

    @Test func quotesHoldSpaces() throws {
        #expect(try ids("name:\"front desk\"") == [2])
        #expect(try ids("\"front desk\"") == [2])
        #expect(try ids("-\"front desk\"") == [1, 3, 4, 5, 6])
        #expect(try ids("front desk") == [2])  // two words, each found
        #expect(try ids("\"desk front\"") == [])  // one phrase, in that order
    }

    // MARK: - Fields

    @Test(arguments: [
        "status:IN_SERVICE", "status:in_service", "status:in-service", "STATUS:In-Service",
    ])
    func statusAcceptsEverySpelling(_ query: String) throws {
        #expect(try ids(query) == [1, 6])
    }

    @Test func statusMatchesEachClientStatus() throws {
        #expect(try ids("status:archived") == [3])
        #expect(try ids("status:out_of_service") == [5])
        #expect(try ids("status:pending_validation") == [])
    }

    @Test func mdmMatchesStatusOrNone() throws {
        #expect(try ids("mdm:enrolled") == [1, 5, 6])
        #expect(try ids("mdm:device-wipe-pending") == [4])
        #expect(try ids("mdm:none") == [2])
        #expect(try ids("mdm:NONE") == [2])
    }

    @Test func osTypeCategoryLabelAreSubstrings() throws {
        #expect(try ids("os:windows") == [4])
        #expect(try ids("os:OS") == [1, 2])  // macOS, iPadOS
        #expect(try ids("type:iot") == [5])
        #expect(try ids("type:tablet") == [2])
        #expect(try ids("category:shared") == [2])
        #expect(try ids("label:gw-") == [5])
        #expect(try ids("-label:lt") == [2, 3, 4, 5, 6])  // no label does not match
    }

    @Test func compliantIsYesNoOrUnknown() throws {
        #expect(try ids("compliant:yes") == [1, 6])
        #expect(try ids("compliant:no") == [3, 4])
        #expect(try ids("compliant:unknown") == [2, 5])
        #expect(try ids("compliant:NO") == [3, 4])
    }

    @Test func deviceStatusMatchesEachValue() throws {
        #expect(try ids("device_status:lost") == [3])
        #expect(try ids("device_status:stolen") == [4])
        #expect(try ids("device_status:EXPIRED") == [5])
        #expect(try ids("device-status:active") == [1, 2, 6])
        #expect(try ids("device_status:disabled") == [])
    }

    @Test func identifierFields() throws {
        #expect(try ids("id:4") == [4])
        #expect(try ids("name:ph-ber") == [3])
        #expect(try ids("serial:snx") == [6])
        #expect(try ids("mac:a4:83:e7") == [1])
        #expect(try ids("mac:a483e7") == [1])
        #expect(try ids("hwid:FFEE") == [3])
        #expect(try ids("name:lt-par-1") == [])  // the label, not the name
        #expect(try ids("rented:yes") == [4])
    }

    /// Issue 11: `mac:001a.2b3c.4d5e` silently matched nothing. Queries read MACs with the
    /// keys' and import's parser, and a value that is no MAC is an error, not an empty result.
    @Test func macTermsTakeTheCiscoFormAndRefuseWhatIsNoMAC() throws {
        #expect(try ids("mac:000c.29cd.c7b2") == [1])
        #expect(try ids("mac:A483.E700.0001") == [1])
        #expect(try ids("mac:e700.0001") == [1])
        for bad in ["mac:zz", "mac:laptop", "mac:0", "mac:00:0c:29:cd:c7:b2:aa:bb:cc"] {
            let e = error(bad)
            #expect(e != nil, "\(bad) is an error")
            #expect(
                e?.message.contains("not a MAC address") == true, "\(bad): \(String(describing: e))"
            )
        }
    }

    @Test func aMACPatternMatchesWithinOneAddressOfSeveral() throws {
        // Device 1 has 00:0c:29:cd:c7:b2 and a4:83:e7:00:00:01.
        #expect(try ids("a483e7") == [1], "the second address")
        #expect(try ids("mac:e7:00:00:01") == [1])
        #expect(try ids("c7b2a4") == [], "no match across the two addresses")
        #expect(try ids("mac:b2:a4") == [], "nor with separators")
        #expect(
            try DeviceQuery.parse("").filter(QueryFixture.rows).first?.macAddresses == [
                "00:0c:29:cd:c7:b2", "a4:83:e7:00:00:01",
            ])
    }

    @Test func fieldValueMayHoldColons() throws {
        #expect(try ids("mac:00:0c:29:cd:c7:b2") == [1])
    }

    @Test func textKeepsWhatWasTyped() throws {
        #expect(try DeviceQuery.parse("  os:mac  -lost ").text == "  os:mac  -lost ")
    }

    @Test(arguments: [
        "lt", "-lt", "zoë", "000c29", "8c:f5", "os:mac -front", "\"front desk\" -mdm:none",
        "-compliant:yes -c02", "mac:a4 label:lt", "-hwid:ff -name:会議", "type:o -category:s",
    ])
    func matchesGivesWhatFilterGives(_ text: String) throws {
        let query = try DeviceQuery.parse(text)
        let rows = QueryFixture.rows
        #expect(rows.filter(query.matches).map(\.id) == query.filter(rows).map(\.id))
    }

    @Test func matchesAgreesWithFilterAndIndices() throws {
        let query = try DeviceQuery.parse("-status:archived compliant:no")
        let rows = QueryFixture.rows
        #expect(rows.filter(query.matches).map(\.id) == [4])
        #expect(query.matchingIndices(rows) == [3])
    }

    // MARK: - Errors

    @Test func unknownFieldListsTheKnownOnes() throws {
        let e = try #require(error("os:mac colour:red"))
        #expect(e.position == 7)
        #expect(e.message.hasPrefix("unknown field 'colour'; known fields: status, mdm, os,"))
        #expect(e.message.contains("device_status"))
    }

    @Test func unknownValueListsTheAllowedOnes() throws {
        let status = try #require(error("status:broken"))
        #expect(status.position == 7)
        #expect(status.message.hasPrefix("unknown value 'broken' for status; allowed: archived,"))
        #expect(status.message.contains("in_service"))
        let mdm = try #require(error("mdm:on"))
        #expect(mdm.message.hasSuffix("device_wipe_pending, none"))
        let compliant = try #require(error("compliant:maybe"))
        #expect(
            compliant.message == "unknown value 'maybe' for compliant; allowed: yes, no, unknown")
        let device = try #require(error("device_status:missing"))
        #expect(device.message.hasSuffix("allowed: active, lost, stolen, expired, disabled"))
    }

    @Test func unbalancedQuoteSaysWhere() throws {
        let e = try #require(error("os:mac name:\"front desk"))
        #expect(e.position == 12)
        #expect(e.message.contains("unbalanced quote"))
    }

    @Test func emptyTermsAreErrors() throws {
        let empty = try #require(error("status:"))
        #expect(empty.message.contains("'status:' needs a value"))
        #expect(empty.position == 7)
        let quoted = try #require(error("name:\"\""))
        #expect(quoted.message.contains("needs a value"))
        let lone = try #require(error("os:mac - lost"))
        #expect(lone.position == 7)
        #expect(lone.message.contains("'-' must be followed by a term"))
        #expect(error("-")?.position == 0)
        #expect(error("\"\"")?.message.contains("empty term") == true)
    }

    @Test func idMustBeAnId() throws {
        #expect(error("id:abc")?.message.contains("not a device id") == true)
        #expect(error("id:007") != nil)
    }

    @Test(arguments: [
        "\"", "-\"", "\\", ":", "::", "a:", "-:", "\"\\", "name:\"a\\\"", "\u{0}", "\u{1B}[31m",
        "é:x", "🙂:🙂", "-\u{301}", "\"\u{301}", "status:\u{202E}",
        String(repeating: "-", count: 500),
        "mac:zz", "x\"y\"z",
    ])
    func oddInputNeverTraps(_ text: String) {
        _ = try? DeviceQuery.parse(text).filter(QueryFixture.rows)
    }

    @Test func escapedQuoteInsideQuotes() throws {
        let rows = [QueryFixture.row(9, name: "the \"big\" one")]
        let query = try DeviceQuery.parse("name:\"\\\"big\\\"\"")
        #expect(query.filter(rows).count == 1)
    }

    @Test func macFragmentIsAWordNotAField() throws {
        #expect(try ids("A4:83") == [1])
        #expect(error("ab:cd") == nil)
    }

    // MARK: - A large fleet

    /// The fast path over a whole fleet gives what the per-row rule gives. How fast it is, is
    /// the benchmark's "filter keystroke" figure (`make bench`), never a test's: a test that
    /// asserts a duration fails on a busy machine.
    @Test func theFastPathMatchesTheRowRuleOnALargeFleet() throws {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let evaluator = ComplianceEvaluator(now: now)
        let rows = DemoFleet.generate(count: 20_000, seed: 3, now: now).map {
            DeviceSummary($0.device, compliance: evaluator.verdict($0.device))
        }
        let query = try DeviceQuery.parse("-status:archived compliant:no lt")
        let fast = query.matchingIndices(rows)
        #expect(fast == rows.indices.filter { query.matches(rows[$0]) })
        #expect(!fast.isEmpty && fast.count < rows.count)
    }
}
