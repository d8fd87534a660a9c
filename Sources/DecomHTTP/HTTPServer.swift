import DecomCore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// How `decom serve-http` listens and what it allows.
public struct HTTPServerOptions: Sendable {
    /// The address to listen on; 127.0.0.1 unless the admin says otherwise.
    public var host: String
    /// The port; 0 lets the system choose (the chosen one is announced).
    public var port: Int
    /// PEM files of the certificate chain and its private key, for HTTPS.
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var limits: ServerLimits
    /// Requests per token per minute on routes without a documented limit; 0 for none.
    public var requestsPerMinute: Int
    /// Threads the core's synchronous calls run on.
    public var threads: Int
    /// For tests only (`DECOM_QUEUE_GATE`): while this file exists, the queue's executor
    /// holds each transaction it takes at PREPARING, so that what is submitted meanwhile is
    /// seen PENDING, can be canceled, or is left behind by a killed server. Nil: no gate.
    public var queueGate: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil,
        tlsKey: String? = nil, limits: ServerLimits = ServerLimits(),
        requestsPerMinute: Int = 600, threads: Int = 4
    ) {
        self.host = host
        self.port = port
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.limits = limits
        self.requestsPerMinute = requestsPerMinute
        self.threads = threads
    }
}

/// `decom serve-http`: the native API and each seed's endpoints, on Hummingbird 2.
public enum HTTPServer {
    /// The server could not start listening; the description says why, for the admin.
    public struct StartFailed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Fails what a killed server left PENDING or PREPARING (FAILURE "interrupted"), starts
    /// the deletion queue's executor, serves until SIGTERM or SIGINT, then lets running
    /// requests finish, runs every transaction still queued, and returns.
    ///
    /// - Parameters:
    ///   - announce: called once listening, with the URL (the chosen port when `port` is 0).
    ///   - log: one line per request and per internal error; never a token.
    /// - Throws: a TLS file that cannot be read; an address that cannot be bound.
    public static func run(
        options: HTTPServerOptions, store: any FleetStore, tokens: any TokenStore,
        announce: @escaping @Sendable (String) -> Void,
        log: @escaping @Sendable (String) -> Void
    ) async throws {
        let blocking = Blocking(threads: options.threads)
        let queue = DeletionQueue(
            service: DeletionService(store: store),
            observer: options.queueGate.map(QueueGate.observer(holdingWhileExists:)))
        let recovered: [TransactionRecord]
        do {
            recovered = try await blocking.run { try queue.recoverInterrupted() }
        } catch {
            await stop(queue, blocking)
            throw error
        }
        for record in recovered {
            log(
                "transaction \(record.id) (\(record.type.rawValue) by \(SafeText.visible(record.user))) was left unfinished by a server that stopped: FAILURE \(DeletionQueue.interrupted), nothing of it applied"
            )
        }
        let server = ServerContext(
            store: store, tokens: TokenAuthority(store: tokens), blocking: blocking,
            limits: options.limits, queue: queue)
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestLog(write: log))
        router.add(middleware: UnknownRoutes())
        NativeRoutes.add(
            to: router, server: server, rate: RateLimiter(perMinute: options.requestsPerMinute),
            log: log)
        FlashbackRoutes.add(
            to: router, server: server, rate: RateLimiter(perMinute: options.requestsPerMinute),
            log: log)
        FleetPlatformRoutes.add(
            to: router, server: server, rate: RateLimiter(perMinute: options.requestsPerMinute),
            log: log)
        OpswatRoutes.add(to: router, server: server, log: log)
        AsyncSeedRoutes.add(
            to: router, server: server, perMinute: options.requestsPerMinute, log: log)
        var builder: HTTPServerBuilder = .http1()
        var scheme = "http"
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(privateKey))
            builder = try .tls(.http1(), tlsConfiguration: tls)
            scheme = "https"
        }
        var logger = Logger(label: "decom.serve-http")
        logger.logLevel = .warning
        let host = options.host
        let shownScheme = scheme
        let app = Application(
            router: router, server: builder,
            configuration: .init(address: .hostname(host, port: options.port), serverName: "decom"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let shown = host.contains(":") ? "[\(host)]" : host
                announce("\(shownScheme)://\(shown):\(port)")
            },
            logger: logger)
        do {
            try await app.runService()
        } catch is SocketAddressError.UnknownHost {
            try? await blocking.shutdown()
            throw StartFailed(
                description: ListenFailure.unknownHost(host: options.host, port: options.port))
        } catch let error as IOError {
            try? await blocking.shutdown()
            throw StartFailed(
                description: ListenFailure.message(
                    host: options.host, port: options.port, errno: error.errnoCode,
                    detail: "\(error)"))
        } catch {
            await stop(queue, blocking)
            throw error
        }
        await stop(queue, blocking)
    }

    /// Stops the queue once every transaction it holds has run (a blocking wait, on a pool
    /// thread), then the pool.
    static func stop(_ queue: DeletionQueue, _ blocking: Blocking) async {
        _ = try? await blocking.run { queue.stop(finishQueued: true) }
        try? await blocking.shutdown()
    }
}

/// The test gate of ``HTTPServerOptions/queueGate``.
enum QueueGate {
    /// An observer that, when a transaction is taken (PREPARING, committed, outside any write),
    /// waits while `path` exists.
    static func observer(holdingWhileExists path: String) -> DeletionQueue.Observer {
        { _, status in
            guard status == .preparing else { return }
            while FileManager.default.fileExists(atPath: path) {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }
}
