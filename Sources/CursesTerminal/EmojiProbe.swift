import CNCursesW
import DecomConsole
import Glibc

/// Measures how wide the terminal draws each kind of emoji sequence, once, as it opens.
///
/// Terminals disagree (``EmojiWidths``), and only the terminal knows: for each kind, decom
/// writes a carriage return, the kind's sample and a cursor position request (`ESC [ 6 n`,
/// answered `ESC [ row ; column R` by every VT100 descendant, tmux and screen included), then
/// erases the line. The column less one is the width. A terminal that does not answer within
/// the wait leaves those kinds at Unicode's width (2).
enum EmojiProbe {
    /// What to send for the kinds, in order.
    static func request(_ kinds: [EmojiWidths.Kind]) -> [UInt8] {
        var bytes: [UInt8] = []
        for kind in kinds {
            bytes += Array(("\r" + kind.sample + "\u{1B}[6n").utf8)
        }
        bytes += Array("\r\u{1B}[K".utf8)
        return bytes
    }

    /// The columns of the cursor position reports in `bytes`, in order.
    static func columns(in bytes: [UInt8]) -> [Int] { split(bytes).columns }

    /// The columns of the cursor position reports in `bytes`, and the other bytes (keys
    /// pressed meanwhile) in order.
    static func split(_ bytes: [UInt8]) -> (columns: [Int], rest: [UInt8]) {
        var found: [Int] = []
        var rest: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == 0x5B else {
                rest.append(bytes[index])
                index += 1
                continue
            }
            var numbers: [Int] = [0]
            var end = index + 2
            while end < bytes.count {
                let byte = bytes[end]
                if (0x30...0x39).contains(byte) {
                    numbers[numbers.count - 1] = numbers[numbers.count - 1] * 10 + Int(byte - 0x30)
                } else if byte == 0x3B {
                    numbers.append(0)
                } else {
                    break
                }
                end += 1
            }
            if end < bytes.count, bytes[end] == 0x52, numbers.count == 2 {
                found.append(numbers[1])
                index = end + 1
            } else {
                rest.append(bytes[index])
                index += 1
            }
        }
        return (found, rest)
    }

    /// The widths measured on the terminal at `input`/`output`, waiting at most `timeout`
    /// milliseconds for the answers. Keys typed meanwhile go back to ncurses' input queue
    /// (`ungetch`), in order, once every answer came; after a timeout they are dropped with
    /// the partial answers, which would otherwise read as keys.
    static func measure(input: Int32, output: Int32, timeout: Int) -> EmojiWidths {
        let kinds = EmojiWidths.Kind.allCases
        let request = request(kinds)
        var written = 0
        while written < request.count {
            let n = request[written...].withUnsafeBytes {
                Glibc.write(output, $0.baseAddress, $0.count)
            }
            if n <= 0 { return .unicode }
            written += n
        }
        var replies: [UInt8] = []
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var buffer = [UInt8](repeating: 0, count: 256)
        while columns(in: replies).count < kinds.count {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsed =
                (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1_000_000
            let left = timeout - elapsed
            if left <= 0 { break }
            var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(left)) > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            replies += buffer[0..<n]
        }
        let (columns, keys) = split(replies)
        if columns.count == kinds.count {
            for byte in keys.reversed() { ungetch(Int32(byte)) }
        }
        var measured: [EmojiWidths.Kind: Int] = [:]
        for (kind, column) in zip(kinds, columns) { measured[kind] = column - 1 }
        return EmojiWidths(measured: measured)
    }
}
