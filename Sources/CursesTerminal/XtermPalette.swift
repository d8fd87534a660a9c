/// The RGB values xterm gives its 256 indexed colours: the 16 ANSI colours, the 6×6×6 cube
/// and the 24 greys. Used only to draw an indexed colour on a direct-colour terminal, where
/// ncurses takes colours as packed RGB rather than palette indexes.
enum XtermPalette {
    private static let ansi: [UInt32] = [
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    ]
    private static let cubeLevels: [UInt32] = [0, 95, 135, 175, 215, 255]

    /// `0xRRGGBB` for an index from 0 to 255.
    static func rgb(index: UInt8) -> UInt32 {
        let i = Int(index)
        if i < 16 { return ansi[i] }
        if i < 232 {
            let cube = i - 16
            return cubeLevels[cube / 36] << 16 | cubeLevels[cube / 6 % 6] << 8
                | cubeLevels[cube % 6]
        }
        let grey = UInt32(8 + 10 * (i - 232))
        return grey << 16 | grey << 8 | grey
    }
}
