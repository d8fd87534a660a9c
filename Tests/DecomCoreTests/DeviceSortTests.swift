import Foundation
import Testing

@testable import DecomCore

struct DeviceSortTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// Rows in scrambled id order, with ties and missing values in every column.
    static let rows: [DeviceSummary] = [
        QueryFixture.row(
            5, name: "bravo", serial: "S-2", type: "Phone", os: "iOS 17", status: .inService,
            mdm: .enrolled, lastSeen: t0.addingTimeInterval(50),
            compliance: .nonCompliant(failing: [.firewall])),
        QueryFixture.row(
            2, name: "Alpha", serial: nil, type: "laptop", os: nil, status: .archived, mdm: nil,
            lastSeen: nil, compliance: .compliant),
        QueryFixture.row(
            9, name: nil, serial: "s-1", type: nil, os: "android 14", status: .available,
            mdm: .deviceWipePending, lastSeen: t0.addingTimeInterval(10),
            compliance: .unknown(unknown: [.firewall])),
        QueryFixture.row(
            1, name: "charlie", serial: "S-3", type: "laptop", os: "macOS 14", status: .inService,
            mdm: .draft, lastSeen: t0.addingTimeInterval(10),
            compliance: .nonCompliant(failing: [.firewall, .enrolled])),
        QueryFixture.row(
            7, name: "ALPHA", serial: "S-2", type: "desktop", os: "Linux", status: .delivered,
            mdm: nil, lastSeen: nil, compliance: .compliant),
    ]

    private func ids(_ column: SortColumn, ascending: Bool = true) -> [Int64] {
        DeviceSort(column: column, ascending: ascending).sorted(Self.rows).map(\.id)
    }

    @Test func idSortsNumerically() {
        #expect(ids(.id) == [1, 2, 5, 7, 9])
        #expect(ids(.id, ascending: false) == [9, 7, 5, 2, 1])
    }

    @Test func nameIgnoresCaseWithMissingLastAndTiesById() {
        #expect(ids(.name) == [2, 7, 5, 1, 9])
        #expect(ids(.name, ascending: false) == [9, 1, 5, 7, 2])
    }

    @Test func serialIgnoresCase() {
        #expect(ids(.serial) == [9, 5, 7, 1, 2])
        #expect(ids(.serial, ascending: false) == [2, 1, 7, 5, 9])
    }

    @Test func typeIgnoresCase() {
        #expect(ids(.type) == [7, 1, 2, 5, 9])
        #expect(ids(.type, ascending: false) == [9, 5, 2, 1, 7])
    }

    @Test func osIgnoresCase() {
        #expect(ids(.os) == [9, 5, 7, 1, 2])
        #expect(ids(.os, ascending: false) == [2, 1, 7, 5, 9])
    }

    @Test func statusSortsByRawValue() {
        // ARCHIVED < AVAILABLE < DELIVERED < IN_SERVICE (1, then 5)
        #expect(ids(.status) == [2, 9, 7, 1, 5])
        #expect(ids(.status, ascending: false) == [5, 1, 7, 9, 2])
    }

    @Test func mdmSortsByStatusWithNoneLast() {
        // DEVICE_WIPE_PENDING < DRAFT < ENROLLED < none (2, then 7)
        #expect(ids(.mdm) == [9, 1, 5, 2, 7])
        #expect(ids(.mdm, ascending: false) == [7, 2, 5, 1, 9])
    }

    @Test func complianceSortsFromBestToWorst() {
        #expect(ids(.compliance) == [2, 7, 9, 5, 1])
        #expect(ids(.compliance, ascending: false) == [1, 5, 9, 7, 2])
    }

    @Test func lastSeenPutsNeverSeenOldest() {
        #expect(ids(.lastSeen) == [2, 7, 1, 9, 5])
        #expect(ids(.lastSeen, ascending: false) == [5, 9, 1, 7, 2])
    }

    @Test(arguments: SortColumn.allCases)
    func sortedIndicesAndComparatorAgreeWithSorted(_ column: SortColumn) {
        for ascending in [true, false] {
            let sort = DeviceSort(column: column, ascending: ascending)
            let expected = sort.sorted(Self.rows).map(\.id)
            #expect(sort.sortedIndices(Self.rows).map { Self.rows[$0].id } == expected)
            #expect(Self.rows.sorted(by: sort.areInIncreasingOrder).map(\.id) == expected)
        }
    }

    @Test func defaultSortIsIdAscending() {
        #expect(DeviceSort() == DeviceSort(column: .id, ascending: true))
        #expect(DeviceSort().sorted([]).isEmpty)
    }

    @Test func everyColumnHasATitle() {
        #expect(
            SortColumn.allCases.map(\.title) == [
                "ID", "Name", "Serial", "Type", "OS", "Status", "MDM", "Compliance", "Last seen",
            ])
    }

    @Test(arguments: [
        ("last_seen", SortColumn.lastSeen), ("lastseen", .lastSeen), ("seen", .lastSeen),
        ("Last-Seen", .lastSeen), ("ID", .id), ("serial_number", .serial), ("os", .os),
        ("platform", .os), ("client_status", .status), ("mdm", .mdm), ("compliant", .compliance),
        ("name", .name), ("type", .type),
    ])
    func columnParsesFromItsNames(_ name: String, _ column: SortColumn) {
        #expect(SortColumn(name: name) == column)
    }

    @Test(arguments: ["", "colour", "last", "-", "id2"])
    func unknownColumnNamesAreNil(_ name: String) {
        #expect(SortColumn(name: name) == nil)
    }

    @Test func everyColumnParsesFromItsRawValue() {
        for column in SortColumn.allCases {
            #expect(SortColumn(name: column.rawValue) == column)
        }
    }
}
