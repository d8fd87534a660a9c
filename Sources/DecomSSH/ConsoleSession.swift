import CPTY
import DecomCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// What every session of one server shares.
struct SessionSettings: Sendable {
    var mode: ServerMode
    /// The `decom` binary the children run.
    var executable: String
    /// Where session folders are made (the server's TMPDIR).
    var folderBase: String
    var registry: SessionRegistry
    var threadPool: NIOThreadPool
    var log: ServerLog
    /// Demo fleets made ahead (demo mode), or nil.
    var spares: SpareFleets?
}

/// One SSH session channel: answers its requests, starts the console on a pty at `shell`,
/// relays bytes both ways, and ends the session when either side ends.
///
/// Requests: `pty-req` (TERM and size), `env` (``SessionEnvironment``), `window-change`
/// (kept until the console starts, then TIOCSWINSZ), `shell`. Refused with one line saying
/// why: `exec`, `subsystem` (sftp), and `shell` without a pty (`ssh -T`, exit status 1).
/// Every request that wants a reply gets one. When the console exits, its status goes out as
/// `exit-status` and the channel closes; when the visitor goes away, the console gets SIGHUP,
/// then SIGKILL after a grace period. Everything here runs on the channel's event loop; the
/// folder and the spawn run on the thread pool, the reaping on a thread of the child's own.
final class ConsoleSession: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private struct Terminal {
        var term: String
        var columns: Int
        var rows: Int
    }

    private enum Phase {
        case waiting, starting, running, ended
    }

    private let settings: SessionSettings
    private let visitor: Visitor
    private let remote: String
    /// The remote IP address, for the per-address limit.
    private let address: String
    private var channel: Channel?
    private var terminal: Terminal?
    private var environment: [String: String] = [:]
    private var phase = Phase.waiting
    private var child: ConsoleChild?
    private var relay: Channel?
    private var appliedSize: (rows: Int, columns: Int)?
    private var exitStatus: Int32?
    private var outputEnded = false
    private var channelActive = true
    private var exitSent = false

    private var lastKeystroke = NIODeadline.now()
    private var startedAt = NIODeadline.now()
    private var limitCheck: RepeatedTask?
    /// Why the server ended the session (a limit), told to the visitor after the console.
    private var endReason: String?

    init(settings: SessionSettings, visitor: Visitor, remote: String, address: String) {
        self.settings = settings
        self.visitor = visitor
        self.remote = remote
        self.address = address
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        // A client's EOF (stdin closed) does not end a console session.
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .whenFailure { _ in }
    }

    func channelInactive(context: ChannelHandlerContext) {
        channelActive = false
        limitCheck?.cancel()
        if let child, exitStatus == nil {
            child.hangUp(grace: settings.registry.limits.hangUpGrace)
        }
        relay?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard message.type == .channel, case .byteBuffer(let bytes) = message.data, let relay
        else { return }
        lastKeystroke = .now()
        relay.writeAndFlush(bytes, promise: nil)
    }

    /// While the visitor's channel cannot take more, the pty is not read: a slow visitor
    /// cannot grow the server's memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        relay?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable)
            .whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            guard phase == .waiting, terminal == nil else {
                return reply(context, request.wantReply, false)
            }
            terminal = Terminal(
                term: SessionEnvironment.terminal(fromRequest: request.term),
                columns: request.terminalCharacterWidth, rows: request.terminalRowHeight)
            reply(context, request.wantReply, true)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            let accepted =
                phase == .waiting
                && SessionEnvironment.accepts(name: request.name, value: request.value)
                && (environment.count < SessionEnvironment.maximumCount
                    || environment[request.name] != nil)
            if accepted { environment[request.name] = request.value }
            reply(context, request.wantReply, accepted)
        case let request as SSHChannelRequestEvent.WindowChangeRequest:
            terminal?.columns = request.terminalCharacterWidth
            terminal?.rows = request.terminalRowHeight
            applySize()
        case let request as SSHChannelRequestEvent.ShellRequest:
            shell(context, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.ExecRequest:
            refuse(
                context, wantReply: request.wantReply,
                "this server runs only the console, not commands: connect with ssh -t and no command"
            )
        case let request as SSHChannelRequestEvent.SubsystemRequest:
            refuse(
                context, wantReply: request.wantReply,
                "this server runs only the console: subsystems such as sftp are refused")
        case let event as ChannelEvent where event == .inputClosed:
            break
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Requests

    private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, _ success: Bool) {
        guard wantReply else { return }
        if success {
            context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    private func write(
        _ context: ChannelHandlerContext, line: String, type: SSHChannelData.DataType
    ) {
        let buffer = context.channel.allocator.buffer(string: "decom: " + line + "\r\n")
        context.writeAndFlush(
            wrapOutboundOut(SSHChannelData(type: type, data: .byteBuffer(buffer))), promise: nil)
    }

    /// A request this server does not serve (`exec`, `subsystem`). OpenSSH's client drops
    /// what arrives with a failure reply, so the request is answered, nothing runs, one line
    /// on stderr says why, and the exit status is 1.
    private func refuse(_ context: ChannelHandlerContext, wantReply: Bool, _ why: String) {
        guard phase == .waiting else { return reply(context, wantReply, false) }
        phase = .ended
        reply(context, wantReply, true)
        turnAway(context, why, type: .stdErr)
    }

    /// A `shell` accepted but not run: one line, then exit status 1.
    private func turnAway(
        _ context: ChannelHandlerContext, _ why: String, type: SSHChannelData.DataType
    ) {
        settings.log.write("refused \(remote) user=\(visitor.login): \(why)")
        write(context, line: why, type: type)
        exitSent = true
        context.triggerUserOutboundEvent(
            SSHChannelRequestEvent.ExitStatus(exitStatus: 1), promise: nil)
        context.close(promise: nil)
    }

    private func shell(_ context: ChannelHandlerContext, wantReply: Bool) {
        guard phase == .waiting else { return reply(context, wantReply, false) }
        guard let terminal else {
            reply(context, wantReply, true)
            phase = .ended
            return turnAway(
                context, "the console needs a terminal: connect with ssh -t (not -T)", type: .stdErr
            )
        }
        let limits = settings.registry.limits
        switch settings.registry.reserve(address: address) {
        case .full:
            reply(context, wantReply, true)
            phase = .ended
            return turnAway(
                context,
                "the server already has its \(limits.maxSessions) sessions; try again later",
                type: .channel)
        case .addressFull:
            reply(context, wantReply, true)
            phase = .ended
            return turnAway(
                context,
                "your address already has its \(limits.maxSessionsPerAddress) sessions; try again later",
                type: .channel)
        case .closing:
            reply(context, wantReply, true)
            phase = .ended
            return turnAway(context, "the server is shutting down", type: .channel)
        case .granted:
            break
        }
        reply(context, wantReply, true)
        phase = .starting
        start(context, terminal: terminal)
    }

    // MARK: - The console

    private func start(_ context: ChannelHandlerContext, terminal: Terminal) {
        let (arguments, modeText) = childArguments()
        let settings = settings
        let environment = environment
        let address = address
        let started = Date()
        let this = NIOLoopBound(self, eventLoop: context.eventLoop)
        let describe =
            "\(remote) user=\(visitor.user) role=\(visitor.role.rawValue) mode=\(modeText)"
        let role = visitor.role.rawValue
        let user = visitor.user
        settings.threadPool.runIfActive(eventLoop: context.eventLoop) {
            () throws -> (ConsoleChild, SessionFolder) in
            // A demo fleet made ahead, when one is ready: the console opens it as it is.
            var arguments = arguments
            let folder: SessionFolder
            if let spare = settings.spares?.take() {
                folder = try spare.folder.renamedForSession(base: settings.folderBase)
                arguments = [
                    "console", "--db", folder.sub("tmp") + "/" + spare.fileName, "--role", role,
                    "--user", user, "--confined",
                ]
            } else {
                folder = try SessionFolder.create(base: settings.folderBase)
            }
            do {
                let child = try ConsoleChild.spawn(
                    executable: settings.executable, arguments: arguments,
                    environment: Self.childEnvironment(
                        term: terminal.term, folder: folder, requested: environment),
                    workingDirectory: folder.sub("home"), rows: terminal.rows,
                    columns: terminal.columns)
                return (child, folder)
            } catch {
                folder.remove()
                throw error
            }
        }.whenComplete { result in
            switch result {
            case .success((let child, let folder)):
                settings.log.write("session \(folder.id) start \(describe)")
                settings.registry.started(child)
                let loop = this.eventLoop
                child.whenEnded { status in
                    folder.remove()
                    let seconds = Date().timeIntervalSince(started)
                    settings.log.write(
                        "session \(folder.id) end \(describe) duration="
                            + String(format: "%.1fs", seconds) + " exit=\(status)")
                    loop.execute { this.value.childEnded(status: status) }
                    settings.registry.release(child.pid, address: address)
                }
                this.value.childStarted(child)
            case .failure(let error):
                settings.registry.release(nil, address: address)
                settings.log.write("cannot start a console for \(describe): \(error)")
                this.value.failedToStart()
            }
        }
    }

    private func childArguments() -> ([String], String) {
        switch settings.mode {
        case .demo(let devices):
            let seed = UInt64.random(in: 1...UInt64(UInt32.max))
            return (
                [
                    "demo", "--devices", String(devices), "--seed", String(seed), "--role",
                    visitor.role.rawValue, "--user", visitor.user, "--confined",
                ], "demo"
            )
        case .fleet(let database, _):
            return (
                [
                    "console", "--db", database, "--role", visitor.role.rawValue, "--user",
                    visitor.user, "--confined",
                ], "fleet"
            )
        }
    }

    /// The console's whole environment: TERM from the pty-req, the accepted env requests,
    /// and HOME, XDG folders and TMPDIR inside the session's own folder, so it reads no config
    /// file of the server's user.
    static func childEnvironment(term: String, folder: SessionFolder, requested: [String: String])
        -> [String: String]
    {
        var env = requested.filter { SessionEnvironment.accepts(name: $0.key, value: $0.value) }
        env["TERM"] = term
        env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
        env["HOME"] = folder.sub("home")
        env["XDG_CONFIG_HOME"] = folder.sub("config")
        env["XDG_DATA_HOME"] = folder.sub("data")
        env["XDG_STATE_HOME"] = folder.sub("state")
        env["XDG_CACHE_HOME"] = folder.sub("cache")
        env["TMPDIR"] = folder.sub("tmp")
        return env
    }

    private func childStarted(_ child: ConsoleChild) {
        self.child = child
        phase = .running
        guard channelActive, let channel else {
            child.hangUp(grace: settings.registry.limits.hangUpGrace)
            close(child.master)
            outputEnded = true
            return
        }
        appliedSize = nil
        applySize()
        startLimitCheck(channel)
        let this = NIOLoopBound(self, eventLoop: channel.eventLoop)
        NIOPipeBootstrap(group: channel.eventLoop)
            .channelInitializer { relay in
                relay.eventLoop.makeCompletedFuture {
                    try relay.pipeline.syncOperations.addHandler(
                        PTYRelay(session: this, visitorChannel: channel))
                }
            }
            .takingOwnershipOfDescriptor(inputOutput: child.master)
            .whenComplete { result in
                switch result {
                case .success(let relay):
                    this.value.relayOpened(relay)
                case .failure:
                    this.value.relayEnded()
                    child.hangUp(grace: 0.5)
                }
            }
    }

    /// Once a second: a visitor idle past the idle timeout, or a session past its maximum
    /// length, is hung up, and told why once the console has ended.
    private func startLimitCheck(_ channel: Channel) {
        startedAt = .now()
        lastKeystroke = .now()
        let limits = settings.registry.limits
        let this = NIOLoopBound(self, eventLoop: channel.eventLoop)
        limitCheck = channel.eventLoop.scheduleRepeatedTask(
            initialDelay: .seconds(1), delay: .seconds(1)
        ) { task in
            let session = this.value
            guard session.exitStatus == nil, session.endReason == nil, let child = session.child
            else { return task.cancel() }
            let now = NIODeadline.now()
            if now - session.lastKeystroke >= .seconds(Int64(limits.idleTimeout)) {
                session.endReason =
                    "the session was closed after \(limits.idleTimeout) s without a keystroke"
            } else if now - session.startedAt >= .seconds(Int64(limits.maxSessionLength)) {
                session.endReason =
                    "the session was closed at its maximum length of \(limits.maxSessionLength) s"
            }
            guard let reason = session.endReason else { return }
            session.settings.log.write("closing a session of \(session.remote): \(reason)")
            child.hangUp(grace: limits.hangUpGrace)
            task.cancel()
        }
    }

    private func failedToStart() {
        phase = .ended
        exitStatus = 1
        guard channelActive, let channel else { return }
        let buffer = channel.allocator.buffer(string: "decom: the console could not start\r\n")
        channel.writeAndFlush(
            SSHChannelData(type: .stdErr, data: .byteBuffer(buffer)), promise: nil)
        outputEnded = true
        finish()
    }

    private func relayOpened(_ relay: Channel) {
        self.relay = relay
        if !channelActive { relay.close(promise: nil) }
    }

    /// The console's output has ended (EIO on the pty master once the child closed it).
    func relayEnded() {
        outputEnded = true
        relay = nil
        if exitStatus != nil { finish() }
    }

    private func childEnded(status: Int32) {
        exitStatus = status
        phase = .ended
        if outputEnded {
            finish()
        } else if let channel {
            // Give the pty a moment to deliver the console's last output, then stop waiting.
            let this = NIOLoopBound(self, eventLoop: channel.eventLoop)
            channel.eventLoop.scheduleTask(in: .seconds(1)) {
                this.value.relay?.close(promise: nil)
                this.value.finish()
            }
        }
    }

    /// Sends the console's exit status and closes the channel: `ssh` exits with it.
    private func finish() {
        guard !exitSent, channelActive, let channel, let exitStatus else { return }
        exitSent = true
        limitCheck?.cancel()
        if let endReason {
            let line = channel.allocator.buffer(string: "decom: " + endReason + "\r\n")
            channel.writeAndFlush(
                SSHChannelData(type: .stdErr, data: .byteBuffer(line)), promise: nil)
        }
        channel.triggerUserOutboundEvent(
            SSHChannelRequestEvent.ExitStatus(exitStatus: Int(exitStatus)), promise: nil)
        channel.close(promise: nil)
    }

    /// Applies the visitor's window size to the pty once the console runs (TIOCSWINSZ: the
    /// console gets SIGWINCH); a size that arrives earlier is kept until then.
    private func applySize() {
        guard phase == .running, !outputEnded, let terminal, let child else { return }
        if let appliedSize, appliedSize.rows == terminal.rows,
            appliedSize.columns == terminal.columns
        {
            return
        }
        _ = decom_pty_set_size(
            child.master, ConsoleChild.clamp(terminal.rows), ConsoleChild.clamp(terminal.columns))
        appliedSize = (terminal.rows, terminal.columns)
    }
}

/// The pty master's side of the relay: the console's output goes to the visitor's channel.
final class PTYRelay: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let session: NIOLoopBound<ConsoleSession>
    private let visitorChannel: Channel

    init(session: NIOLoopBound<ConsoleSession>, visitorChannel: Channel) {
        self.session = session
        self.visitorChannel = visitorChannel
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        visitorChannel.write(SSHChannelData(type: .channel, data: .byteBuffer(bytes)), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        visitorChannel.flush()
    }

    /// EIO once the console has closed its terminal: the end of its output, not an error.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        visitorChannel.flush()
        session.value.relayEnded()
    }

    /// While the console does not take the visitor's input, the visitor's channel is not
    /// read (SSH's window then stops the client): pasted megabytes wait on the client.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        visitorChannel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable)
            .whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }
}
