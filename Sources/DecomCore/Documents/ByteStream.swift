import Foundation

/// Bytes on their way out, handed to the front end's sink a chunk at a time (64 KiB by
/// default), so that a listing of a million devices is never one string in memory.
///
/// The core writes into it and never does I/O itself: the sink is the front end's (the CLI's
/// is standard output, `Output.stream`). ``flush()`` hands over what is left; a stream that
/// is dropped unflushed loses its last chunk.
public struct ByteStream {
    /// The bytes not yet handed to the sink.
    public internal(set) var pending: [UInt8] = []
    private let chunk: Int
    private let sink: ([UInt8]) -> Void

    public init(chunk: Int = 65_536, sink: @escaping ([UInt8]) -> Void) {
        self.chunk = max(1, chunk)
        self.sink = sink
        pending.reserveCapacity(min(self.chunk, 65_536) + 4_096)
    }

    /// A stream that keeps everything in `pending` (tests, and callers that want a string).
    public static func collecting() -> ByteStream { ByteStream(chunk: .max / 2) { _ in } }

    /// Text written so far and not flushed, as a string.
    public var text: String { String(decoding: pending, as: UTF8.self) }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { pending.append(contentsOf: $0) }
        flushIfFull()
    }

    public mutating func write(byte: UInt8) {
        pending.append(byte)
    }

    public mutating func write(bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
        flushIfFull()
    }

    /// `count` spaces.
    public mutating func spaces(_ count: Int) {
        guard count > 0 else { return }
        pending.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// Hands the pending bytes to the sink once a chunk is full.
    public mutating func flushIfFull() {
        if pending.count >= chunk { flush() }
    }

    /// Hands every pending byte to the sink.
    public mutating func flush() {
        guard !pending.isEmpty else { return }
        sink(pending)
        pending.removeAll(keepingCapacity: true)
    }
}
