import Foundation
import Testing

/// Seeds 000 (Flashback), 001 (a fleet platform) and 004 (OPSWAT) served by `decom serve-http`
/// under `/compat/flashback`, `/compat/fleet-platform` and `/compat/opswat` (issue 13): the
/// built binary over real HTTP on 127.0.0.1, curl as the client, every answer's status and
/// body as the seed (or decom's documented extension of it) has it, and the database read
/// back with sqlite3 after each request.
@Suite(.serialized) struct HTTPCompatAEndToEndTests {
    /// A fleet of ten devices with one per situation, imported; a viewer, an operator and an
    /// admin token; a server on it.
    ///
    /// 1 and 2 have sessions (2 is IN_SERVICE); 3 has a wipe pending; 4 is rented and
    /// SHIPPED; 5 reports seed 004's example MAC and HWID; 8 has no MDM agent. Every device
    /// reports the MAC `00:0c:29:00:00:0N` (5 reports the seed's).
    struct CompatFleet {
        let decom: DecomProcess
        let server: APIServer
        let viewer: String
        let operatorToken: String
        let admin: String

        static let seedMAC = "00:0c:29:cd:c7:b2"
        static let seedHWID = "12ds44f5gacd52234"

        static func mac(_ id: Int) -> String {
            id == 5 ? seedMAC : String(format: "00:0c:29:00:00:%02d", id)
        }

        static var devices: [[String: Any]] {
            [
                Fixtures.device(1, name: "LT-PAR-00001", macs: [mac(1)], sessions: 2),
                Fixtures.device(
                    2, name: "LT-PAR-00002", status: "IN_SERVICE", macs: [mac(2)], sessions: 1),
                Fixtures.device(
                    3, name: "LT-WIPE-00003", mdmStatus: "DEVICE_WIPE_PENDING", macs: [mac(3)]),
                Fixtures.device(
                    4, name: "LT-RENT-00004", status: "SHIPPED", rent: "RENT-44", macs: [mac(4)]),
                Fixtures.device(
                    5, name: "KIOSK-00005", label: "kiosk-5", macs: [mac(5)], hwid: seedHWID),
                Fixtures.device(6, name: "LT-PAR-00006", macs: [mac(6)]),
                Fixtures.device(7, name: "LT-PAR-00007", label: "lobby-7", macs: [mac(7)]),
                Fixtures.device(8, name: "PH-NOMDM-00008", mdmStatus: nil, macs: [mac(8)]),
                Fixtures.device(9, name: "LT-PAR-00009", macs: [mac(9)]),
                Fixtures.device(10, name: "LT-PAR-00010", macs: [mac(10)]),
            ]
        }

        init() throws {
            decom = try DecomProcess()
            let file = decom.home.appendingPathComponent("fleet.json").path
            let data = try JSONSerialization.data(withJSONObject: Self.devices)
            try data.write(to: URL(fileURLWithPath: file))
            let imported = try decom.run(["import", file])
            #expect(imported.status == 0, "\(imported.stderr)")
            viewer = try decom.token(user: "vic", role: "viewer")
            operatorToken = try decom.token(user: "olga", role: "operator")
            admin = try decom.token(user: "ada", role: "admin")
            server = try APIServer(decom)
        }

        func count(_ sql: String) throws -> Int { try SQLiteShell.int(decom.db, sql) }
        func text(_ sql: String) throws -> String {
            try SQLiteShell.run(decom.db, sql).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Devices, archived devices, enrollments not UNENROLLED, sessions, suspended
        /// sessions, tombstones and transactions other than the import: what a refused
        /// request must leave as it was.
        func state() throws -> String {
            try text(
                """
                SELECT (SELECT count(*) FROM devices),
                       (SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED'),
                       (SELECT count(*) FROM mdm_enrollments WHERE status <> 'UNENROLLED'),
                       (SELECT count(*) FROM sessions),
                       (SELECT count(*) FROM sessions WHERE suspended_by IS NOT NULL),
                       (SELECT count(*) FROM tombstones),
                       (SELECT count(*) FROM transactions WHERE type <> 'IMPORT' AND status = 'SUCCESS');
                """)
        }

        func opswat(_ token: String?, _ body: String) throws -> APIServer.Reply {
            let query = token.map { "?access_token=\($0)" } ?? ""
            return try server.request(
                "POST", "/compat/opswat/o/api/v2/devices/delete" + query, body: body)
        }
    }

