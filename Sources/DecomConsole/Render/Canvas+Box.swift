extension Canvas {
    /// Draws a frame around a rectangle, with a title on its top edge, and fills its inside.
    mutating func box(
        x: Int, y: Int, width w: Int, height h: Int, style: Style, title: String? = nil,
        titleStyle: Style? = nil, glyphs: Glyphs
    ) {
        guard w >= 2, h >= 2 else { return }
        fill(x: x, y: y, width: w, height: h, style: style)
        let line = String(repeating: glyphs.horizontal, count: w - 2)
        put(glyphs.topLeft + line + glyphs.topRight, x: x, y: y, style: style)
        put(glyphs.bottomLeft + line + glyphs.bottomRight, x: x, y: y + h - 1, style: style)
        for row in (y + 1)..<(y + h - 1) {
            put(glyphs.vertical, x: x, y: row, style: style)
            put(glyphs.vertical, x: x + w - 1, y: row, style: style)
        }
        if let title, w > 6 {
            let text =
                " "
                + Canvas.fit(
                    title, width: min(DisplayWidth.of(title), w - 6), ellipsis: glyphs.ellipsis)
                + " "
            put(text, x: x + 2, y: y, style: titleStyle ?? style)
        }
    }

    /// Writes text cut to a width with an ellipsis and padded to exactly that width.
    @discardableResult
    mutating func putFit(
        _ text: String, x: Int, y: Int, width: Int, style: Style, glyphs: Glyphs
    ) -> Int {
        guard width > 0 else { return 0 }
        return put(
            Canvas.fit(text, width: width, ellipsis: glyphs.ellipsis), x: x, y: y, style: style,
            maxWidth: width)
    }
}
