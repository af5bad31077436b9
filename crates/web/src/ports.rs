//! Ports: how two modules that need each other meet without a cycle in the crate graph.
//!
//! The lower module (the one the other depends on) defines a trait for what it needs from
//! above — a source of measurements for its indicators, a provider of newsletter blocks, of
//! search documents — and reads the implementations from [`Ports`]. The higher module depends on
//! the lower one, implements the trait and hands its implementation over at start-up in
//! [`crate::Module::provide_ports`]. The lower crate never names the higher one.
//!
//! ```text
//! // crates/plan (lower): the port
//! pub trait MeasurementSource: Send + Sync { … }
//! let sources = state.ports().all::<dyn MeasurementSource>();
//!
//! // crates/werkgroepen (higher): the implementation
//! fn provide_ports(&self, ports: &mut Ports) {
//!     ports.provide::<dyn steden_plan::ports::MeasurementSource>(Arc::new(MeetingsHeld));
//! }
//! ```
//!
//! Ports hold behaviour, not data: an implementation reads what it needs from the database when
//! it is called, so every server behind a load balancer answers the same.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

/// The implementations of every port, by the port's trait object type. Built once at start-up
/// from the modules of this build, then shared read-only.
/// ([`Ports::collect`] is defined in `app`, with the rest of the start-up assembly.)
#[derive(Default)]
pub struct Ports {
    /// `TypeId::of::<P>()` → `Vec<Arc<P>>`, boxed.
    by_port: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ports")
            .field("ports", &self.by_port.len())
            .finish()
    }
}

impl Ports {
    /// Adds an implementation of the port `P` (a trait object type such as
    /// `dyn MeasurementSource`).
    pub fn provide<P: ?Sized + Send + Sync + 'static>(&mut self, implementation: Arc<P>) {
        self.by_port
            .entry(TypeId::of::<P>())
            .or_insert_with(|| Box::new(Vec::<Arc<P>>::new()))
            .downcast_mut::<Vec<Arc<P>>>()
            .expect("the entry of a port's TypeId always holds that port's Vec")
            .push(implementation);
    }

    /// The implementations of the port `P`, in the order the modules provided them; empty when
    /// no module of this build provides one.
    pub fn all<P: ?Sized + Send + Sync + 'static>(&self) -> &[Arc<P>] {
        self.by_port
            .get(&TypeId::of::<P>())
            .and_then(|entry| entry.downcast_ref::<Vec<Arc<P>>>())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Greeter: Send + Sync {
        fn greet(&self) -> String;
    }
    trait Counter: Send + Sync {}
    struct Dutch;
    impl Greeter for Dutch {
        fn greet(&self) -> String {
            "dag".into()
        }
    }
    struct English;
    impl Greeter for English {
        fn greet(&self) -> String {
            "hello".into()
        }
    }

    #[test]
    fn implementations_are_kept_per_port_in_order() {
        let mut ports = Ports::default();
        assert!(ports.all::<dyn Greeter>().is_empty());
        ports.provide::<dyn Greeter>(Arc::new(Dutch));
        ports.provide::<dyn Greeter>(Arc::new(English));
        let greetings: Vec<String> = ports
            .all::<dyn Greeter>()
            .iter()
            .map(|g| g.greet())
            .collect();
        assert_eq!(greetings, ["dag", "hello"]);
        // Another port is not confused with the first.
        assert!(ports.all::<dyn Counter>().is_empty());
    }
}
