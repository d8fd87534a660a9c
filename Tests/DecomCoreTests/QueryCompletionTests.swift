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
        #expect(complete("s")!.1 == ["status:", "serial:", "seen:", "source:"])
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

    @Test func theLastOfSeveralValuesCompletes() {
        #expect(complete("status:available,in_se")! == ("status:available,in_service ", []))
        #expect(complete("-mdm:none,unen")!.0 == "-mdm:none,unenrolled ")
        #expect(complete("status:available,in")!.1.first == "status:available,in_preparation")
    }

    @Test func aDateFieldOffersItsComparisons() {
        #expect(
            complete("see")! == ("seen:", ["seen:<", "seen:<=", "seen:>", "seen:>=", "seen:none"]))
        #expect(complete("archived:n")! == ("archived:none ", []))
        #expect(complete("enrolled:>")!.1 == ["enrolled:>", "enrolled:>="])
        #expect(complete("enrolled:>=")! == ("enrolled:>=", []), "waits for the age or date")
        #expect(complete("seen:>90") == nil)
    }

    @Test func everyCompletedValueParses() throws {
        for field in ["status", "mdm", "device_status", "compliant", "rented", "seen"] {
            for option in complete(field + ":")?.1 ?? [] {
                let takesAge =
                    option.hasSuffix("=") || option.hasSuffix(">") || option.hasSuffix("<")
                let term = takesAge ? option + "1d" : option
                let value = term.drop { $0 != ":" }.dropFirst()
                #expect(throws: Never.self) { try DeviceQuery.parse(term) }
                #expect(throws: Never.self) { try DeviceQuery.parse(term + "," + value) }
            }
        }
    }
}
