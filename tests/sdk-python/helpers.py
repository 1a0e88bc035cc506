"""Helpers shared by the stripe-python tests."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdk import stripe

KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
HELPERS = "/v1/test_helpers/identity/verification_sessions"


@dataclass
class Mock:
    """A running identity-mock."""

    process: subprocess.Popen
    url: str
    port: int
    log: Path

    def client(self, key: str = KEY, **options: Any) -> stripe.StripeClient:
        # The one constructor of the suite: stripe-python's, or this library's in the drop-in
        # run (sdk.py), with the same arguments.
        return stripe.StripeClient(key, base_addresses={"api": self.url}, **options)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        return self.process.returncode


def control(client: stripe.StripeClient, session_id: str, action: str, **params: Any) -> Any:
    """A simulator control (`submit`, `verify`, `fail`, `complete_redaction`) through the SDK's
    raw request call; returns the session as a StripeObject."""
    response = client.raw_request("post", f"{HELPERS}/{session_id}/{action}", **params)
    return client.deserialize(response, api_mode="V1")
