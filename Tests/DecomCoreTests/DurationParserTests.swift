import Testing

@testable import DecomCore

struct DurationParserTests {
    @Test(arguments: [
        ("30d", 2_592_000.0), ("12h", 43_200), ("2w", 1_209_600), ("90m", 5_400), ("0d", 0),
        ("1m", 60), (" 7d ", 604_800), ("007d", 604_800),
    ])
    func parsesNumberAndUnit(_ text: String, _ seconds: Double) throws {
        #expect(try DurationParser.parse(text) == seconds)
    }

    @Test(arguments: [
        "", "d", "30", "30s", "30D", "1M", "-1d", "+1d", "1.5d", "1 d", "30dd", "d30", "1h30m",
        "３０d", "٣d", "thirty days",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(throws: DurationError.self) { try DurationParser.parse(text) }
    }

    @Test func errorsSayWhatIsWrongAndShowTheForm() throws {
        let noUnit = try #require(error("30"))
        #expect(noUnit.message.contains("'30' is not a duration: it must end with a unit"))
        #expect(noUnit.message.contains("like 90m, 12h, 30d or 2w"))
        let noNumber = try #require(error("xd"))
        #expect(noNumber.message.contains("whole number of days"))
        #expect(error("-5d")?.message.contains("a duration has no sign") == true)
    }

    @Test func hugeNumbersAreTooLargeNotATrap() throws {
        #expect(error("99999999999999999999d")?.message.contains("too large") == true)
        #expect(error("9223372036854775807w")?.message.contains("too large") == true)
    }

    private func error(_ text: String) -> DurationError? {
        do {
            _ = try DurationParser.parse(text)
            return nil
        } catch {
            return error
        }
    }
}
