import CNCursesW
import DecomConsole
import Glibc

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The console's terminal: draws a ``Canvas`` and reads keys through ncursesw.
///
/// Opening it sets a UTF-8 locale when it can, opens the terminal with `newterm` (falling back
/// from an unknown `TERM` to `xterm-256color`, then `vt100`), chooses the colour depth, and
/// arranges for the terminal to come back as it was on every way out: ``shutdown()``, a normal
/// `exit()`, and a crash signal. SIGTERM, SIGHUP and SIGINT only set a flag that
/// ``interruption`` reports; the main loop sees it within its key timeout and leaves.
/// With the mouse on, ncurses asks the terminal for clicks and the wheel (the terminfo entry's
/// `XM`, or xterm's mode 1000), and turns the reports into `KEY_MOUSE`.
///
/// ncurses is not thread-safe: call every method on the thread that called
/// ``open(environment:)``. Debug builds check it.
public final class CursesScreen: TerminalScreen {
    public let capabilities: TerminalCapabilities
    /// The terminfo entry in use: `TERM`, or the fallback chosen when terminfo did not know it.
    public let terminalType: String
    /// The attributes the terminal can show; a theme drawn without colour keeps to these.
    public let supportedAttributes: TextAttributes

    let window: UnsafeMutablePointer<WINDOW>
    var pairs: ColorPairs
    /// The canvas on screen now, to copy only what changed; nil forces a full repaint.
    var previous: Canvas?
    /// The screen size the previous canvas was drawn at.
    var drawnSize: (width: Int, height: Int) = (0, 0)
    var cursorVisible = false
    /// OSC 52 sequences to send after the next frame is on the screen.
    var pendingClipboard: [[UInt8]] = []

    private let screen: OpaquePointer
    private let owner: pthread_t
    private var isOpen = true
    private var receivedInterruption: TerminalInterruption?

    private init(
        screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, terminalType: String,
        capabilities: TerminalCapabilities, supportedAttributes: TextAttributes, pairs: ColorPairs
    ) {
        self.screen = screen
        self.supportedAttributes = supportedAttributes
        self.window = window
        self.terminalType = terminalType
        self.capabilities = capabilities
        self.pairs = pairs
        owner = pthread_self()
    }

    deinit { shutdown() }

    // MARK: - Opening

    /// Opens the terminal on standard input and output.
    ///
    /// - Throws: ``CursesScreenError/notATerminal`` when standard input or output is not a
    ///   terminal, ``CursesScreenError/unknownTerminal(tried:)`` when terminfo knows neither
    ///   `TERM` nor a fallback, ``CursesScreenError/cannotMoveCursor(terminal:)`` for a
    ///   terminal without cursor addressing (`dumb`), ``CursesScreenError/alreadyOpen`` when a
    ///   screen is open.
    public static func open(
        environment: [String: String] = ProcessInfo.processInfo.environment, mouse: Bool = false
    ) throws -> CursesScreen {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CursesScreenError.notATerminal
        }
        guard decom_terminal_is_active() == 0 else { throw CursesScreenError.alreadyOpen }

        let unicode = TerminalSetup.prepareLocale()
        guard decom_save_terminal(STDOUT_FILENO) == 0 else {
            throw CursesScreenError.system(call: "tcgetattr", errno: errno)
        }
        // Before newterm: ncurses installs its own SIGINT and SIGTERM handlers (which end the
        // process) only where it finds the default action.
        guard decom_install_signal_flags() == 0 else {
            let error = errno
            decom_restore_terminal()
            throw CursesScreenError.system(call: "sigaction", errno: error)
        }

        let candidates = TerminalSetup.terminalCandidates(environment: environment)
        var opened: (screen: OpaquePointer, type: String)?
        for type in candidates {
            if let screen = newterm(type, decom_stdout(), decom_stdin()) {
                opened = (screen, type)
                break
            }
        }
        guard let opened, let window = decom_stdscr() else {
            decom_restore_terminal()
            throw CursesScreenError.unknownTerminal(tried: candidates)
        }
        guard decom_can_address_cursor() != 0 else {
            decom_restore_terminal()
            delscreen(opened.screen)
            throw CursesScreenError.cannotMoveCursor(terminal: opened.type)
        }
        decom_register_exit_restore()
        decom_enter_running_state()

        raw()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        KeySequences.bindFallbacks()
        set_escdelay(25)
        curs_set(0)
        leaveok(window, true)
        // Insert and delete line let ncurses scroll rows instead of resending them over a slow
        // link. scrollok stays off: it would scroll the whole window when the bottom-right
        // cell is written.
        idlok(window, true)
        scrollok(window, false)
        if mouse {
            // No click resolution: a press is reported at once, not after a double-click's wait.
            mouseinterval(0)
            mousemask(decom_mouse_events(), nil)
        }

