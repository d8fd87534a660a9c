#ifndef DECOM_CNCURSESW_SHIM_H
#define DECOM_CNCURSESW_SHIM_H

/* SwiftPM drops the flags of `pkg-config ncursesw`: without these two, get_wch, cchar_t and
   setcchar are not declared. */
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncurses.h>

/* ---- Macros and globals that Swift cannot see or that trip Swift 6's concurrency checks ---- */

static inline WINDOW *decom_stdscr(void) { return stdscr; }
static inline FILE *decom_stdin(void) { return stdin; }
static inline FILE *decom_stdout(void) { return stdout; }
static inline int decom_colors(void) { return COLORS; }
static inline int decom_color_pairs(void) { return COLOR_PAIRS; }
static inline int decom_key_f0(void) { return KEY_F0; }
static inline int decom_wcwidth(wchar_t c) { return wcwidth(c); }

/* A cell holding a whole grapheme cluster: `count` code points (at most CCHARW_MAX) after the
   first, as the terminal should receive them. setcchar keeps only a spacing character and the
   zero-width ones after it, and would drop the 💻 of 👩‍💻; ncurses sizes a cell by its first
   code point and writes every code point the cell holds. Pairs above 255 go through `opts`.
   Returns OK or ERR. */
static inline int decom_cluster_cell(cchar_t *cell, const wchar_t *chars, int count,
                                     attr_t attrs, int pair) {
    if (count < 1 || count > CCHARW_MAX) return ERR;
    wchar_t first[2] = {chars[0], 0};
    int result = pair > 255 ? setcchar(cell, first, attrs, 0, &pair)
                            : setcchar(cell, first, attrs, (short)pair, NULL);
    if (result != OK) return result;
    for (int i = 1; i < count; i++) cell->chars[i] = chars[i];
    return OK;
}

/* ---- The mouse ---- */

/* The events decom asks ncurses for: the left button's press and the wheel (buttons 4 and 5,
   which terminals report as presses). */
static inline mmask_t decom_mouse_events(void) {
    return BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}

/* What a mouse event's state was: 1 the left button pressed, 4 the wheel up, 5 the wheel
   down, 0 anything else. */
static inline int decom_mouse_button(mmask_t state) {
    if (state & BUTTON1_PRESSED) return 1;
    if (state & BUTTON4_PRESSED) return 4;
    if (state & BUTTON5_PRESSED) return 5;
    return 0;
}

/* Stops the process as Ctrl-Z would in cooked mode: SIGTSTP with its default action (ncurses
   may have put its own handler there), then the previous action back once SIGCONT resumed
   the process. The caller has ended curses first. */
static inline void decom_stop_self(void) {
    struct sigaction stop, previous;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    if (sigaction(SIGTSTP, &stop, &previous) != 0) return;
    sigset_t tstp, blocked;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, &blocked);
    raise(SIGTSTP);
    sigprocmask(SIG_SETMASK, &blocked, NULL);
    sigaction(SIGTSTP, &previous, NULL);
}

/* Puts a new screen in ncurses' running state, so that a frame goes out in buffer-sized
   writes. Until a screen has been through endwin and back, ncurses 6.4 takes each cursor
   movement for a terminfo-level caller's and flushes its output after it (lib_mvcur.c,
   `_endwin == ewInitial`): a first frame at 120x40 was about 150 write(2) calls, each a
   wake-up of the terminal (a packet over SSH). One endwin and doupdate, before anything is
   drawn, is the suspend and resume the console already does after Ctrl-Z. endwin sets
   SIGTSTP to SIG_IGN (lib_tstp.c); its action is put back. */
static inline void decom_enter_running_state(void) {
    struct sigaction tstp;
    int saved = sigaction(SIGTSTP, NULL, &tstp);
    endwin();
    doupdate();
    if (saved == 0) sigaction(SIGTSTP, &tstp, NULL);
}