    // MARK: - Seed 000: Flashback

    @Test func flashbackPurgesTheDeviceAndRevokesItsSessions() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        #expect(try fleet.count("SELECT count(*) FROM sessions WHERE device_id = 1;") == 2)
        let removed = try fleet.server.request(
            "DELETE", "/compat/flashback/devices/1", token: fleet.admin,
            headers: ["Accept": "application/json"])
        #expect(removed.status == 200, "\(removed)")
        #expect(
            NSDictionary(dictionary: try removed.object()).isEqual(to: [
                "success": true, "message": "Device removed successfully",
            ]), "\(removed)")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 1;") == 0)
        #expect(try fleet.count("SELECT count(*) FROM sessions WHERE device_id = 1;") == 0)
        #expect(try fleet.count("SELECT count(*) FROM tombstones WHERE device_id = 1;") == 1)
        #expect(
            try fleet.text(
                "SELECT type, status, user, role FROM transactions ORDER BY id DESC LIMIT 1;")
                == "PURGE|SUCCESS|ada|admin")

        let byLabel = try fleet.server.request(
            "DELETE", "/compat/flashback/devices/~lobby-7", token: fleet.admin)
        #expect(byLabel.status == 200, "\(byLabel)")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 7;") == 0)

        let before = try fleet.state()
        for path in ["1", "99999", "mac:zz", "0"] {
            let missing = try fleet.server.request(
                "DELETE", "/compat/flashback/devices/\(path)", token: fleet.admin)
            #expect(missing.status == 404, "\(path): \(missing)")
            #expect(
                NSDictionary(dictionary: try missing.object()).isEqual(to: [
                    "success": false, "error": "Device not found",
                ]), "\(path): \(missing)")
        }
        #expect(try fleet.state() == before)
    }

    @Test func flashbackPurgesOnlyForAnAdminAndOnlyWhatThePolicyAllows() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        for (token, role) in [(fleet.viewer, "viewer"), (fleet.operatorToken, "operator")] {
            let refused = try fleet.server.request(
                "DELETE", "/compat/flashback/devices/6", token: token)
            #expect(refused.status == 403, "\(role): \(refused)")
            let body = try refused.object()
            #expect(body["success"] as? Bool == false)
            #expect(
                body["error"] as? String == "role \(role) may not purge; it needs admin",
                "\(refused)")
        }
        for id in [3, 4] {
            let forbidden = try fleet.server.request(
                "DELETE", "/compat/flashback/devices/\(id)", token: fleet.admin)
            #expect(forbidden.status == 403, "\(id): \(forbidden)")
            #expect(try forbidden.object()["success"] as? Bool == false)
        }
        let wipe = try fleet.server.request(
            "DELETE", "/compat/flashback/devices/3", token: fleet.admin)
        #expect(wipe.body.contains("a device wipe is pending"), "\(wipe)")
        #expect(try fleet.state() == before, "nothing changed")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (3, 4, 6);") == 3)
    }

    // MARK: - Seed 001: the fleet platform

    /// Seed 001's `GetDeviceResponse.data` keys, all required.
    static let deviceKeys: Set<String> = [
        "id", "name", "serial_number", "rent", "tracking_number", "client_status", "type",
        "category", "source", "comment", "characteristics", "mdm",
    ]
    static let characteristicsKeys: Set<String> = [
        "screen_size", "graphic", "processor", "ram", "storage", "model_year", "connectivity",
        "keyboard_layout", "resolution", "has_microphone", "has_webcam", "noise_cancellation",
        "compliance", "connection_type", "has_stool", "has_video_package", "has_screen",
        "has_premium_tablet", "color", "seats_number", "assembly", "os_platform",
    ]
    static let mdmKeys: Set<String> = [
        "id", "status", "local_name", "is_locked", "lock_date", "firewall_enabled",
        "os_updates_enabled", "is_encrypted", "screenlock_enabled", "is_compromised",
        "os_updates_available", "disk_encryption_profile_installed", "enrollment_date",
        "unenrollment_date", "download_date", "last_seen_date", "last_sync_date",
    ]

    @Test func fleetPlatformSoftDeletesAndAnswersTheDeletedDevicesSnapshot() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let deleted = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/2", token: fleet.operatorToken)
        #expect(deleted.status == 200, "\(deleted)")
        let data = try #require(try deleted.object()["data"] as? [String: Any], "\(deleted)")
        #expect(Self.deviceKeys.isSubset(of: Set(data.keys)), "\(data.keys.sorted())")
        #expect(data["id"] as? Int == 2)
        #expect(data["client_status"] as? String == "ARCHIVED")
        let characteristics = try #require(data["characteristics"] as? [String: Any])
        #expect(Set(characteristics.keys) == Self.characteristicsKeys)
        let mdm = try #require(data["mdm"] as? [String: Any])
        #expect(Self.mdmKeys.isSubset(of: Set(mdm.keys)), "\(mdm.keys.sorted())")
        #expect(
            try fleet.text("SELECT client_status FROM devices WHERE id = 2;") == "ARCHIVED")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM sessions WHERE device_id = 2 AND suspended_by IS NOT NULL;")
                == 1)
        #expect(
            try fleet.text(
                "SELECT type, status, user, role FROM transactions ORDER BY id DESC LIMIT 1;")
                == "ARCHIVE|SUCCESS|olga|operator")
        let shown = try fleet.decom.run(["show", "2", "--format", "json"])
        let fromCLI = try #require(try shown.json()["data"] as? [String: Any])
        #expect(NSDictionary(dictionary: data).isEqual(to: fromCLI), "one vocabulary")

        let transactions = try fleet.count("SELECT count(*) FROM transactions;")
        let again = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/2", token: fleet.admin)
        #expect(again.status == 200, "idempotent: \(again)")
        #expect(
            (try again.object()["data"] as? [String: Any])?["client_status"] as? String
                == "ARCHIVED")
        #expect(try fleet.count("SELECT count(*) FROM transactions;") == transactions)

        let byAdmin = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/9", token: fleet.admin)
        #expect(byAdmin.status == 200, "\(byAdmin)")
        #expect(
            try fleet.text("SELECT client_status FROM devices WHERE id = 9;") == "ARCHIVED")
        let undo = try fleet.decom.run(["undo", "--user", "ada"])
        #expect(undo.status == 0, "a soft delete is undoable: \(undo.stderr)")
        #expect(
            try fleet.text("SELECT client_status FROM devices WHERE id = 9;") == "AVAILABLE")
    }

    @Test func fleetPlatformAnswersItsErrorsInTheSeedsShape() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let cases: [(String, String, Int, String)] = [
            (fleet.viewer, "6", 403, "INSUFFICIENT_SCOPE"),
            (fleet.operatorToken, "3", 403, "DEVICE_MUTATION_FORBIDDEN"),
            (fleet.admin, "4", 403, "DEVICE_MUTATION_FORBIDDEN"),
            (fleet.operatorToken, "99999", 404, "DEVICE_NOT_FOUND"),
            (fleet.operatorToken, "0", 404, "DEVICE_NOT_FOUND"),
            (fleet.operatorToken, "042", 404, "DEVICE_NOT_FOUND"),
            (fleet.operatorToken, "abc", 404, "DEVICE_NOT_FOUND"),
            (fleet.operatorToken, "~lobby-7", 404, "DEVICE_NOT_FOUND"),
            (fleet.operatorToken, "99999999999999999999", 404, "DEVICE_NOT_FOUND"),
        ]
        for (token, id, status, error) in cases {
            let reply = try fleet.server.request(
                "DELETE", "/compat/fleet-platform/devices/\(id)", token: token)
            #expect(reply.status == status, "\(id): \(reply)")
            #expect(try reply.object()["error"] as? String == error, "\(id): \(reply)")
        }
        let viewer = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/6", token: fleet.viewer)
        #expect(viewer.body.contains("role viewer may not archive"), "\(viewer)")
        let pattern = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/042", token: fleet.admin)
        #expect(pattern.body.contains("does not match"), "the message names the rule: \(pattern)")
        #expect(try fleet.state() == before, "nothing changed")
    }

    // MARK: - Seed 004: OPSWAT

    @Test func opswatAnswersTheSeedsExamplesIndexAligned() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let byHWID = try fleet.opswat(
            fleet.operatorToken,
            #"{ "HWID_list" : ["12ds44f5gacd52234", "cd7323a67effe2ab53"], "opt": 0}"#)
        #expect(byHWID.status == 200, "\(byHWID)")
        #expect(try byHWID.object()["result"] as? [Int] == [0, 1], "\(byHWID)")
        #expect(
            try fleet.text("SELECT status FROM mdm_enrollments WHERE device_id = 5;")
                == "UNENROLLED")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 5;") == 1, "data kept")
        #expect(
            try fleet.text("SELECT type, user FROM transactions ORDER BY id DESC LIMIT 1;")
                == "UNENROLL|olga")

        let byMAC = try fleet.opswat(
            fleet.operatorToken,
            #"{ "MAC_list" : ["00:0c:29:cd:c7:b2", "00:0c:30:cd:ff:b2"], "opt": 0}"#)
        #expect(byMAC.status == 200, "\(byMAC)")
        #expect(
            try byMAC.object()["result"] as? [Int] == [5, 1],
            "already unenrolled: nothing to do; no such MAC: \(byMAC)")

        let mixed = try fleet.opswat(
            fleet.admin,
            """
            {"MAC_list": ["\(CompatFleet.mac(9))", "00-0C-29-00-00-10", "not-a-mac",
                          "\(CompatFleet.mac(3))", "\(CompatFleet.mac(8))", "0c29000009ff",
                          "000C.2900.0009"], "opt": 0}
            """)
        #expect(mixed.status == 200, "\(mixed)")
        #expect(try mixed.object()["result"] as? [Int] == [0, 0, 2, 3, 5, 1, 0], "\(mixed)")
        #expect(
            try fleet.text(
                "SELECT group_concat(status) FROM (SELECT status FROM mdm_enrollments WHERE device_id IN (3, 9, 10) ORDER BY device_id);"
            ) == "DEVICE_WIPE_PENDING,UNENROLLED,UNENROLLED")

        try SQLiteShell.run(
            fleet.decom.db, "UPDATE devices SET hwid = 'shared-hw-1' WHERE id IN (6, 7);")
        let ambiguous = try fleet.opswat(fleet.admin, #"{"HWID_list": ["shared-hw-1"], "opt": 0}"#)
        #expect(try ambiguous.object()["result"] as? [Int] == [4], "\(ambiguous)")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM mdm_enrollments WHERE device_id IN (6, 7) AND status = 'ENROLLED';"
            ) == 2)
    }

    @Test func opswatOpt1RemovesEveryListedDeviceInOneBulkPurge() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let purged = try fleet.opswat(
            fleet.admin,
            """
            {"MAC_list": ["\(CompatFleet.mac(1))", "\(CompatFleet.mac(2))", "zz",
                          "\(CompatFleet.mac(3))", "00:0C:29:00:00:01"]}
            """)
        #expect(purged.status == 200, "\(purged)")
        #expect(
            try purged.object()["result"] as? [Int] == [0, 0, 2, 3, 0],
            "opt defaults to 1; the repeated MAC is the first entry's device: \(purged)")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (1, 2);") == 0)
        #expect(try fleet.count("SELECT count(*) FROM sessions WHERE device_id IN (1, 2);") == 0)
        #expect(try fleet.count("SELECT count(*) FROM tombstones WHERE device_id IN (1, 2);") == 2)
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id = 3;") == 1)
        #expect(
            try fleet.text(
                "SELECT type, status, user FROM transactions ORDER BY id DESC LIMIT 1;")
                == "PURGE|SUCCESS|ada")
        let byHWID = try fleet.opswat(
            fleet.admin, #"{"HWID_list": ["12ds44f5gacd52234", "hw6abc"], "opt": 1}"#)
        #expect(try byHWID.object()["result"] as? [Int] == [0, 0], "\(byHWID)")
        #expect(try fleet.count("SELECT count(*) FROM devices WHERE id IN (5, 6);") == 0)
    }

    @Test func opswatOpt2ArchivesAndUnenrollsInOneTransactionThatUndoRestores() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let viewer = try fleet.opswat(
            fleet.viewer, #"{"MAC_list": ["\#(CompatFleet.mac(6))"], "opt": 2}"#)
        #expect(viewer.status == 403, "\(viewer)")
        #expect(
            try viewer.object()["error"] as? String
                == "role viewer may not archive and unenroll; it needs operator", "\(viewer)")
        let macs = [6, 8, 3, 4].map { "\"\(CompatFleet.mac($0))\"" }.joined(separator: ", ")
        let done = try fleet.opswat(
            fleet.operatorToken, #"{"MAC_list": [\#(macs)], "opt": 2}"#)
        #expect(done.status == 200, "\(done)")
        #expect(
            try done.object()["result"] as? [Int] == [0, 0, 3, 3],
            "8 has no agent: archived only, still done; 3 and 4 are protected: \(done)")
        #expect(
            try fleet.text(
                "SELECT d.client_status, m.status FROM devices d JOIN mdm_enrollments m ON m.device_id = d.id WHERE d.id = 6;"
            ) == "ARCHIVED|UNENROLLED")
        #expect(try fleet.text("SELECT client_status FROM devices WHERE id = 8;") == "ARCHIVED")
        #expect(
            try fleet.text(
                "SELECT group_concat(client_status) FROM (SELECT client_status FROM devices WHERE id IN (3, 4) ORDER BY id);"
            ) == "AVAILABLE,SHIPPED")
        #expect(
            try fleet.text("SELECT type, status, user FROM transactions ORDER BY id DESC LIMIT 1;")
                == "ARCHIVE_UNENROLL|SUCCESS|olga")
        let again = try fleet.opswat(
            fleet.operatorToken,
            #"{"MAC_list": ["\#(CompatFleet.mac(6))", "\#(CompatFleet.mac(8))"], "opt": 2}"#)
        #expect(try again.object()["result"] as? [Int] == [5, 5], "nothing to do: \(again)")

        let undo = try fleet.decom.run(["undo", "--user", "olga", "--role", "operator"])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(
            try fleet.text(
                "SELECT d.client_status, m.status FROM devices d JOIN mdm_enrollments m ON m.device_id = d.id WHERE d.id = 6;"
            ) == "AVAILABLE|UNENROLLED", "the record is back; the agent stays uninstalled")
    }

    @Test func opswatChecksTheRoleOfTheTokenForEachOpt() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let refusals: [(String, String, String)] = [
            (fleet.viewer, "0", "role viewer may not unenroll; it needs operator"),
            (fleet.viewer, "1", "role viewer may not purge; it needs admin"),
            (fleet.operatorToken, "1", "role operator may not purge; it needs admin"),
        ]
        for (token, opt, message) in refusals {
            let reply = try fleet.opswat(
                token, #"{"MAC_list": ["\#(CompatFleet.mac(6))"], "opt": \#(opt)}"#)
            #expect(reply.status == 403, "opt \(opt): \(reply)")
            #expect(try reply.object()["error"] as? String == message, "\(reply)")
        }
        #expect(try fleet.state() == before, "nothing changed")
        let byOperator = try fleet.opswat(
            fleet.operatorToken, #"{"MAC_list": ["\#(CompatFleet.mac(6))"], "opt": 0}"#)
        #expect(try byOperator.object()["result"] as? [Int] == [0], "\(byOperator)")
        let byAdmin = try fleet.opswat(
            fleet.admin, #"{"MAC_list": ["\#(CompatFleet.mac(7))"], "opt": 0}"#)
        #expect(try byAdmin.object()["result"] as? [Int] == [0], "\(byAdmin)")
        #expect(
            try fleet.count(
                "SELECT count(*) FROM mdm_enrollments WHERE device_id IN (6, 7) AND status = 'UNENROLLED';"
            ) == 2)
    }

    @Test func opswatRefusesABadBodyByNameAndChangesNothing() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let mac = CompatFleet.mac(6)
        let cases: [(String, String)] = [
            ("not json", "body"),
            ("[\"\(mac)\"]", "body"),
            (#"{"opt": 0}"#, "MAC_list"),
            (#"{"MAC_list": ["\#(mac)"], "HWID_list": ["hw6abc"], "opt": 0}"#, "HWID_list"),
            (#"{"MAC_list": [], "opt": 0}"#, "MAC_list"),
            (#"{"MAC_list": "\#(mac)", "opt": 0}"#, "MAC_list"),
            (#"{"HWID_list": [6], "opt": 0}"#, "HWID_list"),
            (#"{"MAC_list": ["\#(mac)"], "opt": 3}"#, "opt"),
            (#"{"MAC_list": ["\#(mac)"], "opt": "0"}"#, "opt"),
            (#"{"MAC_list": ["\#(mac)"], "opt": 0, "user": "ada"}"#, "user"),
        ]
        for (body, field) in cases {
            let reply = try fleet.opswat(fleet.admin, body)
            #expect(reply.status == 400, "\(body): \(reply)")
            let object = try reply.object()
            #expect(object["field"] as? String == field, "\(body): \(reply)")
            #expect((object["error"] as? String ?? "").isEmpty == false, "\(body): \(reply)")
        }
        #expect(try fleet.state() == before, "nothing changed")
    }

    @Test func opswatTakesItsTokenFromTheQueryStringOnly() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let body = #"{"MAC_list": ["\#(CompatFleet.mac(6))"], "opt": 0}"#
        let bearer = try fleet.server.request(
            "POST", "/compat/opswat/o/api/v2/devices/delete", token: fleet.admin, body: body)
        #expect(bearer.status == 401, "a bearer header is not this seed's: \(bearer)")
        #expect(try bearer.object()["error"] as? String != nil)
        let unknown = try fleet.opswat("decom_" + String(repeating: "0", count: 64), body)
        #expect(unknown.status == 401, "\(unknown)")
        #expect(
            (try unknown.object()["error"] as? String ?? "").hasPrefix(
                "Unauthorized. Your access_token is invalid or expired"), "\(unknown)")
        #expect(try fleet.state() == before)
        let ok = try fleet.opswat(fleet.admin, body)
        #expect(try ok.object()["result"] as? [Int] == [0], "\(ok)")
        let log = fleet.server.log
        #expect(log.contains("/compat/opswat/o/api/v2/devices/delete?access_token=[redacted]"))
        #expect(!log.contains(String(fleet.admin.dropFirst(6).prefix(16))), "a token in the log")
    }

    @Test func opswatAllowsTenRequestsAMinutePerToken() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let body = #"{"HWID_list": ["no-such-hwid"], "opt": 0}"#
        let start = Date()
        var admitted = 0
        var limited: APIServer.Reply?
        while limited == nil && admitted < 20 {
            let reply = try fleet.opswat(fleet.operatorToken, body)
            if reply.status == 429 {
                limited = reply
            } else {
                #expect(try reply.object()["result"] as? [Int] == [1], "\(reply)")
                admitted += 1
            }
        }
        let reply = try #require(limited, "no 429 after \(admitted) requests")
        // The window is a minute: on a machine so slow that the requests spread over it, the
        // oldest have left the window and more were admitted; the count is only checked when
        // they did not.
        if Date().timeIntervalSince(start) < 50 {
            #expect(admitted == 10, "the seed's 10 requests a minute")
        }
        let wait = try #require(Int(reply.headers["retry-after"] ?? ""), "\(reply.headers)")
        #expect((1...60).contains(wait))
        #expect((try reply.object()["error"] as? String ?? "").contains("10 requests per minute"))
        #expect(
            try fleet.opswat(fleet.admin, body).status == 200, "another token has its own allowance"
        )
        let native = try fleet.server.request(
            "GET", "/api/v1/devices/1", token: fleet.operatorToken)
        #expect(native.status == 200, "the native API's allowance is apart: \(native)")
        let flashback = try fleet.server.request(
            "DELETE", "/compat/flashback/devices/99999", token: fleet.operatorToken)
        #expect(flashback.status == 403, "seed 000's allowance is apart: \(flashback)")
    }

    // MARK: - Every route

    @Test func everyRouteRefusesAMissingUnknownOrRevokedTokenInItsSeedsShape() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        let before = try fleet.state()
        let revoked = try fleet.decom.token(user: "rex", role: "admin")
        // Tokens 1 to 3 are the fleet's; rex's is the fourth.
        let revoke = try fleet.decom.run(
            ["token", "revoke", "4", "--db", fleet.decom.db], useDB: false)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let unknown = "decom_" + String(repeating: "0", count: 64)
        for token in [nil, unknown, revoked] {
            let flashback = try fleet.server.request(
                "DELETE", "/compat/flashback/devices/6", token: token)
            #expect(flashback.status == 401, "\(flashback)")
            #expect(try flashback.object()["success"] as? Bool == false)
            #expect(flashback.headers["www-authenticate"] == "Bearer")
            let platform = try fleet.server.request(
                "DELETE", "/compat/fleet-platform/devices/6", token: token)
            #expect(platform.status == 401, "\(platform)")
            #expect(try platform.object()["error"] as? String == "UNAUTHORIZED")
            let opswat = try fleet.opswat(token, #"{"MAC_list": ["\#(CompatFleet.mac(6))"]}"#)
            #expect(opswat.status == 401, "\(opswat)")
            if token == revoked {
                #expect(flashback.body.contains("revoked"), "\(flashback)")
                #expect(platform.body.contains("revoked"), "\(platform)")
                #expect(opswat.body.contains("revoked"), "\(opswat)")
            }
        }
        #expect(try fleet.state() == before, "nothing changed")
    }

    @Test func aRolledBackTransactionIsTheSeeds500AndChangesNothing() throws {
        let fleet = try CompatFleet()
        defer { fleet.decom.remove() }
        // A trigger that makes every change of a device fail inside its transaction, as a
        // full disk or a broken database would.
        try SQLiteShell.run(
            fleet.decom.db,
            """
            CREATE TRIGGER test_refuse_delete BEFORE DELETE ON devices
            BEGIN SELECT RAISE(ABORT, 'test: the disk is on fire'); END;
            CREATE TRIGGER test_refuse_update BEFORE UPDATE ON devices
            BEGIN SELECT RAISE(ABORT, 'test: the disk is on fire'); END;
            """)
        let before = try fleet.state()
        let flashback = try fleet.server.request(
            "DELETE", "/compat/flashback/devices/6", token: fleet.admin)
        #expect(flashback.status == 500, "\(flashback)")
        #expect(
            NSDictionary(dictionary: try flashback.object()).isEqual(to: [
                "success": false, "error": "Failed to remove device",
            ]), "\(flashback)")
        let platform = try fleet.server.request(
            "DELETE", "/compat/fleet-platform/devices/6", token: fleet.admin)
        #expect(platform.status == 500, "\(platform)")
        #expect(try platform.object()["error"] as? String == "INTERNAL_ERROR")
        let opswat = try fleet.opswat(
            fleet.admin, #"{"MAC_list": ["\#(CompatFleet.mac(6))", "\#(CompatFleet.mac(7))"]}"#)
        #expect(opswat.status == 500, "\(opswat)")
        #expect(try opswat.object()["error"] as? String != nil)
        #expect(try fleet.state() == before, "nothing changed")
        #expect(
            try fleet.count("SELECT count(*) FROM transactions WHERE status = 'FAILURE';") == 3,
            "each failure is in the history")
        #expect(fleet.server.log.contains("the disk is on fire"), "the log has the cause")
        #expect(!flashback.body.contains("fire") && !platform.body.contains("fire"))
    }
}
