#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/seeds/<target>/) from the scenario files.

Every scenario in tests/scenarios/*.json becomes one input per target that takes sequences:
a call script for json_params and c_api, a request script for engine_handle (both formats are
described in fuzz/src/script.rs and fuzz/src/engine.rs). Every form body a scenario sends, or
that its typed parameters encode to, becomes a form_decode seed. server_http gets one
connection per scenario file (its first requests, pipelined) plus the malformed HTTP below.

The seeds are checked in; run this again after changing the scenarios or the formats:

    python3 fuzz/make_seeds.py
"""

import hashlib
import json
import pathlib
import re
import shutil
from urllib.parse import quote_plus

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
SESSIONS = "/v1/identity/verification_sessions"
HELPERS = "/v1/test_helpers/identity/verification_sessions"
REPORTS = "/v1/identity/verification_reports"
EVENTS = "/v1/events"
ENDPOINTS = "/v1/webhook_endpoints"
START = 1700000000
KEY = "sk_test_123"
REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\}?")

ROUTES = {
    "create": ("POST", SESSIONS),
    "list": ("GET", SESSIONS),
    "retrieve": ("GET", SESSIONS + "/{id}"),
    "update": ("POST", SESSIONS + "/{id}"),
    "cancel": ("POST", SESSIONS + "/{id}/cancel"),
    "redact": ("POST", SESSIONS + "/{id}/redact"),
    "submit": ("POST", HELPERS + "/{id}/submit"),
    "verify": ("POST", HELPERS + "/{id}/verify"),
    "fail": ("POST", HELPERS + "/{id}/fail"),
    "complete_redaction": ("POST", HELPERS + "/{id}/complete_redaction"),
    "retrieve_report": ("GET", REPORTS + "/{id}"),
    "list_reports": ("GET", REPORTS),
    "retrieve_event": ("GET", EVENTS + "/{id}"),
    "list_events": ("GET", EVENTS),
    "create_webhook_endpoint": ("POST", ENDPOINTS),
    "retrieve_webhook_endpoint": ("GET", ENDPOINTS + "/{id}"),
    "update_webhook_endpoint": ("POST", ENDPOINTS + "/{id}"),
    "list_webhook_endpoints": ("GET", ENDPOINTS),
    "delete_webhook_endpoint": ("DELETE", ENDPOINTS + "/{id}"),
}


def encode(params, prefix=""):
    """Stripe's form encoding, as core/src/wire/encode.rs writes it."""
    pairs = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for key, value in items:
        name = f"{prefix}[{quote_plus(str(key))}]" if prefix else quote_plus(str(key))
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            pairs.extend(encode(value, name))
        elif isinstance(value, bool):
            pairs.append(f"{name}={'true' if value else 'false'}")
        else:
            pairs.append(f"{name}={quote_plus(str(value))}")
    return pairs


class Refs:
    """Turns the scenarios' references ($s.id, ${v.last_verification_report}) into `$N`, the
    N-th session created, which is all the harnesses can name."""

    def __init__(self):
        self.index = {}
        self.created = 0

    def session_of(self, name):
        return self.index.get(name, 0)

    def text(self, s):
        def one(m):
            name, path = m.group(1), m.group(2)
            if path == ".created":
                return str(START)
            return f"${self.session_of(name)}"

        return REF.sub(one, s) if "$" in s else s

    def value(self, v):
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        return v

    def saved(self, step, session):
        if "save" in step and session is not None:
            self.index[step["save"]] = session


def options_token(opts):
    if not opts:
        return "-"
    return "|".join(opts.get(k, "") for k in ("idempotency_key", "stripe_account", "stripe_version"))


def headers_of(opts):
    names = {
        "idempotency_key": "Idempotency-Key",
        "stripe_account": "Stripe-Account",
        "stripe_version": "Stripe-Version",
    }
    return [f"{names[k]}: {v}" for k, v in (opts or {}).items()]


def scenario_seeds(scenario, forms):
    """The call script and the request script of one scenario; collects its form bodies."""
    refs = Refs()
    calls, requests = [], []
    for step in scenario["steps"]:
        op = step["op"]
        repeat = min(step.get("repeat", 1), 3)
        if op == "advance_clock":
            calls.append(f"+{step['seconds']}")
            requests.append(f"+{step['seconds']}")
            continue
        opts = refs.value(step.get("options", {}))
        session = None
        if op == "raw":
            path = refs.text(step["path"])
            body = refs.text(step.get("body", ""))
            forms.add(body)
            block = [f"{step['method']} {path}", *headers_of(opts)]
            if body:
                block.append(f"> {body}")
            requests.extend(block + [""])
            continue
        params = refs.value(step.get("params"))
        id_token = refs.text(step["id"]) if "id" in step else "-"
        if id_token.startswith("$") and id_token[1:].isdigit():
            session = int(id_token[1:])
        json_text = "" if params is None else json.dumps(params, separators=(",", ":"), ensure_ascii=False)
        line = f"{op} {id_token or '-'} {options_token(opts)} {json_text}".rstrip()
        method, path = ROUTES[op]
        body = "&".join(encode(params)) if isinstance(params, dict) else ""
        if body:
            forms.add(body)
        block = [f"{method} {path.format(id=id_token)}", *headers_of(opts)]
        if body:
            block.append(f"> {body}")
        for _ in range(repeat):
            calls.append(line)
            requests.extend(block + [""])
            if op == "create" and "error" not in step:
                session = refs.created
                refs.created += 1
        refs.saved(step, session)
    return "\n".join(calls) + "\n", "\n".join(requests)


def http_request(method, path, body="", headers=(), key=KEY):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if key:
        lines.append(f"Authorization: Bearer {key}")
    lines.extend(headers)
    if method == "POST":
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body.encode())}")
        return "\r\n".join(lines) + "\r\n\r\n" + body
    query = f"?{body}" if body else ""
    lines[0] = f"{method} {path}{query} HTTP/1.1"
    return "\r\n".join(lines) + "\r\n\r\n"


# Malformed and unusual HTTP, one connection each: what a careless or hostile client sends.
HANDWRITTEN_HTTP = {
    "chunked": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\ntype=\r\n8\r\ndocument\r\n0\r\n\r\n",
    "chunked-broken": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nTransfer-Encoding: chunked\r\n\r\n"
    "zz\r\ntype=document\r\n",
    "expect-continue": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nExpect: 100-continue\r\n"
    "Content-Length: 13\r\n\r\ntype=document",
    "bad-content-length": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 1x\r\n\r\ntype=document",
    "two-content-lengths": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 13\r\n"
    "Content-Length: 4\r\n\r\ntype=document",
    "short-body": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 400\r\n\r\ntype=document",
    "too-large": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 4096\r\n\r\n"
    + "metadata[a]="
    + "x" * 100,
    "bad-request-line": "GARBAGE\r\n\r\n",
    "http10": "GET {s} HTTP/1.0\r\nAuthorization: Bearer {k}\r\n\r\n",
    "absolute-uri": "GET http://127.0.0.1:12111{s}?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\n\r\n",
    "basic-auth": "GET {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic c2tfdGVzdF8xMjM6\r\n\r\n",
    "no-key": "GET {s} HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad-key": "GET {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer pk_test_\xff\r\n\r\n",
    "non-ascii-idempotency-key": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\n"
    "Idempotency-Key: cl\xe9\r\nContent-Length: 13\r\n\r\ntype=document",
    "raw-invalid-utf8-body": "POST {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 20\r\n\r\n"
    "type=document&x=\xff\xfe\xfd\xfc",
    "query-and-body": "POST {s}?expand[]=verified_outputs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\n"
    "Content-Length: 13\r\n\r\ntype=document",
    "delete": "DELETE {s}/vs_1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\n\r\n",
    "patch": "PATCH {s}/vs_1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nContent-Length: 0\r\n\r\n",
    "connection-close": "GET {s} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\nConnection: close\r\n\r\n"
    "GET {s} HTTP/1.1\r\nHost: x\r\n\r\n",
    "lf-only": "GET {s}?limit=2 HTTP/1.1\nHost: x\nAuthorization: Bearer {k}\n\n",
    "escaped-path": "GET {s}/vs_a%2Fb%00%ff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {k}\r\n\r\n",
}


RESOURCES = """create - - {"type":"document"}
submit $0 -
verify $0 -
list_reports - - {"limit":3}
retrieve_report vr_unknown -
list_events - - {"type":"identity.verification_session.verified"}
retrieve_event evt_unknown -
create_webhook_endpoint - - {"url":"https://example.com/hook","enabled_events":["*"]}
list_webhook_endpoints -
retrieve_webhook_endpoint we_unknown -
update_webhook_endpoint we_unknown - {"disabled":true}
delete_webhook_endpoint we_unknown -
"""


def write(target, name, data):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    (d / name).write_bytes(raw)


def main():
    for target in ("json_params", "c_api", "engine_handle", "form_decode", "server_http"):
        shutil.rmtree(SEEDS / target, ignore_errors=True)
    forms = set()
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.json")):
        doc = json.loads(path.read_text())
        connection = []
        for n, scenario in enumerate(doc["scenarios"]):
            calls, requests = scenario_seeds(scenario, forms)
            name = f"{path.stem}-{n:02}"
            write("json_params", name, calls)
            write("c_api", name, calls)
            write("engine_handle", name, requests)
        # One connection per file: its first scenario's requests (ids as written: unknown ones
        # get the API's 404, which is the point of a parser seed).
        refs_free = scenario_seeds(doc["scenarios"][0], set())[1]
        for block in refs_free.split("\n\n")[:4]:
            lines = [x for x in block.split("\n") if x and not x.startswith("+")]
            if not lines:
                continue
            method, target_path = lines[0].split(" ", 1)
            body = "".join(x[2:] for x in lines if x.startswith("> "))
            headers = [x for x in lines[1:] if not x.startswith("> ")]
            connection.append(http_request(method, target_path, body, headers))
        write("server_http", path.stem, "".join(connection))
    for body in sorted(forms):
        write("form_decode", hashlib.sha1(body.encode()).hexdigest()[:12], body)
    # Form bodies from the decoder's own rules (core/src/wire/decode.rs).
    for n, body in enumerate(
        [
            "a[][b]=1&a[][c]=2&a[][b]=3",
            "a[][b][]=1&a[][b][]=2",
            "a[][]=1&a[][]=2",
            "a=1&a[b]=2",
            "a[b=1",
            "%5B%5D=x&a%5Bb%5D=%E2%82%AC+x",
            "a[0]=x&a[1]=y&a[10]=z",
            "&&=&a&b=%&c=%4&d=%zz",
        ]
    ):
        write("form_decode", f"rules-{n}", body)
    for name, text in HANDWRITTEN_HTTP.items():
        write("server_http", name, text.replace("{s}", SESSIONS).replace("{k}", KEY).encode("latin-1"))
    write("c_api", "clients", b"client sk_test_123 http://127.0.0.1:1\nclient sk_test_\xff x\nclient  \n")
    # The operations of the other resources (no scenario file holds them): each answers its own
    # object, which the harness checks against the operation's description.
    write("json_params", "resources", RESOURCES)
    for target in sorted(p.name for p in SEEDS.iterdir()):
        print(f"{target}: {len(list((SEEDS / target).iterdir()))} seeds")


if __name__ == "__main__":
    main()