        // COLORS is known only after start_color, which NO_COLOR skips altogether.
        var colors = 0
        var hasDefaultColors = true
        if environment["NO_COLOR"] == nil, has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            colors = Int(decom_colors())
        }
        let depth = TerminalSetup.colorDepth(
            environment: environment, hasColors: colors > 0, colors: colors)
        // ncurses sends its set-up (doupdate flushes its buffer), then the probe; the answers
        // come back before it reads any key.
        doupdate()
        fflush(decom_stdout())
        let emoji =
            unicode
            ? EmojiProbe.measure(input: STDIN_FILENO, output: STDOUT_FILENO, timeout: 1000)
            : .unicode
        let pairs = ColorPairs(
            depth: depth, colorCount: colors, pairCount: Int(decom_color_pairs()),
            hasDefaultColors: hasDefaultColors)
        return CursesScreen(
            screen: opened.screen, window: window, terminalType: opened.type,
            capabilities: TerminalCapabilities(
                colorDepth: depth, unicode: unicode, emoji: emoji,
                clipboard: Clipboard.accepts(terminalType: opened.type, environment: environment)),
            supportedAttributes: TerminalSetup.supportedAttributes(terminal: term_attrs()),
            pairs: pairs)
    }

    // MARK: - TerminalScreen

    public var size: (width: Int, height: Int) {
        checkThread()
        guard isOpen else { return (0, 0) }
        return (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Copies the cells that differ from the previous canvas, then lets ncurses send only the
    /// differences. A canvas larger than the screen is clipped.
    public func draw(_ canvas: Canvas) {
        checkThread()
        guard isOpen else { return }
        paint(canvas)
        sendClipboard()
    }

    /// Queues the text for the terminal's clipboard; it goes out after the next frame.
    public func copyToClipboard(_ text: String) {
        checkThread()
        guard capabilities.clipboard, let sequence = Clipboard.sequence(for: text) else { return }
        pendingClipboard.append(sequence)
    }

    /// Writes the queued OSC 52 sequences once ncurses has sent the frame (`doupdate` in
    /// `paint`), through the same `FILE` ncurses writes to, so nothing interleaves. The
    /// sequence neither moves the cursor nor draws, so ncurses' idea of the screen stays true.
    private func sendClipboard() {
        guard !pendingClipboard.isEmpty else { return }
        let output = decom_stdout()
        fflush(output)
        for sequence in pendingClipboard {
            _ = sequence.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, output) }
        }
        fflush(output)
        pendingClipboard = []
    }

    /// Waits up to the timeout for a key (a negative timeout waits for ever). Codes that are
    /// not a ``Key`` give nil, as does a signal arriving while waiting.
    ///
    /// A terminal that is gone (end of file, hang-up, an I/O error: its window closed while
    /// SIGHUP did not reach decom) makes `wget_wch` return at once, every time; that is
    /// reported as SIGHUP through ``interruption`` rather than read again in a loop.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        checkThread()
        guard isOpen, receivedInterruption == nil else { return nil }
        wtimeout(window, Int32(clamping: timeoutMilliseconds))
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case KEY_CODE_YES where Int32(bitPattern: code) == KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            return KeyDecoder.mouse(
                button: decom_mouse_button(event.bstate), x: event.x, y: event.y)
        case KEY_CODE_YES: return KeyDecoder.key(function: Int32(bitPattern: code))
        case OK: return KeyDecoder.key(character: code)
        default:
            if decom_input_is_gone(STDIN_FILENO) != 0 {
                receivedInterruption = TerminalInterruption(signal: SIGHUP)
            }
            return nil
        }
    }

    /// The first signal that asked the console to leave since the screen opened, or SIGHUP
    /// when the terminal went away.
    public var interruption: TerminalInterruption? {
        if receivedInterruption == nil {
            let signal = decom_take_signal()
            if signal != 0 { receivedInterruption = TerminalInterruption(signal: signal) }
        }
        return receivedInterruption
    }

    /// Whether Ctrl-Z can stop decom and give the terminal back to a shell: only when a shell
    /// with job control started it, that is when its parent is in the same session but another
    /// process group. Otherwise the kernel discards the stop (POSIX: a stop signal to an
    /// orphaned process group), as for a console that tmux, `setsid` or `decom serve-ssh` runs
    /// as a session leader.
    public var canSuspend: Bool {
        let parent = getppid()
        return getsid(parent) == getsid(0) && getpgid(parent) != getpgrp()
    }

    /// Gives the terminal back to the shell as it was (`endwin`: the main screen, the shell's
    /// modes, the mouse off) and stops decom with SIGTSTP; when `fg` resumes it, the next
    /// ``draw(_:)`` paints the whole frame again, since the shell drew over the screen.
    public func suspend() {
        checkThread()
        guard isOpen else { return }
        endwin()
        fflush(decom_stdout())
        decom_stop_self()
        previous = nil
        drawnSize = (0, 0)
    }

    /// Ends curses (leaving the alternate screen, showing the cursor), puts back the terminal
    /// modes saved at open and the signal actions found then. Later calls do nothing.
    public func shutdown() {
        guard isOpen else { return }
        checkThread()
        isOpen = false
        decom_restore_terminal()
        delscreen(screen)
    }

    private func checkThread() {
        assert(pthread_equal(owner, pthread_self()) != 0, "CursesScreen used off its thread")
    }
}
