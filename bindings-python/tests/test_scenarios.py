"""Runs every shared scenario file (``<repo>/tests/scenarios/*.json``, format in its
README.md) through the Python API, on a fresh embedded simulator whose clock stands at
1700000000 and moves only with ``advance_clock``. One pytest test per scenario.

The runner is strict like the Rust one (``core/tests/scenarios.rs``): an unknown key or op, or
a key the op does not take, fails the run. Typed ops go through the public service methods;
``raw`` sends the literal request.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import stripe_identity as si

DIR = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
START = 1_700_000_000
TYPED = {
    "create",
    "retrieve",
    "update",
    "list",
    "cancel",
    "redact",
    "retrieve_report",
    "list_reports",
    "retrieve_event",
    "list_events",
}
CONTROLS = {"submit", "verify", "fail", "complete_redaction"}
OPS = TYPED | CONTROLS | {"advance_clock", "raw"}
TAKES_ID = (TYPED - {"create", "list", "list_reports", "list_events"}) | CONTROLS
TAKES_PARAMS = TYPED | {"fail"}
TAKES_OPTIONS = TYPED | {"raw"}
STEP_KEYS = {
    "op",
    "comment",
    "id",
    "params",
    "options",
    "seconds",
    "method",
    "path",
    "body",
    "repeat",
    "save",
    "expect",
    "absent",
    "non_null",
    "len",
    "not_equal",
    "prefix",
    "headers",
    "error",
}
ERROR_KEYS = {"http_status", "type", "code", "param", "message_contains", "kind"}
OPTION_KEYS = {"idempotency_key", "stripe_account", "stripe_version"}
SUCCESS_KEYS = {"expect", "absent", "non_null", "len", "not_equal", "prefix", "headers"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The Python class of each error kind (`stripe_identity::ErrorKind::as_str`).
KINDS = {
    "invalid_request": si.InvalidRequestError,
    "authentication": si.AuthenticationError,
    "permission": si.PermissionError,
    "rate_limit": si.RateLimitError,
    "idempotency": si.IdempotencyError,
    "card": si.CardError,
    "api": si.APIError,
    "decode": si.APIError,
    "api_connection": si.APIConnectionError,
    "invalid_argument": ValueError,
    "invalid_type": TypeError,
}


class FormatError(Exception):
    """The file does not follow the scenario format."""


def check_step(step: Dict[str, Any]) -> None:
    """Everything the op does not take, or that contradicts itself, is an error."""
    problems = []
    unknown = set(step) - STEP_KEYS
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    op = step.get("op")
    if op not in OPS:
        raise FormatError(f"unknown op {op!r}")
    if (op in TAKES_ID) != ("id" in step):
        problems.append("`id` given to an op that takes none, or missing")
    if "params" in step and (op not in TAKES_PARAMS or not isinstance(step["params"], dict)):
        problems.append("`params` not taken, or not an object")
    if "options" in step and (op not in TAKES_OPTIONS or set(step["options"]) - OPTION_KEYS):
        problems.append("`options` not taken, or with unknown keys")
    if (op == "advance_clock") != ("seconds" in step):
        problems.append("`seconds` exactly when advance_clock")
    for key in ("method", "path"):
        if (op == "raw") != (key in step):
            problems.append(f"`{key}` exactly when raw")
    if op != "raw" and ("body" in step or "headers" in step):
        problems.append("`body`/`headers` are raw only")
    if "method" in step and step["method"] not in ("GET", "POST", "DELETE"):
        problems.append("method other than GET, POST or DELETE")
    has_success = bool(SUCCESS_KEYS & set(step))
    if op == "advance_clock" and (has_success or {"save", "repeat", "error"} & set(step)):
        problems.append("advance_clock takes no expectations")
    if step.get("repeat", 1) < 1:
        problems.append("`repeat` below 1")
    if "error" in step:
        if has_success or "save" in step:
            problems.append("`error` with success expectations or `save`")
        if set(step["error"]) - ERROR_KEYS:
            problems.append(f"unknown error keys {sorted(set(step['error']) - ERROR_KEYS)}")
        if "kind" in step["error"] and step["error"]["kind"] not in KINDS:
            problems.append(f"unknown kind {step['error']['kind']!r}")
    if "expect" in step and not isinstance(step["expect"], dict):
        problems.append("`expect` is not an object")
    if "save" in step and not NAME.match(step["save"]):
        problems.append("`save` is not a name")
    if problems:
        raise FormatError(f"op {op}: " + "; ".join(problems))


def load(path: Path) -> List[Dict[str, Any]]:
    data = json.loads(path.read_text())
    if set(data) - {"comment", "scenarios"} or not data.get("scenarios"):
        raise FormatError(f"{path.name}: a file has `scenarios` (and `comment`) only")
    names = set()
    for sc in data["scenarios"]:
        if set(sc) - {"name", "comment", "steps"} or not sc.get("steps"):
            raise FormatError(f"{path.name}: scenario keys are name, comment, steps")
        if sc["name"] in names:
            raise FormatError(f"{path.name}: repeated name {sc['name']!r}")
        names.add(sc["name"])
        for step in sc["steps"]:
            check_step(step)
    return data["scenarios"]


def collect() -> List[Any]:
    files = sorted(DIR.glob("*.json"))
    assert files, f"no scenario files in {DIR}"
    wanted = os.environ.get("SCENARIO") or ""
    out = []
    for path in files:
        for sc in load(path):
            if wanted and wanted not in path.name and wanted not in sc["name"]:
                continue
            out.append(pytest.param(sc, id=f"{path.stem}: {sc['name']}"))
    return out


# ---- references -------------------------------------------------------------------------

MISSING = object()


def walk(root: Any, path: str) -> Any:
    if path == "":
        return root
    cur = root
    for seg in path.split("."):
        if isinstance(cur, dict) and seg in cur:
            cur = cur[seg]
        elif isinstance(cur, list) and seg.isdigit() and int(seg) < len(cur):
            cur = cur[int(seg)]
        else:
            return MISSING
    return cur


def lookup(ref: str, saved: Dict[str, Any]) -> Any:
    name, _, path = ref.partition(".")
    if name not in saved:
        raise FormatError(f"reference ${ref}: nothing saved as {name!r}")
    value = walk(saved[name], path)
    if value is MISSING:
        raise FormatError(f"reference ${ref}: {path!r} is not in {name!r}")
    return value


def resolve(value: Any, saved: Dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: resolve(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, saved) for v in value]
    if not isinstance(value, str):
        return value
    if value.startswith("$$"):
        return value[1:]
    if value.startswith("$") and len(value) > 1 and (value[1].isalpha() or value[1] == "_"):
        return lookup(value[1:], saved)

    def text(m: "re.Match[str]") -> str:
        v = lookup(m.group(1), saved)
        if isinstance(v, str):
            return v
        if isinstance(v, (bool, int, float)):
            return json.dumps(v)
        raise FormatError(f"${{{m.group(1)}}} is not a scalar")

    return re.sub(r"\$\{([^}]*)\}", text, value)


# ---- running ----------------------------------------------------------------------------


def call(client: si.Client, step: Dict[str, Any], saved: Dict[str, Any]) -> Tuple[Any, List[Tuple[str, str]]]:
    op = step["op"]
    opts = {k: resolve(v, saved) for k, v in (step.get("options") or {}).items()}
    params = resolve(step.get("params") or {}, saved)
    vs = client.identity.verification_sessions
    helpers = client.test_helpers.identity.verification_sessions
    id_ = resolve(step["id"], saved) if "id" in step else None
    if op == "create":
        return vs.create(**opts, **params), []
    if op == "list":
        return vs.list(**opts, **params), []
    if op in ("retrieve", "update", "cancel", "redact"):
        return getattr(vs, op)(id_, **opts, **params), []
    reports = client.identity.verification_reports
    if op == "retrieve_report":
        return reports.retrieve(id_, **opts, **params), []
    if op == "list_reports":
        return reports.list(**opts, **params), []
    if op == "retrieve_event":
        return client.events.retrieve(id_, **opts, **params), []
    if op == "list_events":
        return client.events.list(**opts, **params), []
    if op == "fail":
        return helpers.fail(id_, **params), []
    if op in CONTROLS:
        return getattr(helpers, op)(id_), []
    assert op == "raw"
    status, headers, text = client._native._send_raw(
        step["method"], resolve(step["path"], saved), resolve(step.get("body", ""), saved), **opts
    )
    return json.loads(text), headers


def show(v: Any) -> str:
    s = json.dumps(v, sort_keys=True)
    return s if len(s) <= 120 else s[:120] + "…"


def subset(want: Any, got: Any, path: str, diffs: List[str]) -> None:
    here = path or "(root)"
    if isinstance(want, dict) and isinstance(got, dict):
        for k, wv in want.items():
            child = f"{path}.{k}" if path else k
            if k not in got:
                diffs.append(f"{child}: expected {show(wv)}, but the key is absent")
            else:
                subset(wv, got[k], child, diffs)
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            diffs.append(f"{here}: expected {len(want)} items, got {len(got)}: {show(got)}")
        for i, (wv, gv) in enumerate(zip(want, got)):
            subset(wv, gv, f"{path}.{i}" if path else str(i), diffs)
    elif not same(want, got):
        diffs.append(f"{here}: expected {show(want)}, got {show(got)}")


def same(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1.
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def check_answer(
    step: Dict[str, Any], body: Any, headers: List[Tuple[str, str]], saved: Dict[str, Any]
) -> List[str]:
    diffs: List[str] = []
    if "expect" in step:
        subset(resolve(step["expect"], saved), body, "", diffs)
    for path in step.get("absent", []):
        if walk(body, path) is not MISSING:
            diffs.append(f"{path}: expected absent, got {show(walk(body, path))}")
    for path in step.get("non_null", []):
        v = walk(body, path)
        if v is MISSING or v is None:
            diffs.append(f"{path}: expected a non-null value, got {'absent' if v is MISSING else 'null'}")
    for path, n in step.get("len", {}).items():
        v = walk(body, path)
        if not isinstance(v, (list, dict)) or len(v) != n:
            diffs.append(f"{path}: expected length {n}, got {show(v) if v is not MISSING else 'absent'}")
    for path, other in step.get("not_equal", {}).items():
        v, other = walk(body, path), resolve(other, saved)
        if v is MISSING or same(v, other):
            diffs.append(f"{path}: expected a present value other than {show(other)}")
    for path, prefix in step.get("prefix", {}).items():
        v, prefix = walk(body, path), resolve(prefix, saved)
        if not (isinstance(v, str) and v.startswith(prefix)):
            diffs.append(f"{path}: expected a string starting with {prefix!r}, got {v!r}")
    for name, want in step.get("headers", {}).items():
        got = next((v for k, v in headers if k.lower() == name.lower()), None)
        want = resolve(want, saved) if want is not None else None
        if got != want:
            diffs.append(f"header {name}: expected {want!r}, got {got!r}")
    return diffs


def check_error(want: Dict[str, Any], e: BaseException) -> List[str]:
    diffs = []
    fields = {
        "http_status": getattr(e, "http_status", None),
        "type": getattr(e, "error_type", None),
        "code": getattr(e, "code", None),
        "param": getattr(e, "param", None),
    }
    for key, got in fields.items():
        if key in want and want[key] != got:
            diffs.append(f"error.{key}: expected {want[key]!r}, got {got!r}")
    if "kind" in want and type(e) is not KINDS[want["kind"]]:
        diffs.append(
            f"error kind: expected {want['kind']} ({KINDS[want['kind']].__name__}), got {type(e).__name__}"
        )
    message = getattr(e, "message", None) or str(e)
    if "message_contains" in want and want["message_contains"] not in message:
        diffs.append(f"error.message: expected it to contain {want['message_contains']!r}, got {message!r}")
    return diffs


def run_step(client: si.Client, clock: Any, step: Dict[str, Any], saved: Dict[str, Any]) -> None:
    if step["op"] == "advance_clock":
        clock.advance(step["seconds"])
        return
    answers = []
    for round_ in range(step.get("repeat", 1)):
        label = f"in repetition {round_}: " if "repeat" in step else ""
        try:
            body, headers = call(client, step, saved)
            error: Optional[BaseException] = None
        except (si.StripeError, TypeError, ValueError) as e:
            error = e
        if "error" in step:
            diffs = (
                check_error(step["error"], error)
                if error is not None
                else [f"expected an error, but the call succeeded: {show(to_json(body))}"]
            )
        elif error is not None:
            diffs = [
                f"unexpected error {type(error).__name__}: {error!r} (param={getattr(error, 'param', None)!r})"
            ]
        else:
            plain = to_json(body)
            diffs = check_answer(step, plain, headers, saved)
            if diffs:
                diffs.append("the whole answer was:\n" + json.dumps(plain, indent=2)[:4000])
            answers.append(plain)
        if diffs:
            raise AssertionError(label + "\n  - ".join(diffs))
    if "save" in step:
        saved[step["save"]] = answers if "repeat" in step else answers[-1]


def to_json(body: Any) -> Any:
    return body.to_dict() if isinstance(body, si.StripeObject) else body


@pytest.mark.parametrize("scenario", collect())
def test_scenario(scenario: Dict[str, Any]) -> None:
    native, clock = si._native.Client._local_with_clock(START)
    client = si.Client._from_native(native)
    saved: Dict[str, Any] = {}
    for i, step in enumerate(scenario["steps"]):
        failure = None
        try:
            run_step(client, clock, step, saved)
        except AssertionError as e:
            failure = str(e)
        if failure is not None:
            later = len(scenario["steps"]) - i - 1
            pytest.fail(
                f"steps[{i}] ({step['op']}) failed ({later} later steps not run):\n  - {failure}",
                pytrace=False,
            )


def test_a_typo_fails_the_run() -> None:
    with pytest.raises(FormatError):
        check_step({"op": "create", "parms": {}})
    with pytest.raises(FormatError):
        check_step({"op": "delete"})
    with pytest.raises(FormatError):
        check_step({"op": "submit"})
    with pytest.raises(FormatError):
        check_step({"op": "create", "error": {"kind": "nope"}})
