import Foundation
import Testing

@testable import DecomCore

/// Issue 14's core rules: where a device came from in queries and keys, what a re-import
/// takes from an MDM's record, and when the MDM's verdict disagrees with decom's.
struct ImportSyncCoreTests {
    private static let rows: [DeviceSummary] = {
        func row(_ id: Int64, _ source: String?, _ external: String?) -> DeviceSummary {
            var row = QueryFixture.row(id, name: "dev-\(id)")
            row.source = source
            row.externalID = external
            return row
        }
        return [
            row(1, "intune", "7d2c1a52-1f0e-4c57-9a43-0b1f6a3e0001"),
            row(2, "fleet", "31"),
            row(3, "jamf", "101"),
            row(4, "manual", nil),
            row(5, nil, nil),
        ]
    }()

    private func ids(_ query: String) throws -> [Int64] {
        try DeviceQuery.parse(query).filter(Self.rows).map(\.id)
    }

    @Test func sourceAndExternalIDAreQueryFields() throws {
        #expect(try ids("source:intune") == [1])
        #expect(try ids("source:INTUNE") == [1], "any case")
        #expect(try ids("-source:fleet") == [1, 3, 4, 5])
        #expect(try ids("external_id:3e0001") == [1], "a part of a GUID")
        #expect(try ids("external-id:101") == [3])
        #expect(try ids("external_id:31 source:fleet") == [2])
        #expect(DeviceQuery.fieldNames.contains("external_id"))
    }

    @Test func extKeysNameAnMDMsIDInAnySourceOrInOne() throws {
        #expect(try DeviceKey.parse("ext:31").get() == .external(source: nil, id: "31"))
        #expect(try DeviceKey.parse("ext:jamf:101").get() == .external(source: "jamf", id: "101"))
        #expect(
            try DeviceKey.parse("ext:\"id with space\"").get()
                == .external(source: nil, id: "id with space"))
        #expect(DeviceKey.external(source: "fleet", id: "31").description == "ext:fleet:31")
        #expect(DeviceKey.external(source: "fleet", id: "31").kindName == "fleet id")
        if case .failure(let error) = DeviceKey.parse("ext:") {
            #expect(error.message.contains("empty"))
        } else {
            Issue.record("an empty ext: key parsed")
        }
    }

    @Test func aReimportTakesTheMDMsFieldsAndKeepsDecomsOwn() {
        var known = Device(id: 7, name: "old", serialNumber: "S1", clientStatus: .archived)
        known.comment = "keep me"
        known.label = "lab-7"
        known.archivedAt = Date(timeIntervalSince1970: 1_800_000_000)
        known.macAddresses = ["a4:83:e7:00:00:07"]
        known.mdm = MDMEnrollment(id: 70, status: .enrolled, isEncrypted: true)
        var file = Device(id: 1, name: "new", serialNumber: nil, clientStatus: .inService)
        file.macAddresses = ["A4-83-E7-00-00-07"]
        file.mdm = MDMEnrollment(id: 1, status: .deviceWipePending)
        let merged = ImportSync.merged(known, with: file)
        #expect(merged.id == 7)
        #expect(merged.name == "new")
        #expect(merged.serialNumber == "S1", "a field the record leaves empty is kept")
        #expect(merged.clientStatus == .archived)
        #expect(merged.archivedAt == known.archivedAt)
        #expect(merged.comment == "keep me" && merged.label == "lab-7")
        #expect(merged.mdm?.id == 70 && merged.mdm?.status == .deviceWipePending)
        #expect(merged.mdm?.isEncrypted == true)
        #expect(merged.macAddresses == known.macAddresses, "the same MAC written otherwise")
        let changes = ImportSync.changes(from: known, to: merged)
        #expect(changes.map(\.field) == ["name", "mdm.status"])
        #expect(changes.first?.description == "name: 'old' -> 'new'")
        #expect(ImportSync.changes(from: known, to: known).isEmpty)
    }

    @Test func theMDMsVerdictDisagreesOnlyWhenBothSaySomething() {
        let compliant = VendorCompliance(source: "intune", state: "compliant")
        let non = VendorCompliance(source: "intune", state: "noncompliant")
        let grace = VendorCompliance(source: "intune", state: "inGracePeriod")
        let unknown = VendorCompliance(source: "intune", state: "unknown")
        let failing = ComplianceVerdict.nonCompliant(failing: [.enrolled])
        #expect(compliant.disagrees(with: failing))
        #expect(!compliant.disagrees(with: .compliant))
        #expect(non.disagrees(with: .compliant))
        #expect(grace.disagrees(with: .compliant))
        #expect(!non.disagrees(with: failing))
        #expect(!unknown.disagrees(with: .compliant))
        #expect(!compliant.disagrees(with: .unknown(unknown: [.firewall])))
    }
}

struct ImportProgressTests {
    @Test func aBarOnlyForALargeFileOnATerminal() {
        #expect(ImportProgress.shows(fileBytes: 40_000_000, isTerminal: true))
        #expect(!ImportProgress.shows(fileBytes: 40_000_000, isTerminal: false))
        #expect(!ImportProgress.shows(fileBytes: 2_000, isTerminal: true))
    }

    @Test func theFrameSaysHowFarTheCheckIs() {
        #expect(
            ImportProgress.frame(done: 52_000, total: 100_000, width: 10)
                == "\r[#####-----]  52%  52,000 of 100,000 records checked")
        #expect(
            ImportProgress.frame(done: 7, total: 5, width: 4)
                == "\r[####] 100%  5 of 5 records checked")
        #expect(ImportProgress.frame(done: 0, total: 0, width: 2).hasPrefix("\r[--]   0%"))
    }
}

struct VendorComplianceDescriptionTests {
    @Test func theDetailsShowBothVerdictsWhenTheyDisagreeAndTheMDMsAlways() {
        let device = Device(
            id: 3, name: "LT-1", clientStatus: .inService,
            mdm: MDMEnrollment(id: 3, status: .unenrolled))
        let evaluator = ComplianceEvaluator(now: Date(timeIntervalSince1970: 1_800_000_000))
        func compliance(_ vendor: VendorCompliance?) -> DeviceDescription.Section? {
            DeviceDescription.sections(
                device, sessions: [], transactions: [], evaluator: evaluator,
                vendorCompliance: vendor
            ).first { $0.title.hasPrefix("Compliance") }
        }
        let disagreeing = compliance(VendorCompliance(source: "intune", state: "compliant"))
        #expect(disagreeing?.title == "Compliance: non_compliant (decom) | compliant (intune)")
        #expect(disagreeing?.lines.last?.label == "intune says")
        let agreeing = compliance(VendorCompliance(source: "intune", state: "noncompliant"))
        #expect(agreeing?.title == "Compliance: non_compliant")
        #expect(agreeing?.lines.last?.label == "intune says")
        #expect(compliance(nil)?.lines.contains { $0.label == "intune says" } == false)
    }
}
