import Testing

@testable import DecomCore

@Suite struct QueryCompletionTests {
    func complete(_ text: String) -> (String, [String])? {
        QueryCompletion.complete(text).map { ($0.text, $0.options) }
    }

    @Test func aFieldNameWaitsForItsValueAndListsTheValuesItTakes() {
        #expect(complete("lab")! == ("label:", []))
        #expect(complete("sta")!.0 == "status:")
        #expect(complete("sta")!.1.count == ClientStatus.allCases.count)
        #expect(complete("lt-par dev")!.0 == "lt-par device_status:")
        #expect(
            complete("-comp")! == (
                "-compliant:", ["compliant:yes", "compliant:no", "compliant:unknown"]
            ),
            "the negation stays")
    }

    @Test func aValueIsFollowedByASpaceForTheNextTerm() {
        #expect(complete("status:ava")! == ("status:available ", []))
        #expect(complete("Status:In-S")! == ("Status:in_service ", []), "any case, - for _")
        #expect(complete("-mdm:no")! == ("-mdm:none ", []))
        #expect(complete("os:mac name:x rented:y")! == ("os:mac name:x rented:yes ", []))
    }

    @Test func severalAnswersExtendToWhatTheyShareAndAreListed() {
        let (text, options) = complete("status:in")!
        #expect(text == "status:in_")
        #expect(options == ["status:in_preparation", "status:in_service", "status:in_maintenance"])
        #expect(
            complete("compliant:")! == (
                "compliant:", ["compliant:yes", "compliant:no", "compliant:unknown"]
            ))
        #expect(complete("s")!.1 == ["status:", "serial:", "source:"])
    }

    @Test func nothingToCompleteIsNil() {
        #expect(complete("") == nil)
        #expect(complete("status:ava ") == nil, "after a space, a new word has not begun")
        #expect(complete("name:fro") == nil, "text values are the fleet's, not a list")
        #expect(complete("colour:r") == nil)
        #expect(complete("status:zzz") == nil)
        #expect(complete("\"front des") == nil)
        #expect(complete("xyz") == nil)
    }

    @Test func everyCompletedValueParses() throws {
        for field in ["status", "mdm", "device_status", "compliant", "rented"] {
            for option in complete(field + ":")?.1 ?? [] {
                #expect(throws: Never.self) { try DeviceQuery.parse(option) }
            }
        }
    }
}
