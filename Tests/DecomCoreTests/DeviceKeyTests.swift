import Testing

@testable import DecomCore

struct DeviceKeyTests {
    private func parsed(_ text: String) -> DeviceKey? {
        try? DeviceKey.parse(text).get()
    }

    private func error(_ text: String) -> String? {
        if case .failure(let error) = DeviceKey.parse(text) { return error.message }
        return nil
    }

    // MARK: - Each form

    @Test func idIsDigitsWithoutLeadingZero() {
        #expect(parsed("42") == .id(42))
        #expect(parsed("1") == .id(1))
        #expect(parsed("9223372036854775807") == .id(Int64.max))
    }

    @Test func labelFollowsTilde() {
        #expect(parsed("~second-device") == .label("second-device"))
        #expect(parsed("~a.b_c-9") == .label("a.b_c-9"))
    }

    @Test(arguments: [
        "mac:00:0c:29:cd:c7:b2", "mac:00-0C-29-CD-C7-B2", "mac:000c29cdc7b2", "mac:000C29CDC7B2",
        "mac:00:0C:29:cd:C7:b2",
    ])
    func macIsNormalizedToLowerCaseWithColons(_ text: String) {
        #expect(parsed(text) == .mac("00:0c:29:cd:c7:b2"))
    }

    @Test func hwidAndSerialKeepTheirText() {
        #expect(parsed("hwid:12ds44f5gacd52234") == .hwid("12ds44f5gacd52234"))
        #expect(parsed("serial:C02XK1ZZJGH5") == .serial("C02XK1ZZJGH5"))
    }

    @Test(arguments: [
        DeviceKey.id(42), .label("front-desk"), .mac("00:0c:29:cd:c7:b2"), .hwid("12ds44f5"),
        .serial("C02XK1ZZJGH5"),
    ])
    func descriptionParsesBackToTheSameKey(_ key: DeviceKey) {
        #expect(parsed(key.description) == key)
    }

    // MARK: - Bad keys

    @Test func leadingZeroIsRefusedWithTheRule() {
        #expect(error("042")?.contains("leading zero") == true)
        #expect(error("0")?.contains("leading zero") == true)
    }

    @Test(arguments: ["+42", "-42", "4 2", "42a", "4.2", "١٢"])
    func signsAndNonDigitsAreNotIds(_ text: String) {
        #expect(parsed(text) == nil)
        #expect(error(text)?.contains("is not a key") == true)
    }

    @Test func thirtyDigitsAreTooLarge() {
        let text = String(repeating: "9", count: 30)
        #expect(parsed(text) == nil)
        #expect(error(text)?.contains("too large") == true)
    }

    @Test(arguments: [
        "~front desk", "~", "~-leading-dash", "~tab\there", "~esc\u{1B}[31m", "~bell\u{07}",
        "~" + String(repeating: "a", count: 129), "~café", "~rtl\u{202E}txt",
    ])
    func badLabelsAreRefused(_ text: String) {
        #expect(parsed(text) == nil)
    }

    @Test func longestLabelIsAccepted() {
        let label = String(repeating: "a", count: 128)
        #expect(parsed("~" + label) == .label(label))
    }

    @Test(arguments: [
        "mac:00:0c:29:cd:c7", "mac:00:0c:29:cd:c7:b2:aa", "mac:000c29cdc7", "mac:000c29cdc7b2aa",
        "mac:00:0c:29:cd:c7:zz", "mac:00:0c-29:cd:c7:b2", "mac:0:0c:29:cd:c7:b2", "mac:",
        "mac:00::0c:29:cd:c7:b2", "mac:001a.2b3c", "mac:001a.2b3c.4d5e.6f70", "mac:01a.2b3c.4d5e",
    ])
    func malformedMACsAreRefused(_ text: String) {
        #expect(parsed(text) == nil)
        #expect(error(text)?.contains("six groups") == true)
    }

    @Test func emptyAndControlCharactersAreRefusedInWords() {
        #expect(error("") == "empty key")
        #expect(error("4\u{1B}2") == "key contains a control character")
        #expect(error("hwid:")?.contains("empty") == true)
        #expect(error("serial:a\u{200B}b")?.contains("invisible") == true)
        #expect(error("serial:" + String(repeating: "x", count: 257))?.contains("longer") == true)
        #expect(error("serial: lead")?.contains("space") == true)
    }

    /// Issue 11: a serial with spaces (VMware's) imports, so a key can name it, as it stands
    /// or quoted as in the query language.
    @Test func serialsWithSpacesAreKeys() {
        #expect(parsed("serial:VMware-56 4d 2a 1f") == .serial("VMware-56 4d 2a 1f"))
        #expect(parsed("serial:\"VMware-56 4d 2a 1f\"") == .serial("VMware-56 4d 2a 1f"))
        #expect(parsed(#"hwid:"a \"q\" b""#) == .hwid(#"a "q" b"#))
        #expect(error("serial:\"open")?.contains("unbalanced quote") == true)
        #expect(parsed(DeviceKey.serial("VMware-56 4d").description) == .serial("VMware-56 4d"))
    }

    /// Issue 11: Cisco's dotted form is a MAC address too, in keys as in import and queries.
    @Test(arguments: ["mac:001a.2b3c.4d5e", "mac:001A.2B3C.4D5E", "mac:00-1a-2b-3c-4d-5e"])
    func ciscoAndOtherMACFormsAreTheSameKey(_ text: String) {
        #expect(parsed(text) == .mac("00:1a:2b:3c:4d:5e"))
    }

    @Test func jsonKeyOnTheCommandLinePointsToKeyLists() {
        #expect(error("{\"id\": 42}")?.contains("key list") == true)
    }

    @Test(arguments: [
        "", "~", "mac:", ":", "{", "[", "\u{0}", "hwid:\u{202E}", "9999999999999999999999",
        "~\u{FFFF}", "mac:-----", "mac:::::::", "🙂", "e\u{301}",
    ])
    func oddInputIsAnErrorNotACrash(_ text: String) {
        #expect(parsed(text) == nil)
    }
}
