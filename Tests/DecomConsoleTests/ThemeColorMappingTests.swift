import Testing

@testable import DecomConsole

@Suite struct ThemeColorMappingTests {
    @Test func paletteIsComputed() {
        #expect(ColorMapping.xterm256.count == 256)
        #expect(ColorMapping.xterm256[16] == .init(0, 0, 0))
        #expect(ColorMapping.xterm256[196] == .init(255, 0, 0))
        #expect(ColorMapping.xterm256[231] == .init(255, 255, 255))
        #expect(ColorMapping.xterm256[67] == .init(95, 135, 175))
        #expect(ColorMapping.xterm256[232] == .init(8, 8, 8))
        #expect(ColorMapping.xterm256[255] == .init(238, 238, 238))
    }

    @Test func trueColorKeepsEverything() {
        for color in [Color.default, .ansi(3), .indexed(200), .rgb(1, 2, 3)] {
            #expect(ColorMapping.nearest(color, depth: .trueColor) == color)
        }
    }

    @Test func noColourDrawsNothing() {
        for color in [Color.default, .ansi(3), .indexed(200), .rgb(1, 2, 3)] {
            #expect(ColorMapping.nearest(color, depth: .none) == nil)
        }
    }

    @Test func at256RGBBecomesTheNearestOfTheCubeOrGreys() {
        #expect(ColorMapping.nearest(.rgb(255, 0, 0), depth: .colors256) == .indexed(196))
        #expect(ColorMapping.nearest(.rgb(250, 5, 3), depth: .colors256) == .indexed(196))
        #expect(ColorMapping.nearest(.rgb(0, 0, 0), depth: .colors256) == .indexed(16))
        #expect(ColorMapping.nearest(.rgb(0x5f, 0x87, 0xaf), depth: .colors256) == .indexed(67))
        #expect(ColorMapping.nearest(.rgb(128, 128, 128), depth: .colors256) == .indexed(244))
        #expect(ColorMapping.nearest(.rgb(0x30, 0x30, 0x30), depth: .colors256) == .indexed(236))
        #expect(ColorMapping.nearest(.rgb(0xee, 0xee, 0xee), depth: .colors256) == .indexed(255))
        // Every grey between the cube's greys lands on the grey ramp or a grey of the cube.
        let greyIndexes: Set<Int> = Set(232...255).union([16, 59, 102, 145, 188, 231])
        for level in stride(from: 0, through: 255, by: 5) {
            let grey = UInt8(level)
            guard
                case .indexed(let index)? = ColorMapping.nearest(
                    .rgb(grey, grey, grey), depth: .colors256)
            else {
                Issue.record("not indexed")
                continue
            }
            #expect(greyIndexes.contains(Int(index)), "grey \(level) → \(index)")
        }
        #expect(ColorMapping.nearest(.ansi(4), depth: .colors256) == .ansi(4))
        #expect(ColorMapping.nearest(.indexed(100), depth: .colors256) == .indexed(100))
        #expect(ColorMapping.nearest(.default, depth: .colors256) == .default)
    }

    @Test func at16EverythingBecomesTheNearestANSIColour() {
        #expect(ColorMapping.nearest(.rgb(255, 0, 0), depth: .colors16) == .ansi(9))
        #expect(ColorMapping.nearest(.rgb(200, 10, 10), depth: .colors16) == .ansi(1))
        #expect(ColorMapping.nearest(.rgb(0, 0, 0), depth: .colors16) == .ansi(0))
        #expect(ColorMapping.nearest(.rgb(255, 255, 255), depth: .colors16) == .ansi(15))
        #expect(ColorMapping.nearest(.rgb(128, 128, 128), depth: .colors16) == .ansi(8))
        #expect(ColorMapping.nearest(.rgb(0x10, 0x10, 0xf0), depth: .colors16) == .ansi(4))
        #expect(ColorMapping.nearest(.indexed(196), depth: .colors16) == .ansi(9))
        #expect(ColorMapping.nearest(.indexed(21), depth: .colors16) == .ansi(4))
        #expect(ColorMapping.nearest(.indexed(51), depth: .colors16) == .ansi(14))
        #expect(ColorMapping.nearest(.indexed(5), depth: .colors16) == .ansi(5))
        #expect(ColorMapping.nearest(.indexed(244), depth: .colors16) == .ansi(8))
        #expect(ColorMapping.nearest(.ansi(13), depth: .colors16) == .ansi(13))
        #expect(ColorMapping.nearest(.default, depth: .colors16) == .default)
    }

    @Test func everyColourMapsToSomethingTheDepthHas() {
        for index in 0...255 {
            let mapped = ColorMapping.nearest(.indexed(UInt8(index)), depth: .colors16)
            guard case .ansi(let ansi)? = mapped else {
                Issue.record("indexed \(index) → \(String(describing: mapped))")
                continue
            }
            #expect(ansi < 16)
        }
    }
}

@Suite struct ThemeContrastTests {
    @Test func luminanceAndRatioFollowWCAG() {
        #expect(Contrast.luminance(.init(0, 0, 0)) == 0)
        #expect(abs(Contrast.luminance(.init(255, 255, 255)) - 1) < 1e-9)
        #expect(abs(Contrast.ratio(.init(0, 0, 0), .init(255, 255, 255)) - 21) < 1e-9)
        // #777777 on white is the well-known 4.48:1.
        #expect(abs(Contrast.ratio(.init(0x77, 0x77, 0x77), .init(255, 255, 255)) - 4.48) < 0.01)
        #expect(
            Contrast.ratio(.init(10, 20, 30), .init(200, 100, 50))
                == Contrast.ratio(.init(200, 100, 50), .init(10, 20, 30)))
    }

    @Test func defaultFollowsTheThemesAssumption() {
        let plain = Style()
        #expect(Contrast.ratio(of: plain, appearance: .dark) > 15)
        #expect(Contrast.ratio(of: plain, appearance: .light) == 21)
        let whiteText = Style(fg: .rgb(255, 255, 255))
        #expect(Contrast.ratio(of: whiteText, appearance: .dark) == 21)
        #expect(Contrast.ratio(of: whiteText, appearance: .light) == 1)
    }
}
