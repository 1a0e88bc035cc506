//! Where this library deliberately differs from Stripe's OpenAPI spec, each once, with its
//! reason. `core/tests/openapi.rs` fails on any difference not listed here, and on any entry
//! here that no longer differs.

/// One deliberate difference: `at` is the line the OpenAPI test prints for it.
#[derive(Debug)]
pub struct Difference {
    /// What differs, as the test names it.
    pub at: &'static str,
    /// Why.
    pub reason: &'static str,
}

/// Every deliberate difference.
pub static DIFFERENCES: &[Difference] = &[
    // The simulator's controls play the user and Stripe's checks; the real API has no such paths
    // and answers them 404.
    Difference { at: "operation submit: not in the spec (simulator only: true)", reason: SIMULATOR_ONLY },
    Difference { at: "operation verify: not in the spec (simulator only: true)", reason: SIMULATOR_ONLY },
    Difference { at: "operation fail: not in the spec (simulator only: true)", reason: SIMULATOR_ONLY },
    Difference {
        at: "operation complete_redaction: not in the spec (simulator only: true)",
        reason: SIMULATOR_ONLY,
    },
    // Strings the spec leaves without a limit.
    Difference { at: "operation create param return_url: maxLength 5000 (spec 0)", reason: BOUNDED },
    Difference {
        at: "operation create param provided_details[email]: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    Difference {
        at: "operation create param provided_details[phone]: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    Difference {
        at: "operation update param provided_details[email]: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    Difference {
        at: "operation update param provided_details[phone]: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    // Webhook endpoints.
    Difference {
        at: "operation create_webhook_endpoint param enabled_events[]: a free string (spec an enum)",
        reason: ENABLED_EVENTS,
    },
    Difference {
        at: "operation create_webhook_endpoint param enabled_events[]: maxLength 5000 (spec 0)",
        reason: ENABLED_EVENTS,
    },
    Difference {
        at: "operation update_webhook_endpoint param enabled_events[]: a free string (spec an enum)",
        reason: ENABLED_EVENTS,
    },
    Difference {
        at: "operation update_webhook_endpoint param enabled_events[]: maxLength 5000 (spec 0)",
        reason: ENABLED_EVENTS,
    },
    Difference {
        at: "operation create_webhook_endpoint param url: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    Difference {
        at: "operation update_webhook_endpoint param url: maxLength 5000 (spec 0)",
        reason: BOUNDED,
    },
    Difference {
        at: "operation create_webhook_endpoint param api_version: a free string (spec an enum)",
        reason: API_VERSION,
    },
];

const ENABLED_EVENTS: &str = "the spec's enum holds 266 event types; the simulator emits only the six     identity.verification_session.* types, so it takes `*` and those six and refuses the others     naming enabled_events (api::params::ENABLED_EVENTS, checked in engine/webhook_endpoints.rs).     Described as a list of strings so the 260 types it refuses need not be listed";

const API_VERSION: &str = "the spec lists every API version ever released; the simulator keeps the     value on the endpoint and renders events with its own version whatever it says";

const SIMULATOR_ONLY: &str = "a simulator control (test_helpers): it plays the user or Stripe's checks, \
    so only the simulator serves it; the real API answers its path 404";

const BOUNDED: &str = "the spec states no limit; the simulator holds it to 5000 characters, the limit \
    of every other free string parameter, so one request cannot grow its state without bound \
    (whether the API refuses longer values is not public)";
