/// Where the fleet database lives when no `--db` is given.
public enum StoreLocation {
    /// `DECOM_DB` when set, else `$XDG_DATA_HOME/decom/fleet.sqlite`, else
    /// `$HOME/.local/share/decom/fleet.sqlite` (the XDG Base Directory default). Empty
    /// variables count as unset, as the XDG specification asks.
    public static func defaultPath(environment: [String: String]) -> String {
        if let explicit = environment["DECOM_DB"], !explicit.isEmpty { return explicit }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return joined(data, "decom/fleet.sqlite")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return joined(home, ".local/share/decom/fleet.sqlite")
    }

    private static func joined(_ folder: String, _ rest: String) -> String {
        folder.hasSuffix("/") ? folder + rest : folder + "/" + rest
    }
}
