//! The local backend: the embedded simulator behind the [`Backend`] interface.

use crate::backend::{Backend, Request, Response};
use crate::engine::Simulator;
use crate::error::Error;
use std::sync::Arc;

/// Sends requests to a simulator in process.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    simulator: Arc<Simulator>,
}

impl LocalBackend {
    /// A backend on this simulator.
    pub fn new(simulator: Arc<Simulator>) -> LocalBackend {
        LocalBackend { simulator }
    }
}

impl Backend for LocalBackend {
    fn send(&self, request: &Request) -> Result<Response, Error> {
        Ok(self.simulator.handle(request))
    }

    fn is_local(&self) -> bool {
        true
    }
}
