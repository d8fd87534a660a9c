/// Comparison of secrets whose time does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes, looking at every byte of both whatever the
    /// first difference (a comparison that stopped there would tell an attacker, by its time,
    /// how much of a guessed hash was right). Lengths are not secret here: hashes of one size.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
