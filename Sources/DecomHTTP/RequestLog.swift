import DecomCore
import Foundation
import Hummingbird

/// One line per request on standard error: time, client, method, path, status, milliseconds.
/// A token never appears: query parameters that carry one (two seeds put it there) are
/// written `[redacted]` (issue 13: "a token in a query string is redacted in every log
/// line"), and headers are not logged.
public struct RequestLog: RouterMiddleware {
    public typealias Context = APIContext
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public func handle(
        _ request: Request, context: APIContext,
        next: (Request, APIContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let path = Self.redacted(request.uri.description)
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            log(request, path: path, status: status, since: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, path: path, status: Int(error.status.code), since: start)
            throw error
        } catch {
            log(request, path: path, status: 500, since: start, error: error)
            throw error
        }
    }

    private func log(
        _ request: Request, path: String, status: Int, since start: ContinuousClock.Instant,
        error: (any Error)? = nil
    ) {
        let elapsed = ContinuousClock.now - start
        let ms =
            Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds)
            * 1000
        var line =
            "\(ISODate.text(Date())) \(request.method.rawValue) \(path) \(status) \(String(format: "%.1f", ms))ms"
        if let error { line += " error: \(SafeText.visible("\(error)"))" }
        write(line)
    }

    /// `uri` with the value of every query parameter whose name holds "token" (any case)
    /// replaced by `[redacted]`, and control characters made visible.
    public static func redacted(_ uri: String) -> String {
        guard let q = uri.firstIndex(of: "?") else { return masked(SafeText.visible(uri)) }
        let path = uri[..<q]
        let query = uri[uri.index(after: q)...]
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map {
            part -> String in
            let name = part.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let decoded = name.removingPercentEncoding ?? name
            return decoded.lowercased().contains("token") ? "\(name)=[redacted]" : String(part)
        }
        return masked(SafeText.visible(String(path) + "?" + parts.joined(separator: "&")))
    }

    /// `text` with anything shaped like a decom token (`decom_` and 64 hex digits) replaced:
    /// a token pasted into a path, a query or another parameter is not logged either.
    static func masked(_ text: String) -> String {
        text.replacingOccurrences(
            of: #"decom_[0-9a-fA-F]{64}"#, with: "decom_[redacted]", options: .regularExpression)
    }
}
