//! Freeing big values off the critical path. A policy evaluation leaves behind an engine
//! holding every rule's computed value, and a plan's input is a tree of millions of small
//! allocations; freeing them one by one costs about a tenth of a `check` on a large plan. They
//! are handed to one background thread instead, which frees them while the work goes on (and,
//! at exit, not at all: the process ends first).

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

/// Something to free.
type Garbage = Box<dyn Send>;

static BIN: OnceLock<Mutex<Sender<Garbage>>> = OnceLock::new();

/// Frees `value` on the background thread (or here, if that thread cannot be started).
pub fn later<T: Send + 'static>(value: T) {
    let bin = BIN.get_or_init(|| {
        let (send, receive) = channel::<Garbage>();
        // If the thread cannot start, the receiver goes with it: sending then fails, and the
        // value is freed here.
        let _ = std::thread::Builder::new()
            .name("countersign-free".into())
            .spawn(move || receive.into_iter().for_each(drop));
        Mutex::new(send)
    });
    let garbage: Garbage = Box::new(value);
    let unsent = match bin.lock() {
        Ok(send) => send.send(garbage).err().map(|e| e.0),
        Err(_) => Some(garbage),
    };
    drop(unsent);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn values_handed_over_are_freed() {
        let value = Arc::new(vec![1u8; 1024]);
        super::later(Arc::clone(&value));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Arc::strong_count(&value) > 1 {
            assert!(
                Instant::now() < deadline,
                "the background thread never freed it"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
