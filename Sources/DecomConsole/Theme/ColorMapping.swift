/// Maps a theme's colour to what a terminal of a given depth can show.
///
/// CONTRACT STUB: the computed nearest-colour mapping replaces this on the `theme` branch;
/// the signature is fixed.
public enum ColorMapping {
    /// The colour to draw for `color` at `depth`, or nil when colours are not drawn at all.
    public static func nearest(_ color: Color, depth: ColorDepth) -> Color? {
        if depth == .none { return nil }
        return color
    }
}