/* Whether the current terminal can move the cursor (terminfo `cup`): `dumb` cannot. */
static inline int decom_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/* The attributes for decom's TextAttributes bits: 1 bold, 2 dim, 4 italic, 8 underline,
   16 reverse. */
static inline attr_t decom_attributes(unsigned bits) {
    attr_t a = A_NORMAL;
    if (bits & 1u) a |= A_BOLD;
    if (bits & 2u) a |= A_DIM;
    if (bits & 4u) a |= A_ITALIC;
    if (bits & 8u) a |= A_UNDERLINE;
    if (bits & 16u) a |= A_REVERSE;
    return a;
}

/* ---- Signals and restoring the terminal ----

   Swift emits a copy of a `static inline` function into every object file that calls it, so a
   `static` variable here would exist once per Swift file. The state the handlers share lives
   in weak globals instead, which the linker merges into one. Each has an initializer: without
   one, Swift's build emits only a weak reference, whose address is null. Swift code never
   touches them. */

__attribute__((weak)) volatile sig_atomic_t decom_pending_signal = 0;
__attribute__((weak)) volatile sig_atomic_t decom_terminal_active = 0;
__attribute__((weak)) int decom_exit_hook_registered = 0;
__attribute__((weak)) int decom_terminal_fd = -1;
__attribute__((weak)) struct termios decom_saved_termios = {0};
__attribute__((weak)) char decom_crash_stack[65536] = {0};

#define DECOM_FLAG_SIGNAL_COUNT 15
#define DECOM_CRASH_SIGNAL_COUNT 7
__attribute__((weak)) struct sigaction decom_previous_flag_actions[DECOM_FLAG_SIGNAL_COUNT] = {{{0}}};
__attribute__((weak)) struct sigaction decom_previous_crash_actions[DECOM_CRASH_SIGNAL_COUNT] = {{{0}}};
/* Whether a crash signal goes on to Swift's backtracer once the terminal is restored: only
   when SWIFT_BACKTRACE turned its interactive mode off (read at open). */
__attribute__((weak)) int decom_chain_crash = 0;

/* Every signal whose default action ends the process, except the crash signals below,
   SIGKILL and SIGSTOP (which cannot be caught) and the real-time signals (glibc's threads use
   some): each ends the console through its main loop, which restores the terminal, lets the
   work under way finish and exits 128 + the signal. SIGQUIT is among them: Swift's
   backtracer catches it by default and would open its interactive mode over the console. */
static inline int decom_flag_signal(int i) {
    static const int signals[DECOM_FLAG_SIGNAL_COUNT] = {
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
        SIGPROF, SIGXCPU, SIGXFSZ, SIGPWR, SIGPIPE, SIGIO, SIGSTKFLT};
    return signals[i];
}

/* The signals of a fault, which cannot wait for the main loop. */
static inline int decom_crash_signal(int i) {
    static const int signals[DECOM_CRASH_SIGNAL_COUNT] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE,
                                                          SIGABRT, SIGTRAP, SIGSYS};
    return signals[i];
}

/* The flag signals: only remember the first signal; the main loop reads it. */
static inline void decom_flag_handler(int sig) {
    if (decom_pending_signal == 0) decom_pending_signal = sig;
}

/* Installs the flag handler for the flag signals, keeping the previous actions for
   decom_restore_terminal. No SA_RESTART: a blocking read wakes up so the loop sees the flag.
   Returns 0, or -1 with errno set. */
static inline int decom_install_signal_flags(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = decom_flag_handler;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < DECOM_FLAG_SIGNAL_COUNT; i++) {
        if (sigaction(decom_flag_signal(i), &action, &decom_previous_flag_actions[i]) != 0)
            return -1;
    }
    return 0;
}

/* The signal number that arrived since the last call (0 when none), and clears it. */
static inline int decom_take_signal(void) {
    int sig = decom_pending_signal;
    decom_pending_signal = 0;
    return sig;
}

