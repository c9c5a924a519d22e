//! Native objects by handle, for the plain-function entries (`brokerStep`, `tickBarsPush`): the
//! JavaScript side keeps a small integer instead of the object, and a call finds the object
//! without napi-rs unwrapping a class instance. One table per kind and thread (each JavaScript
//! thread has its own objects).

/// Objects of one kind by handle - 1; `None` once dropped (its slot is reused).
pub struct Handles<T> {
    slots: Vec<Option<*mut T>>,
}

impl<T> Handles<T> {
    pub const fn new() -> Self {
        Handles { slots: Vec::new() }
    }

    /// Registers an object at its final address (the box napi-rs keeps for the JS object) and
    /// returns its handle (>= 1).
    pub fn register(&mut self, object: *mut T) -> u32 {
        let slot = self.slots.iter().position(Option::is_none).unwrap_or_else(|| {
            self.slots.push(None);
            self.slots.len() - 1
        });
        self.slots[slot] = Some(object);
        slot as u32 + 1
    }

    /// Forgets an object (called when it is dropped).
    pub fn unregister(&mut self, handle: u32) {
        if let Some(slot) = self.slots.get_mut((handle as usize).wrapping_sub(1)) {
            *slot = None;
        }
    }

    /// The object of `handle`, if it is alive.
    pub fn get(&self, handle: u32) -> Option<*mut T> {
        self.slots.get((handle as usize).wrapping_sub(1)).copied().flatten()
    }
}
