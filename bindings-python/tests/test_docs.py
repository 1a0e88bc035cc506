"""The README quickstart and the example run as they are written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import stripe_identity as si

HERE = Path(__file__).resolve().parents[1]


def test_readme_quickstart_runs() -> None:
    text = (HERE / "README.md").read_text()
    match = re.search(
        r"<!-- START quickstart -->\s*```python\n(.*?)```\s*<!-- END quickstart -->", text, re.S
    )
    assert match, "README.md lost its quickstart markers"
    exec(compile(match.group(1), "README.md", "exec"), {})


def test_readme_drop_in_runs() -> None:
    text = (HERE / "README.md").read_text()
    match = re.search(r"<!-- START drop-in -->\s*```python\n(.*?)```\s*<!-- END drop-in -->", text, re.S)
    assert match, "README.md lost its drop-in markers"
    exec(compile(match.group(1), "README.md", "exec"), {"__name__": "readme"})


def test_quickstart_example_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(HERE / "examples" / "quickstart.py")], capture_output=True, text=True, check=True
    ).stdout
    assert "verified" in out and "redacted" in out and "canceled" in out
    assert "TypeError: metadata:" in out


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in si.__all__:
        obj = getattr(si, name)
        if isinstance(obj, str):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        for attr, member in vars(obj).items() if isinstance(obj, type) else []:
            if attr.startswith("_") or not callable(member):
                continue
            if not (getattr(member, "__doc__", None) or "").strip():
                missing.append(f"{name}.{attr}")
    assert missing == []


def test_the_package_is_typed() -> None:
    pkg = Path(si.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_native.pyi").exists()
