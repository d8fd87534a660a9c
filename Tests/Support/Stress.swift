import Foundation
import Glibc

/// The size of the fault, load and hostile-data tests: bounded for `make test`, long when
/// `DECOM_STRESS=1` (`make stress`).
public enum Stress {
    public static let isOn = ProcessInfo.processInfo.environment["DECOM_STRESS"] == "1"

    /// `bounded` in `make test`, `long` in `make stress`.
    public static func count(_ bounded: Int, long: Int) -> Int { isOn ? long : bounded }

    /// Seconds of a timed loop: `bounded` in `make test`, `long` in `make stress`.
    public static func seconds(_ bounded: Double, long: Double) -> Double { isOn ? long : bounded }

    /// Adds `value` to the counter `name` of the run's summary (`DECOM_STRESS_SUMMARY`, a file
    /// of `name value` lines that `make stress` adds up).
    public static func record(_ name: String, _ value: Int) {
        guard let path = ProcessInfo.processInfo.environment["DECOM_STRESS_SUMMARY"] else {
            return
        }
        let line = "\(name) \(value)\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}

/// SplitMix64: a small seeded generator, so a failing run can be repeated with its seed.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The seed from `DECOM_STRESS_SEED`, else `fallback`.
    public static func seed(_ fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["DECOM_STRESS_SEED"].flatMap(UInt64.init) ?? fallback
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
