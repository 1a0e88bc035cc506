//! Which process a connection pool belongs to.
//!
//! A pre-fork server (gunicorn, uWSGI, Celery's prefork pool, `multiprocessing`) often makes
//! its client, or a first call, in the parent and then forks workers. Each child inherits the
//! parent's pooled sockets; if two processes read answers from one socket, each receives the
//! other's answers. So a pool is used only by the process that made it.
//!
//! A `pthread_atfork` child handler bumps a process generation; the backend compares the
//! generation it was built in with the current one before each request (one atomic load, no
//! system call), and a forked child builds a fresh agent, with its own pool and resolver cache,
//! instead of touching anything inherited. The inherited agent is never used again in the child:
//! its pool's sockets belong to the parent, and any lock inside it may have been held, at the
//! moment of the fork, by a thread that does not exist in the child.
//!
//! A child made with a raw `clone` system call, which runs no fork handlers, is not detected;
//! `fork()`, `os.fork()`, `multiprocessing` and `child_process` all go through libc's `fork`.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The current process generation: 0 in the process that first loaded the library, one more
/// after each fork in the child. Registers the fork handler on first use. Public for bindings
/// that keep their own per-process state (worker threads), at the cost of one atomic load
/// where `getpid` would be a system call.
pub fn generation() -> u64 {
    register();
    GENERATION.load(Ordering::Acquire)
}

#[cfg(unix)]
fn register() {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    REGISTER.call_once(|| {
        extern "C" fn in_child() {
            // Only async-signal-safe work is allowed here: one atomic add.
            GENERATION.fetch_add(1, Ordering::AcqRel);
        }
        // SAFETY: registers a handler that touches nothing but an atomic. A failure (ENOMEM)
        // leaves fork undetected; nothing else depends on the result.
        unsafe {
            libc::pthread_atfork(None, None, Some(in_child));
        }
    });
}

#[cfg(not(unix))]
fn register() {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_forked_child_sees_a_new_generation() {
        let before = generation();
        // SAFETY: the child only reads an atomic and leaves with `_exit`, touching no lock.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let code = if generation() == before + 1 { 0 } else { 1 };
            unsafe { libc::_exit(code) };
        }
        let mut status = 0;
        // SAFETY: waits for the child made above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child saw no new generation");
        assert_eq!(generation(), before, "the parent keeps its generation");
    }
}
