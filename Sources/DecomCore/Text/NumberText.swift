/// Numbers as an admin reads them in decom's messages.
public enum NumberText {
    /// 1234567 as "1,234,567", whatever the locale (decom's messages and screens are English).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
