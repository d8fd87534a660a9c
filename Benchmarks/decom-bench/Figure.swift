/// What a figure must reach for issue 5 to be done.
enum Target: Sendable {
    /// The median (and, for single-shot figures, every run) under this many milliseconds.
    case under(Double)
    /// Our median at most this many times the bare SQL's median.
    case ratio(Double)
    /// Peak resident memory under this many megabytes.
    case megabytes(Double)
    /// Shown for information; no target.
    case none

    var text: String {
        switch self {
        case .under(let ms): "< \(Report.number(ms)) ms"
        case .ratio(let r): "<= \(Report.number(r))x bare"
        case .megabytes(let mb): "< \(Report.number(mb)) MB"
        case .none: ""
        }
    }
}

/// One line of the report: our figure, the bare SQL's when there is one, and the target.
struct Figure: Sendable {
    var name: String
    var unit: String
    var ours: Samples
    var bare: Samples?
    var target: Target
    /// A short note: what was counted.
    var note: String = ""

    var ratio: Double? {
        guard let bare, bare.median > 0 else { return nil }
        return ours.median / bare.median
    }

    var met: Bool? {
        switch target {
        case .under(let ms): ours.median < ms
        case .ratio(let r): ratio.map { $0 <= r }
        case .megabytes(let mb): ours.worst < mb
        case .none: nil
        }
    }
}

/// The targets of issue 5 for a fleet size: the 100,000 targets up to 100,000 devices, the
/// 1,000,000 ones beyond.
struct Targets {
    var firstFrame: Double
    /// From starting a process to its first frame (issue 16), where there is a target.
    var firstFrameFromStart: Double?
    var keystroke: Double
    var sort: Double
    var scroll: Double
    var memory: Double

    static func forSize(_ devices: Int) -> Targets {
        devices <= 100_000
            ? Targets(
                firstFrame: 150, firstFrameFromStart: 20, keystroke: 16, sort: 50, scroll: 5,
                memory: 50)
            : Targets(
                firstFrame: 400, firstFrameFromStart: nil, keystroke: 16, sort: 500, scroll: 5,
                memory: 200)
    }
}
