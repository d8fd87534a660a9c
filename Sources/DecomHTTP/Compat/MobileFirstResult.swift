import DecomCore
import Foundation
import Hummingbird

/// Seed 003's answer to a device delete, `remove-device-result`: whether it went well, the
/// product version, and the transaction (id, type REMOVE_DEVICE, status, user, times, the
/// device and its status, errors, the project). Written as JSON, or as the seed's XML for a
/// client that prefers it (``MobileFirstFormat``).
///
/// `ok` is false when the transaction failed, was canceled, or was never recorded (a refusal:
/// the transaction then has no `id`); a PENDING one is `ok`, not yet done (seed 003: "the
/// REST service returns before the transaction is completed").
public struct MobileFirstResult: Sendable, Hashable {
    /// `productVersion`: decom's, as MobileFirst's servers give theirs.
    public static let productVersion = "decom-1.0"
    /// `appServerId`: the server that ran it.
    public static let appServerID = "decom"

    public var ok: Bool
    public var transactionID: Int64?
    public var status: TransactionStatus
    public var userName: String?
    public var timeCreated: Date
    public var timeUpdated: Date
    /// `description.deviceId`: the device as the request named it.
    public var deviceID: String
    /// `description.status`: the device's own status (ACTIVE, LOST, STOLEN, EXPIRED,
    /// DISABLED) when the request was made; absent when no device was found.
    public var deviceStatus: DeviceStatus?
    public var errors: [String]
    /// `project.name`: the runtime of the path.
    public var project: String

    public init(
        ok: Bool, transactionID: Int64?, status: TransactionStatus, userName: String?,
        timeCreated: Date, timeUpdated: Date, deviceID: String, deviceStatus: DeviceStatus?,
        errors: [String], project: String
    ) {
        self.ok = ok
        self.transactionID = transactionID
        self.status = status
        self.userName = userName
        self.timeCreated = timeCreated
        self.timeUpdated = timeUpdated
        self.deviceID = deviceID
        self.deviceStatus = deviceStatus
        self.errors = errors
        self.project = project
    }

    /// The result of a recorded transaction: its errors are the transaction's error and the
    /// reasons of items that were not applied.
    public init(
        record: TransactionRecord, deviceID: String, deviceStatus: DeviceStatus?,
        project: String
    ) {
        var errors: [String] = []
        if let error = record.error { errors.append(error) }
        for item in record.items where item.outcome.isFailure {
            errors.append(
                "\(item.key): \(item.outcome.rawValue)" + (item.reason.map { ": \($0)" } ?? ""))
        }
        self.init(
            ok: record.status != .failure && record.status != .canceled,
            transactionID: record.id > 0 ? record.id : nil, status: record.status,
            userName: record.user, timeCreated: record.createdAt, timeUpdated: record.updatedAt,
            deviceID: deviceID, deviceStatus: deviceStatus, errors: errors, project: project)
    }

    /// A refusal that recorded nothing: FAILURE, no id, the reason as its one error.
    public static func refusal(
        _ reason: String, userName: String?, deviceID: String, deviceStatus: DeviceStatus? = nil,
        project: String, at now: Date
    ) -> MobileFirstResult {
        MobileFirstResult(
            ok: false, transactionID: nil, status: .failure, userName: userName, timeCreated: now,
            timeUpdated: now, deviceID: deviceID, deviceStatus: deviceStatus, errors: [reason],
            project: project)
    }

    // MARK: - JSON

    struct JSONBody: Encodable {
        var ok: Bool
        var productVersion: String
        var transaction: Transaction

        struct Transaction: Encodable {
            var appServerId: String
            var description: Description
            var errors: [ErrorEntry]
            var id: Int64?
            var project: Project
            var status: String
            var timeCreated: String
            var timeUpdated: String
            var type: String
            var userName: String?
        }
        struct Description: Encodable {
            var deviceId: String
            var status: String?
        }
        struct ErrorEntry: Encodable { var details: String }
        struct Project: Encodable { var name: String }
    }

