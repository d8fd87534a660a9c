/// Maps a theme's colour to what a terminal of a given depth can show, by computing the
/// nearest colour the terminal has (not by a fixed table of a few).
public enum ColorMapping {
    /// An sRGB colour, 0 to 255 a channel.
    public struct RGB: Sendable, Hashable {
        public var r: UInt8
        public var g: UInt8
        public var b: UInt8

        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
            self.r = r
            self.g = g
            self.b = b
        }
    }

    /// The colour to draw for `color` at `depth`, or nil when colours are not drawn at all.
    ///
    /// - `.trueColor`: the colour as it is.
    /// - `.colors256`: `#rrggbb` becomes the nearest of the xterm cube and grey ramp
    ///   (16 to 255); ANSI and indexed colours stay.
    /// - `.colors16`: `#rrggbb` and indexed colours become the nearest of the 16 ANSI colours
    ///   (xterm's values); indexed 0 to 15 are those colours already.
    /// - `.none`: nil.
    public static func nearest(_ color: Color, depth: ColorDepth) -> Color? {
        switch depth {
        case .none:
            return nil
        case .trueColor:
            return color
        case .colors256:
            guard case .rgb(let r, let g, let b) = color else { return color }
            return .indexed(nearestIndex(to: RGB(r, g, b), in: 16..<256))
        case .colors16:
            switch color {
            case .default, .ansi:
                return color
            case .indexed(let index) where index < 16:
                return .ansi(index)
            case .indexed(let index):
                return .ansi(nearestIndex(to: xterm256[Int(index)], in: 0..<16))
            case .rgb(let r, let g, let b):
                return .ansi(nearestIndex(to: RGB(r, g, b), in: 0..<16))
            }
        }
    }

    /// The xterm values of the 16 ANSI colours.
    public static let ansi16: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The 256 xterm colours: the 16 above, a 6×6×6 cube (levels 0, 95, 135, 175, 215, 255)
    /// and 24 greys (8 + 10i).
    public static let xterm256: [RGB] = {
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        var table = ansi16
        for r in levels {
            for g in levels {
                for b in levels { table.append(RGB(r, g, b)) }
            }
        }
        for i in 0..<24 {
            let level = UInt8(8 + 10 * i)
            table.append(RGB(level, level, level))
        }
        return table
    }()

    /// The sRGB value a colour stands for; `default` is nil (the terminal decides).
    public static func rgb(of color: Color) -> RGB? {
        switch color {
        case .default: nil
        case .ansi(let index): xterm256[Int(index & 0x0f)]
        case .indexed(let index): xterm256[Int(index)]
        case .rgb(let r, let g, let b): RGB(r, g, b)
        }
    }

    /// The index in `range` of ``xterm256`` nearest to `color`; the lowest index wins a tie.
    /// The cube and greys are searched apart from the 16 system colours at 256 colours
    /// because terminals change those 16 to suit their own scheme.
    static func nearestIndex(to color: RGB, in range: Range<Int>) -> UInt8 {
        var best = range.lowerBound
        var bestDistance = Int.max
        for index in range {
            let distance = redmeanDistance(color, xterm256[index])
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return UInt8(best)
    }

    /// The "redmean" weighted Euclidean distance (squared, scaled by 256): a cheap
    /// approximation of how different two sRGB colours look.
    static func redmeanDistance(_ a: RGB, _ b: RGB) -> Int {
        let meanRed = (Int(a.r) + Int(b.r)) / 2
        let dr = Int(a.r) - Int(b.r)
        let dg = Int(a.g) - Int(b.g)
        let db = Int(a.b) - Int(b.b)
        return ((512 + meanRed) * dr * dr) + 1024 * dg * dg + ((767 - meanRed) * db * db)
    }
}
