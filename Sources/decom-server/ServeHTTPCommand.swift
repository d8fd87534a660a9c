import ArgumentParser
import DecomCommandLine
import DecomCore
import DecomHTTP
import DecomStore
import Foundation

struct ServeHTTPCommand: ParsableCommand {
    static let configuration = ServerCommands.serveHTTP

    @Option(help: "The address to listen on, HOST:PORT (port 0: any free port, printed).")
    var listen: String = "127.0.0.1:8080"

    @Option(
        help: "The fleet database (default: $DECOM_DB, else $XDG_DATA_HOME/decom/fleet.sqlite).")
    var db: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(
        name: .customLong("rate-limit"),
        parsing: .unconditional,
        help: "Requests per token per minute on routes without a documented limit (0: none).")
    var rateLimit: Int = 600

    @Option(
        name: .customLong("max-body"), parsing: .unconditional,
        help: "The largest request body, in bytes.")
    var maxBody: Int = ServerLimits.defaultBodyBytes

    func run() throws {
        let (host, port) = try ServeSSHCommand.address(listen)
        if (tlsCert == nil) != (tlsKey == nil) {
            throw CLIError("--tls-cert and --tls-key go together")
        }
        for file in [tlsCert, tlsKey].compactMap({ $0 })
        where !FileManager.default.isReadableFile(atPath: file) {
            throw CLIError("cannot read \(SafeText.visible(file))")
        }
        var options = HTTPServerOptions(host: host, port: port)
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        options.requestsPerMinute = try ServeSSHCommand.bounded(
            rateLimit, "--rate-limit", 0...1_000_000)
        options.limits.bodyBytes = try ServeSSHCommand.bounded(
            maxBody, "--max-body", 1_024...(1 << 30))
        let environment = ProcessInfo.processInfo.environment
        options.queueGate = environment["DECOM_QUEUE_GATE"].flatMap { $0.isEmpty ? nil : $0 }
        let path = db ?? StoreLocation.defaultPath(environment: environment)
        let store: SQLiteFleetStore
        do {
            store = try SQLiteFleetStore(path: path, mode: .existing)
        } catch let busy as StoreBusy {
            throw busy
        } catch {
            throw CLIError(SafeText.visible("\(error)"))
        }
        OpenStores.add(store)
        // One server per database's queue: a second would fail the first's queued work as
        // "interrupted" at its start-up.
        let queueLock: ServerLock
        do {
            queueLock = try ServerLock(database: store.path)
        } catch {
            throw CLIError(SafeText.visible("\(error)"))
        }
        defer { withExtendedLifetime(queueLock) {} }
        let finished = DispatchSemaphore(value: 0)
        let failure = Failure()
        let shownPath = SafeText.visible(path)
        Task.detached {
            do {
                try await HTTPServer.run(
                    options: options, store: store, tokens: store,
                    announce: { url in
                        FileHandle.standardOutput.write(
                            Data(
                                "decom serve-http: listening on \(url) (fleet \(shownPath))\n".utf8)
                        )
                    },
                    log: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
            } catch {
                failure.set(error)
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.get() { throw CLIError(SafeText.visible("\(error)")) }
        FileHandle.standardError.write(Data("decom serve-http: stopped\n".utf8))
    }

    /// The server task's error, handed to the waiting thread.
    final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.withLock { error = e } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
