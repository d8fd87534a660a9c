#ifndef DECOM_CPTY_H
#define DECOM_CPTY_H

/* Pseudo-terminals and child processes for `decom serve-ssh`, in C because Swift cannot name
   the ioctls and posix_spawn's flags portably. No fork(): the server has threads. */

#include <sys/types.h>

/* Opens a new pseudo-terminal master (close-on-exec, not our controlling terminal) and writes
   its slave's path into `slave_path`. Returns the master descriptor, or -1 with errno set. */
int decom_pty_open(char *slave_path, size_t slave_path_size);

/* Sets the window size of the pseudo-terminal behind `fd` (TIOCSWINSZ). The kernel sends
   SIGWINCH to the foreground process group of the slave. Returns 0, or -1 with errno set. */
int decom_pty_set_size(int fd, unsigned short rows, unsigned short columns);

/* Starts `path` with `argv` and `envp` as the leader of a new session whose controlling
   terminal is the pty slave at `slave_path`, opened by path as a file action after setsid
   (POSIX_SPAWN_SETSID). Its standard input, output and error are that terminal; every other
   descriptor is closed; no signal is blocked or ignored. Returns 0 and the child's pid, or an
   errno value. With "/dev/null" as `slave_path` the child has no terminal at all. */
int decom_spawn_on_pty(const char *path, char *const argv[], char *const envp[],
                       const char *slave_path, const char *working_directory, pid_t *pid);

/* Waits until the child `pid` has ended without reaping it (waitid with WNOWAIT), so that its
   pid cannot be reused until decom_reap. Returns 0, or -1 with errno set. */
int decom_wait_exit(pid_t pid);

/* Reaps the ended child `pid` and returns its status as a shell reports it: the exit code, or
   128 + the signal that ended it. Returns -1 with errno set if it cannot. */
int decom_reap(pid_t pid);

#endif
