import DecomCore
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

/// The tests' seeded generator is the demo fleet's: a failing run can be repeated with its
/// seed.
public typealias SeededRandom = SplitMix64

extension SplitMix64 {
    /// The seed from `DECOM_STRESS_SEED`, else `fallback`.
    public static func seed(_ fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["DECOM_STRESS_SEED"].flatMap(UInt64.init) ?? fallback
    }
}
