/// The eleven keyboard layouts of seed 001's `characteristics.keyboard_layout`.
public enum KeyboardLayout: String, CaseIterable, Codable, Sendable, Hashable {
    case frenchAzerty = "FRENCH_AZERTY"
    case spanishQwerty = "SPANISH_QWERTY"
    case italianQwerty = "ITALIAN_QWERTY"
    case internationalEnglishQwerty = "INTERNATIONAL_ENGLISH_QWERTY"
    case germanQwertz = "GERMAN_QWERTZ"
    case portugueseQwerty = "PORTUGUESE_QWERTY"
    case englishQwerty = "ENGLISH_QWERTY"
    case swissQwertz = "SWISS_QWERTZ"
    case americanEnglishQwerty = "AMERICAN_ENGLISH_QWERTY"
    case canadianEnglishQwerty = "CANADIAN_ENGLISH_QWERTY"
    case dutchQwerty = "DUTCH_QWERTY"
}
