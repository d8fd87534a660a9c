import DecomCore
import Dispatch
import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// `decom serve-ssh`: an SSH server whose every session is a `decom` console on a pty.
///
/// One connection, one NIOSSHHandler with a ``VisitorAuthenticator``; one session channel,
/// one ``ConsoleSession``; every other channel type (port forwarding among them) is refused,
/// and so are global requests (swift-nio-ssh's default). SIGTERM and SIGINT stop it: no new
/// connection or session, every console hung up and waited for, then exit status 0.
public final class ConsoleServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var hostKey: HostKey
        public var mode: ServerMode
        public var limits: SessionLimits
        /// The `decom` binary each session runs.
        public var executable: String
        /// Where session folders are made.
        public var folderBase: String

        public init(
            host: String, port: Int, hostKey: HostKey, mode: ServerMode, limits: SessionLimits,
            executable: String, folderBase: String
        ) {
            self.host = host
            self.port = port
            self.hostKey = hostKey
            self.mode = mode
            self.limits = limits
            self.executable = executable
            self.folderBase = folderBase
        }
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public var description: String
    }

    private let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Listens until SIGTERM or SIGINT, then stops as described above. `ready` gets the
    /// address actually bound (the port when 0 was asked).
    public func run(ready: (_ host: String, _ port: Int) -> Void) throws {
        let configuration = configuration
        SessionFolder.removeAbandoned(base: configuration.folderBase)
        let log = ServerLog()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let registry = SessionRegistry(limits: configuration.limits)
        var spares: SpareFleets?
        if case .demo(let devices) = configuration.mode, configuration.limits.spareFleets > 0 {
            spares = SpareFleets(
                count: configuration.limits.spareFleets, devices: devices,
                executable: configuration.executable, folderBase: configuration.folderBase,
                log: log)
        }
        let settings = SessionSettings(
            mode: configuration.mode, executable: configuration.executable,
            folderBase: configuration.folderBase, registry: registry, threadPool: threadPool,
            log: log, spares: spares)
        defer {
            try? group.syncShutdownGracefully()
            try? threadPool.syncShutdownGracefully()
        }

        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { connection in
                connection.eventLoop.makeCompletedFuture {
                    try Self.setUp(connection, configuration: configuration, settings: settings)
                }
            }
        let listener: Channel
        do {
            listener = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        } catch is SocketAddressError.UnknownHost {
            throw StartFailed(
                description: ListenFailure.unknownHost(
                    host: configuration.host, port: configuration.port))
        } catch {
            throw StartFailed(
                description: ListenFailure.message(
                    host: configuration.host, port: configuration.port,
                    errno: (error as? IOError)?.errnoCode, detail: "\(error)"))
        }
        ready(
            listener.localAddress?.ipAddress ?? configuration.host, listener.localAddress?.port ?? 0
        )

        spares?.fill()
        stop.wait()
        let open = registry.count
        log.write(
            "stopping: no new sessions; hanging up \(open) open session\(open == 1 ? "" : "s")")
        try? listener.close().wait()
        registry.hangUpAll()
        // Every child ends within the grace period (SIGKILL after it); the bound is generous.
        let deadline = Date().addingTimeInterval(configuration.limits.hangUpGrace + 10)
        while registry.count > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        spares?.close()
        // Let the last exit-status messages leave before the connections close.
        Thread.sleep(forTimeInterval: 0.1)
        sources.forEach { $0.cancel() }
        log.write("stopped")
    }

    /// The pipeline of one TCP connection.
    private static func setUp(
        _ connection: Channel, configuration: Configuration, settings: SessionSettings
    ) throws {
        let remote = Self.describe(connection.remoteAddress)
        let authenticator = VisitorAuthenticator(
            mode: configuration.mode, log: settings.log, remote: remote)
        var server = SSHServerConfiguration(
            hostKeys: [configuration.hostKey.sshKey], userAuthDelegate: authenticator,
            globalRequestDelegate: RefuseForwarding(log: settings.log, remote: remote))
        server.maxAuthAttempts = configuration.limits.maxAuthAttempts
        let address = connection.remoteAddress?.ipAddress ?? "unknown"
        let handler = NIOSSHHandler(
            role: .server(server), allocator: connection.allocator,
            inboundChildChannelInitializer: { channel, type in
                guard type == .session, let visitor = authenticator.visitor else {
                    settings.log.write("refused a \(Self.describe(type)) channel from \(remote)")
                    return channel.eventLoop.makeFailedFuture(RefusedChannel())
                }
                authenticator.sessionOpened = true
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConsoleSession(
                            settings: settings, visitor: visitor, remote: remote, address: address
                        ))
                }
            })
        try connection.pipeline.syncOperations.addHandler(handler)
        try connection.pipeline.syncOperations.addHandler(CloseOnError())

        // A connection that has not logged in and opened a session within the login timeout
        // is closed.
        let waiting = NIOLoopBound(authenticator, eventLoop: connection.eventLoop)
        let timeout = configuration.limits.loginTimeout
        let deadline = connection.eventLoop.scheduleTask(in: .seconds(Int64(timeout))) {
            guard waiting.value.visitor == nil || !waiting.value.sessionOpened else { return }
            settings.log.write("refused \(remote): no login and session within \(timeout) s")
            connection.close(promise: nil)
        }
        connection.closeFuture.whenComplete { _ in deadline.cancel() }
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else {
            return "unknown"
        }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    static func describe(_ type: SSHChannelType) -> String {
        switch type {
        case .session: "session"
        case .directTCPIP: "port forwarding (direct-tcpip)"
        case .forwardedTCPIP: "port forwarding (forwarded-tcpip)"
        }
    }
}

/// Why a channel other than a session is refused.
struct RefusedChannel: Error, CustomStringConvertible {
    var description: String { "decom serves only the console: port forwarding is refused" }
}

/// Refuses remote port forwarding (`ssh -R`), and says so in the log.
struct RefuseForwarding: GlobalRequestDelegate {
    let log: ServerLog
    let remote: String

    func tcpForwardingRequest(
        _ request: GlobalRequest.TCPForwardingRequest, handler: NIOSSHHandler,
        promise: EventLoopPromise<GlobalRequest.TCPForwardingResponse>
    ) {
        log.write("refused port forwarding (tcpip-forward) from \(remote)")
        promise.fail(RefusedChannel())
    }
}

/// Closes a connection on a protocol or I/O error instead of leaving it half alive.
final class CloseOnError: ChannelInboundHandler {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
