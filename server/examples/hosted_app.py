"""A tiny web app that uses identity-mock the way a real integration uses Stripe Identity.

It creates a VerificationSession with a ``return_url`` pointing back to itself, sends the
browser to the session's ``url`` (identity-mock's hosted page), shows the session when the
browser comes back, and receives the session's events as signed webhooks. ``/js`` does the same
from a front end that calls ``stripe.verifyIdentity(client_secret)``, with identity-mock's
stand-in for Stripe.js.

Python's standard library only, and plain HTTP to the mock (any client works the same way):

    python3 server/examples/hosted_app.py --mock http://127.0.0.1:12111 --port 4242

``make example-app`` starts identity-mock and this app together. The browser test
(``tests/browser/``) drives this same app.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
# The signature tolerance the official SDKs use, in seconds.
TOLERANCE = 300


class Mock:
    """Form-encoded calls to the API that identity-mock serves."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def call(self, method: str, path: str, params: list[tuple[str, str]] | None = None) -> dict:
        data = urllib.parse.urlencode(params or []).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data if method == "POST" else None,
            method=method,
            headers={"Authorization": f"Bearer {KEY}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()}") from e


def verify_signature(payload: bytes, header: str, secret: str) -> bool:
    """Stripe's scheme: ``t=<unix>,v1=<hex HMAC-SHA256 of "t.payload" keyed with the secret>``."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    signatures = [v for k, v in parts if k == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        return False
    if abs(time.time() - int(stamps[0])) > TOLERANCE:
        return False
    signed = stamps[0].encode() + b"." + payload
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in signatures)


STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}"
    "button{padding:.6rem 1.2rem;font:inherit;font-weight:600;border-radius:6px;border:2px solid #3d2bb5;"
    "background:#3d2bb5;color:#fff;cursor:pointer}:focus-visible{outline:3px solid #d97706;outline-offset:2px}"
    "select{padding:.4rem;font:inherit}li code{font-size:.9rem}"
)


def page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


class App:
    """The app's state: its orders (one session each) and the webhook events it verified."""

    def __init__(self, mock: Mock, public: str) -> None:
        self.mock = mock
        self.public = public
        self.lock = threading.Lock()
        self.orders: dict[str, str] = {}
        self.events: list[dict] = []
        self.rejected = 0
        endpoint = mock.call(
            "POST",
            "/v1/webhook_endpoints",
            [("url", f"{public}/webhook"), ("enabled_events[]", "*")],
        )
        self.secret = endpoint["secret"]

    def start(self, kind: str) -> dict:
        """Creates a session for a new order, with a return_url back to this app."""
        with self.lock:
            order = str(len(self.orders) + 1)
            self.orders[order] = ""
        session = self.mock.call(
            "POST",
            "/v1/identity/verification_sessions",
            [
                ("type", kind),
                ("client_reference_id", f"order-{order}"),
                ("return_url", f"{self.public}/return?order={order}"),
            ],
        )
        with self.lock:
            self.orders[order] = session["id"]
        return session

    def received(self, session_id: str) -> list[str]:
        with self.lock:
            return [e["type"] for e in self.events if e["data"]["object"]["id"] == session_id]


def handler(app: App) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(
            self, status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers: str
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/":
                form = (
                    "<p>An example shop that asks its customer to verify their identity.</p>"
                    '<form method="post" action="/start"><label for="type">Check</label> '
                    '<select id="type" name="type"><option value="document">document</option>'
                    '<option value="id_number">id_number</option></select> '
                    '<button type="submit" id="start">Verify my identity</button></form>'
                    '<p>Or <a href="/js" id="with-js">the same with Stripe.js</a> '
                    "(<code>stripe.verifyIdentity</code>, identity-mock's stand-in).</p>"
                )
                self.send(200, page("Example app", form))
            elif url.path == "/js":
                self.with_stripe_js()
            elif url.path == "/return":
                self.returned(query.get("order", ""))
            elif url.path == "/events.json":
                body = json.dumps({"types": app.received(query.get("session", "")), "rejected": app.rejected})
                self.send(200, body.encode(), "application/json")
            else:
                self.send(404, page("Not found", ""))

        def with_stripe_js(self) -> None:
            """A front end that calls stripe.verifyIdentity(client_secret), with identity-mock's
            stand-in for Stripe.js loaded in place of https://js.stripe.com/v3/."""
            session = app.start("document")
            # JSON in a script: `</` escaped so that the text cannot end the script element.
            secret = json.dumps(session["client_secret"]).replace("</", "<\\/")
            body = (
                f'<script src="{html.escape(app.mock.base)}/stripe.js"></script>'
                "<p>This page calls <code>stripe.verifyIdentity(client_secret)</code>.</p>"
                '<button type="button" id="js-verify">Verify my identity</button>'
                "<script>document.getElementById('js-verify').addEventListener('click', function () {"
                f"Stripe('pk_test_example').verifyIdentity({secret}); }});</script>"
            )
            self.send(200, page("Example app: Stripe.js", body))

        def returned(self, order: str) -> None:
            with app.lock:
                session_id = app.orders.get(order)
            if not session_id:
                self.send(404, page("No such order", ""))
                return
            s = app.mock.call("GET", f"/v1/identity/verification_sessions/{urllib.parse.quote(session_id)}")
            error = (s.get("last_error") or {}).get("code") or ""
            events = "".join(f"<li><code>{html.escape(t)}</code></li>" for t in app.received(session_id))
            again = (
                f'<p><a href="{html.escape(s["url"])}" id="again">Try again</a></p>' if s.get("url") else ""
            )
            body = (
                f'<p>Session <code id="session">{html.escape(s["id"])}</code> is '
                f'<strong id="status">{html.escape(s["status"])}</strong>.</p>'
                f'<p>Last error: <code id="last-error">{html.escape(error) or "none"}</code></p>{again}'
                f'<h2>Webhooks received (signature verified)</h2><ul id="events">{events}</ul>'
                '<p><a href="/">Start over</a></p>'
            )
            self.send(200, page(f"Order {order}", body))

        def do_POST(self) -> None:
            if self.path == "/start":
                form = dict(urllib.parse.parse_qsl(self.body().decode()))
                kind = form.get("type") if form.get("type") in ("document", "id_number") else "document"
                self.send(303, b"", Location=app.start(kind)["url"])
            elif self.path == "/webhook":
                payload = self.body()
                if not verify_signature(payload, self.headers.get("Stripe-Signature", ""), app.secret):
                    with app.lock:
                        app.rejected += 1
                    self.send(400, b"bad signature", "text/plain")
                    return
                event = json.loads(payload)
                with app.lock:
                    # Deliveries are at least once: keep each event once.
                    if all(e["id"] != event["id"] for e in app.events):
                        app.events.append(event)
                self.send(200, b"{}", "application/json")
            else:
                self.send(404, page("Not found", ""))

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mock", default="http://127.0.0.1:12111", help="identity-mock's base URL")
    parser.add_argument("--port", type=int, default=4242, help="port to listen on (0: a free one)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), None)  # type: ignore[arg-type]
    public = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = handler(App(Mock(args.mock), public))
    print(f"example app listening on {public}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
