import Foundation

/// WCAG 2.x relative luminance and contrast ratio, from the colours as a theme gives them.
public enum Contrast {
    /// WCAG AA for normal text.
    public static let minimumTextRatio = 4.5
    /// WCAG AA for non-text parts (bars, lines).
    public static let minimumGraphicRatio = 3.0

    /// Relative luminance of an sRGB colour, 0 (black) to 1 (white).
    public static func luminance(_ color: ColorMapping.RGB) -> Double {
        func linear(_ channel: UInt8) -> Double {
            let value = Double(channel) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
    }

    /// The contrast ratio between two colours, 1 to 21.
    public static func ratio(_ a: ColorMapping.RGB, _ b: ColorMapping.RGB) -> Double {
        let la = luminance(a)
        let lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// What `default` is taken to be: white on black for dark themes, black on white for
    /// light ones (xterm's white and black).
    public static func terminalColors(for appearance: ThemeAppearance) -> (
        fg: ColorMapping.RGB, bg: ColorMapping.RGB
    ) {
        let white = ColorMapping.ansi16[7]
        let brightWhite = ColorMapping.ansi16[15]
        let black = ColorMapping.ansi16[0]
        switch appearance {
        case .dark: return (white, black)
        case .light: return (black, brightWhite)
        }
    }

    /// The contrast ratio of a style's text against its background, `default` resolved by
    /// `appearance`. Reverse swaps the two and leaves the ratio as it is; dim is not counted.
    public static func ratio(of style: Style, appearance: ThemeAppearance) -> Double {
        let terminal = terminalColors(for: appearance)
        let fg = ColorMapping.rgb(of: style.fg) ?? terminal.fg
        let bg = ColorMapping.rgb(of: style.bg) ?? terminal.bg
        return ratio(fg, bg)
    }
}

extension StyleRole {
    /// True for roles that show text; false for bars and lines, which need 3:1, not 4.5:1.
    public var showsText: Bool {
        switch self {
        case .progressBar, .border: false
        default: true
        }
    }
}