/* Crash signals: only async-signal-safe calls. Leaves the alternate screen, shows the cursor,
   resets attributes, puts the saved termios back, then dies of the signal: with its default
   action, or, when SWIFT_BACKTRACE turned the backtracer's interactive mode off, through the
   backtracer's handler found at open, which writes its report on the restored terminal. */
static inline void decom_crash_handler(int sig) {
    static const char reset[] = "\033[?1000l\033[?1006l\033[?1049l\033[?25h\033[0m";
    if (decom_terminal_active && decom_terminal_fd >= 0) {
        ssize_t written = write(decom_terminal_fd, reset, sizeof reset - 1);
        (void)written;
        tcsetattr(decom_terminal_fd, TCSANOW, &decom_saved_termios);
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    for (int i = 0; decom_chain_crash && i < DECOM_CRASH_SIGNAL_COUNT; i++) {
        if (decom_crash_signal(i) == sig) fallback = decom_previous_crash_actions[i];
    }
    sigaction(sig, &fallback, NULL);
    raise(sig);
}

/* Whether the terminal on `fd` is gone: hung up, in error, or at end of file (readable with
   nothing to read). Does not wait. */
static inline int decom_input_is_gone(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, 0);
    if (ready < 0) return 0;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return 1;
    if (p.revents & POLLIN) {
        int available = 0;
        if (ioctl(fd, FIONREAD, &available) != 0) return 1;
        return available == 0;
    }
    return 0;
}

/* Saves the termios of `fd` (before curses changes it) and installs the crash handlers, on an
   alternate stack when the thread has none so a stack overflow still restores the terminal.
   Returns 0, or -1 with errno set. */
static inline int decom_save_terminal(int fd) {
    if (tcgetattr(fd, &decom_saved_termios) != 0) return -1;
    decom_terminal_fd = fd;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
        stack_t stack;
        memset(&stack, 0, sizeof stack);
        stack.ss_sp = decom_crash_stack;
        stack.ss_size = sizeof decom_crash_stack;
        sigaltstack(&stack, NULL);
    }
    const char *backtrace = getenv("SWIFT_BACKTRACE");
    decom_chain_crash = backtrace != NULL && strstr(backtrace, "interactive=no") != NULL;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = decom_crash_handler;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < DECOM_CRASH_SIGNAL_COUNT; i++) {
        if (sigaction(decom_crash_signal(i), &action, &decom_previous_crash_actions[i]) != 0)
            return -1;
    }
    decom_terminal_active = 1;
    return 0;
}

/* Ends curses and puts back the saved termios and the signal actions found at open. Runs once
   (later calls do nothing), from CursesScreen.shutdown or at exit. */
static inline void decom_restore_terminal(void) {
    if (!decom_terminal_active) return;
    decom_terminal_active = 0;
    if (!isendwin()) {
        /* Without an alternate screen (vt100, a Linux console) the last frame, device names
           and all, would stay under the shell's prompt: it is cleared first. */
        char *leave = tigetstr("rmcup");
        if (leave == NULL || leave == (char *)-1 || *leave == '\0') {
            erase();
            refresh();
        }
        curs_set(1);
        endwin();
    }
    tcsetattr(decom_terminal_fd, TCSANOW, &decom_saved_termios);
    for (int i = 0; i < DECOM_FLAG_SIGNAL_COUNT; i++)
        sigaction(decom_flag_signal(i), &decom_previous_flag_actions[i], NULL);
    for (int i = 0; i < DECOM_CRASH_SIGNAL_COUNT; i++)
        sigaction(decom_crash_signal(i), &decom_previous_crash_actions[i], NULL);
}

static inline void decom_exit_hook(void) { decom_restore_terminal(); }

/* Makes a normal exit() restore the terminal when nobody called shutdown. Registers once. */
static inline void decom_register_exit_restore(void) {
    if (decom_exit_hook_registered) return;
    decom_exit_hook_registered = 1;
    atexit(decom_exit_hook);
}

/* Whether a terminal is open (saved and not yet restored). */
static inline int decom_terminal_is_active(void) { return decom_terminal_active; }

#endif
