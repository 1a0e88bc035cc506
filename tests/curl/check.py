"""Checks one curl answer, field by field.

    python3 check.py DIR NAME EXPR [EXPR ...]

reads DIR/NAME.status (the HTTP status curl printed), DIR/NAME.head (the headers, from curl -D)
and DIR/NAME.body (the body), then evaluates each EXPR as Python with:

    s    the status (int)
    h    the headers of the last response, names lower-cased (dict)
    j    the body parsed as JSON (None if it is not JSON)
    e    j["error"] when there is one, else {}
    env  os.environ (ids saved by the script: env["ID"])

It prints `ok`/`FAIL` for each EXPR and exits with the number of failures.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Dict


def load(directory: Path, name: str) -> Dict[str, Any]:
    status_text = (directory / f"{name}.status").read_text().strip()
    head_path = directory / f"{name}.head"
    body_path = directory / f"{name}.body"
    headers: Dict[str, str] = {}
    if head_path.exists():
        # With keep-alive or 100-continue there may be several header blocks: keep the last.
        for line in head_path.read_text(errors="replace").splitlines():
            if line.startswith("HTTP/"):
                headers = {}
            elif ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
    body = body_path.read_text(errors="replace") if body_path.exists() else ""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    error = parsed.get("error", {}) if isinstance(parsed, dict) else {}
    return {
        "s": int(status_text) if status_text.isdigit() else 0,
        "h": headers,
        "j": parsed,
        "e": error,
        "env": os.environ,
        "body": body,
    }


def main() -> int:
    directory, name, *exprs = sys.argv[1:]
    scope = load(Path(directory), name)
    failures = 0
    for expr in exprs:
        try:
            result = eval(expr, {"__builtins__": __builtins__}, dict(scope))  # noqa: S307 - test input
            error = None
        except Exception as exc:  # noqa: BLE001 - any error is a failed check
            result, error = False, f"{type(exc).__name__}: {exc}"
        if result:
            print(f"  ok    {name}: {expr}")
        else:
            failures += 1
            print(f"  FAIL  {name}: {expr}" + (f"  ({error})" if error else ""))
            print(f"        status {scope['s']}, body {scope['body'][:400]}")
    return min(failures, 100)


if __name__ == "__main__":
    sys.exit(main())
