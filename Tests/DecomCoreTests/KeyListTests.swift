import Testing

@testable import DecomCore

struct KeyListTests {
    private func keys(_ text: String) throws -> [DeviceKey?] {
        try KeyList.parse(text).map { try? $0.parsed.get() }
    }

    @Test func oneKeyALineSkipsBlankLinesAndComments() throws {
        let text =
            "# devices returned by the Paris office\n42\n\n  ~front-desk  \n"
            + "mac:00-0C-29-CD-C7-B2\n# serials from the shipping list\n"
            + "serial:C02XK1ZZJGH5\r\nhwid:12ds44f5gacd52234"
        #expect(
            try keys(text) == [
                .id(42), .label("front-desk"), .mac("00:0c:29:cd:c7:b2"), .serial("C02XK1ZZJGH5"),
                .hwid("12ds44f5gacd52234"),
            ])
    }

    @Test func badLineIsAnInvalidItemAndTheOthersStillParse() throws {
        let inputs = try KeyList.parse("1\n042\n3\n")
        #expect(inputs.map(\.raw) == ["1", "042", "3"])
        #expect((try? inputs[1].parsed.get()) == nil)
        #expect((try? inputs[2].parsed.get()) == .id(3))
    }

    @Test func seed002BodyParsesEveryElement() throws {
        // The example body of seed 002 (Ubidots' bulk delete): its ids are hex strings, which
        // are not ids here, so they come back as invalid keys rather than an unreadable list.
        let body = """
            [
            "6e309da44fc8455a9cceb5aa",
            "~second-device",
            "~third-device",
            {
            "id": "1237809ca5pIhpjgc345fc"
            }
            ]
            """
        let inputs = try KeyList.parse(body)
        #expect(inputs.count == 4)
        #expect(try keys(body) == [nil, .label("second-device"), .label("third-device"), nil])
        #expect(inputs[3].raw == #"{"id":"1237809ca5pIhpjgc345fc"}"#)
    }

    @Test func jsonIdObjectsAcceptNumbersAndDigitStrings() throws {
        #expect(
            try keys(#"[{"id": 42}, {"id": "43"}, "44", "~lab-1", {"id": 1}]"#) == [
                .id(42), .id(43), .id(44), .label("lab-1"), .id(1),
            ])
    }

    @Test(arguments: [
        #"{"id": true}"#, #"{"id": 1.5}"#, #"{"id": [1]}"#, #"{"id": null}"#,
        #"{"id": {"id": 1}}"#, #"{"id": 1, "name": "x"}"#, #"{"ID": 1}"#, #"{}"#, "true", "null",
        "[\"1\"]", #"{"id": -5}"#, #"{"id": 0}"#, #"{"id": "042"}"#, #"{"id": ""}"#,
    ])
    func wrongJsonKeysAreInvalidItems(_ element: String) throws {
        let inputs = try KeyList.parse("[" + element + ", \"7\"]")
        #expect(inputs.count == 2)
        #expect((try? inputs[0].parsed.get()) == nil)
        #expect((try? inputs[1].parsed.get()) == .id(7))
    }

    @Test func wrongJsonTypesSayWhatIsExpected() throws {
        let inputs = try KeyList.parse(#"[{"id": true}, {"id": 1, "x": 2}, 5, {"id": 1.5}]"#)
        let messages = inputs.map { input -> String? in
            if case .failure(let error) = input.parsed { return error.message }
            return nil
        }
        #expect(messages[0] == "\"id\" must be a whole number or a string of digits")
        #expect(messages[1] == "a JSON key must have exactly one field, \"id\"")
        #expect(messages[2] == "a key must be a string or {\"id\": …}")
        #expect(messages[3] == "\"id\" must be a whole number or a string of digits")
    }

    @Test func emptyIdStringSaysItIsEmpty() throws {
        let inputs = try KeyList.parse(#"[{"id": ""}]"#)
        guard case .failure(let error) = inputs[0].parsed else {
            Issue.record("an empty id parsed")
            return
        }
        #expect(error.message == "id is empty")
    }

    @Test func unreadableJsonIsAFormatError() {
        #expect(throws: KeyList.FormatError.self) { try KeyList.parse("[\"1\", ") }
        #expect(throws: KeyList.FormatError.self) { try KeyList.parse("[1] [2]") }
    }

    @Test func emptyInputIsAnEmptyList() throws {
        #expect(try KeyList.parse("").isEmpty)
        #expect(try KeyList.parse("# nothing\n\n").isEmpty)
        #expect(try KeyList.parse("[]").isEmpty)
    }
}
