import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import DecomHTTP

/// The per-token sliding minute (issue 13, "a rate limit hit and recovered"), on a clock the
/// test moves: the end-to-end tests cannot wait a real minute.
@Suite struct RateLimiterTests {
    final class Clock: Sendable {
        let now = NIOLockedValueBox(Date(timeIntervalSince1970: 1_000_000))
        func advance(_ seconds: TimeInterval) { now.withLockedValue { $0 += seconds } }
    }

    @Test func aTokenOverItsAllowanceWaitsUntilTheOldestRequestLeavesTheMinute() {
        let clock = Clock()
        let limiter = RateLimiter(perMinute: 3) { clock.now.withLockedValue { $0 } }
        #expect(limiter.admit(token: 1) == nil)
        clock.advance(10)
        #expect(limiter.admit(token: 1) == nil)
        #expect(limiter.admit(token: 1) == nil)
        #expect(limiter.admit(token: 1) == 50, "the first request leaves the window in 50 s")
        #expect(limiter.admit(token: 2) == nil, "each token has its own allowance")
        clock.advance(49)
        #expect(limiter.admit(token: 1) == 1)
        clock.advance(1)
        #expect(limiter.admit(token: 1) == nil, "recovered once the oldest left the minute")
        #expect(limiter.admit(token: 1) == 10)
    }

    @Test func zeroMeansNoLimit() {
        let limiter = RateLimiter(perMinute: 0)
        for _ in 0..<1_000 { #expect(limiter.admit(token: 1) == nil) }
    }

    @Test func aRepeatedFieldIsFoundAfterItsEscapesAreDecoded() {
        func repeated(_ text: String) -> String? { RequestBody.repeatedKey(Array(text.utf8)) }
        #expect(repeated(#"{"opt": 1, "opt": 0}"#) == "opt")
        #expect(repeated(#"{"opt": 1, "\u006fpt": 0}"#) == "opt")
        #expect(repeated(#"{"a": {"x": 1}, "b": {"x": 2}}"#) == nil, "one name per object")
        #expect(repeated(#"{"a": ["a", "a"], "b": "a"}"#) == nil, "values are not names")
        #expect(repeated(#"{"a\"": 1, "a": 2}"#) == nil)
        #expect(repeated(#"[{"k": 1}, {"k": 2}]"#) == nil)
        #expect(repeated(#"{"k": {"k": 1}, "k": 2}"#) == "k")
    }
}
