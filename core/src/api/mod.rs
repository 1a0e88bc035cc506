//! The API, described once as data: every operation ([`operations`]), the parameters each takes
//! ([`params`]), every enum's values ([`enums`]) and every field of the objects it answers
//! ([`models`]). The simulator routes and checks requests with it, the client builds its requests
//! with it, `make codegen` writes the bindings' surfaces from it, and `core/tests/openapi.rs`
//! holds it against Stripe's OpenAPI spec, with every deliberate difference in [`differences`].

pub mod differences;
pub mod enums;
pub mod models;
mod open_enum;
pub mod operations;
pub mod params;

pub use operations::{route, Operation, OperationDesc, Resource, Returns, OPERATIONS};
