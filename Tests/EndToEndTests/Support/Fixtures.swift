import Foundation

/// A small fleet with one device per situation the CLI tests need, in the import format.
enum Fixtures {
    static func device(
        _ id: Int, name: String, status: String = "AVAILABLE", rent: String? = nil,
        mdmStatus: String? = "ENROLLED", label: String? = nil, macs: [String] = [],
        hwid: String? = nil, serial: String? = nil, sessions: Int = 0
    ) -> [String: Any] {
        var d: [String: Any] = [
            "id": id, "name": name, "serial_number": serial ?? "SN\(id)X", "rent": rent ?? NSNull(),
            "tracking_number": NSNull(), "client_status": status, "type": "laptop",
            "category": "it", "source": "fixture", "comment": NSNull(),
            "characteristics": ["os_platform": "macOS", "ram": "16GB"],
            "label": label ?? "dev-\(id)", "mac_addresses": macs, "hwid": hwid ?? "hw\(id)abc",
            "device_status": "ACTIVE", "last_seen": "2026-11-20T10:00:00Z",
        ]
        if let mdmStatus {
            d["mdm"] =
                [
                    "id": 1000 + id, "status": mdmStatus, "is_encrypted": true,
                    "firewall_enabled": true,
                    "screenlock_enabled": true, "os_updates_enabled": true,
                    "os_updates_available": false,
                    "is_compromised": false, "last_seen_date": "2026-11-20T10:00:00Z",
                ] as [String: Any]
        } else {
            d["mdm"] = NSNull()
        }
        d["sessions"] = (0..<sessions).map { n in
            [
                "token_id": "tok-\(id)-\(n)", "user": "user\(n)",
                "created_at": "2026-11-01T08:00:00Z",
            ]
        }
        return d
    }

    static var fleet: [[String: Any]] {
        [
            device(1, name: "LT-PAR-00001", sessions: 2),
            device(2, name: "LT-PAR-00002", status: "IN_SERVICE", sessions: 1),
            device(3, name: "LT-WIPE-00003", mdmStatus: "DEVICE_WIPE_PENDING"),
            device(4, name: "LT-RENT-00004", status: "SHIPPED", rent: "RENT-44"),
            device(
                5, name: "KIOSK-00005", label: "kiosk-5", macs: ["00:0c:29:cd:c7:b2"],
                hwid: "12ds44f5gacd52234", serial: "C02XK1ZZJGH5"),
            device(6, name: "LT-PAR-00006"),
            device(7, name: "LT-PAR-00007"),
            device(8, name: "EVIL\u{1B}]0;pwned\u{07}\u{1B}[31mRED\u{202E}txt", mdmStatus: nil),
            device(9, name: "PH-NOMDM-00009", mdmStatus: nil),
        ]
    }

    static func write(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: fleet, options: [.prettyPrinted])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