    var jsonBody: JSONBody {
        JSONBody(
            ok: ok, productVersion: Self.productVersion,
            transaction: .init(
                appServerId: Self.appServerID,
                description: .init(deviceId: deviceID, status: deviceStatus?.rawValue),
                errors: errors.map { .init(details: $0) }, id: transactionID,
                project: .init(name: project), status: status.rawValue,
                timeCreated: Self.time(timeCreated), timeUpdated: Self.time(timeUpdated),
                type: "REMOVE_DEVICE", userName: userName))
    }

    /// ISO 8601 in UTC with milliseconds, as the seed's `2014-04-13T00:18:36.979Z`.
    static func time(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    // MARK: - XML

    /// The seed's XML form: `<remove-device-result ok="…" productVersion="…">` holding
    /// `<transaction …>` with `<description/>`, `<errors>`, `<project/>`. Every value is an
    /// attribute, escaped; text no XML 1.0 document may hold shows as `\u{…}`.
    public var xml: String {
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        lines.append(
            "<remove-device-result ok=\(Self.attribute(ok ? "true" : "false")) productVersion=\(Self.attribute(Self.productVersion))>"
        )
        var transaction =
            "  <transaction appServerId=\(Self.attribute(Self.appServerID))"
        if let transactionID { transaction += " id=\(Self.attribute(String(transactionID)))" }
        transaction +=
            " status=\(Self.attribute(status.rawValue)) timeCreated=\(Self.attribute(Self.time(timeCreated))) timeUpdated=\(Self.attribute(Self.time(timeUpdated))) type=\"REMOVE_DEVICE\""
        if let userName { transaction += " userName=\(Self.attribute(userName))" }
        lines.append(transaction + ">")
        var description = "    <description deviceId=\(Self.attribute(deviceID))"
        if let deviceStatus { description += " status=\(Self.attribute(deviceStatus.rawValue))" }
        lines.append(description + "/>")
        if errors.isEmpty {
            lines.append("    <errors/>")
        } else {
            lines.append("    <errors>")
            for error in errors { lines.append("      <error details=\(Self.attribute(error))/>") }
            lines.append("    </errors>")
        }
        lines.append("    <project name=\(Self.attribute(project))/>")
        lines.append("  </transaction>")
        lines.append("</remove-device-result>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a quoted XML attribute value: `&`, `<`, `>`, `"`, `'` and white space other
    /// than the space as character references; characters XML 1.0 does not allow (most C0
    /// controls, unpaired surrogates cannot occur in a Swift string, U+FFFE, U+FFFF) and
    /// those a terminal acts on as ``SafeText/jsonEscape(_:)`` writes them.
    static func attribute(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                    || SafeText.needsEscape(scalar)
                {
                    out += String(format: "\\u{%04X}", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: - Answer

    /// The answer with `status`, in the format the client asked for.
    func response(_ status: HTTPResponse.Status, format: MobileFirstFormat) -> Response {
        switch format {
        case .json:
            return JSONResponse.make(status, jsonBody)
        case .xml(let contentType):
            return Response(
                status: status, headers: [.contentType: contentType + "; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
    }
}

/// What seed 003's endpoint produces: `application/json`, `application/xml`, `text/xml`.
enum MobileFirstFormat: Sendable, Hashable {
    case json
    /// XML, with the media type the client named.
    case xml(String)

    /// The format of the answer from the request's `Accept`: the acceptable type of the
    /// highest quality; JSON on a tie, with no `Accept`, or when the client accepts none of
    /// them (then it gets what the seed lists first). So XML comes only to a client that
    /// prefers it, e.g. `Accept: application/xml` alone.
    static func negotiate(_ accept: String?) -> MobileFirstFormat {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .json
        }
        var best: (quality: Double, format: MobileFirstFormat)?
        var jsonQuality = 0.0
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let type = parts.first, !type.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            let format: MobileFirstFormat
            switch type {
            case "application/json", "application/*", "*/*":
                jsonQuality = max(jsonQuality, quality)
                continue
            case "application/xml": format = .xml("application/xml")
            case "text/xml", "text/*": format = .xml("text/xml")
            default: continue
            }
            if best == nil || quality > best?.quality ?? 0 { best = (quality, format) }
        }
        guard let best, best.quality > jsonQuality else { return .json }
        return best.format
    }
}
