"""The chart of BENCHMARKS.md, drawn from the JSON rows that `make bench` writes.

    python bench/chart.py OUT.svg ROWS.json [ROWS.json ...]

Each JSON file holds a list of rows in the shape both benchmarks write
(`bindings-python/bench/bench.py --json`, `BENCH_JSON=... bindings-node/bench/bench.mjs`):
`lang`, `table`, `server`, `operation`, `concurrency`, `ours` and `official` (each with
`calls_per_s` and `cpu_us_per_call`), `floor_calls_per_s` (and `floor_cpu_us_per_call` where
measured). One band per language: calls per second of this library, of the official SDK and of
the floor (a bare socket on the same server), and CPU microseconds per call of both clients
(and of the floor), on log scales because they differ tenfold.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, List

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

SDK = {"python": "stripe-python 16.1.0", "node": "stripe-node 23.1.0"}
TITLE = {"python": "Python", "node": "Node"}
COLORS = {"ours": "#2f6fb3", "official": "#c8832a", "floor": "#b9b9b9"}


def label(row: Dict[str, Any]) -> str:
    table = {"http": "", "https": " TLS", "async": " async"}.get(row["table"], f" {row['table']}")
    server = "mock" if row["server"].startswith("identity-mock") else row["server"]
    return f"{server}{table} {row['operation']} ×{row['concurrency']}"


def draw(rows: List[Dict[str, Any]], out: str) -> None:
    langs = [lang for lang in ("python", "node") if any(r["lang"] == lang for r in rows)]
    heights = [max(len([r for r in rows if r["lang"] == lang]), 1) for lang in langs]
    fig, axes = plt.subplots(
        len(langs),
        2,
        figsize=(13, 1.2 + 0.36 * sum(heights)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for (speed, cpu), lang in zip(axes, langs):
        mine = [r for r in rows if r["lang"] == lang]
        ys = range(len(mine))
        h = 0.27
        speed.barh(
            [y - h for y in ys],
            [r["ours"]["calls_per_s"] for r in mine],
            h,
            color=COLORS["ours"],
            label="stripe-identity",
        )
        speed.barh(
            list(ys),
            [r["official"]["calls_per_s"] for r in mine],
            h,
            color=COLORS["official"],
            label=SDK[lang],
        )
        speed.barh(
            [y + h for y in ys],
            [r["floor_calls_per_s"] for r in mine],
            h,
            color=COLORS["floor"],
            label="floor (bare socket)",
        )
        speed.set_yticks(list(ys), [label(r) for r in mine], fontsize=8)
        speed.invert_yaxis()
        speed.set_xscale("log")
        speed.set_title(f"{TITLE[lang]}: calls per second, log scale (higher is better)", fontsize=10)
        speed.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3)
        speed.grid(axis="x", alpha=0.3, which="both")

        # The floor's own CPU per call (what waiting for an answer costs) where the benchmark
        # measured it (Python and Node both do): three bars then, two otherwise.
        floor_cpu = [r.get("floor_cpu_us_per_call") for r in mine]
        bars = [("ours", "stripe-identity"), ("official", SDK[lang])]
        if all(v is not None for v in floor_cpu):
            bars.append(("floor", "floor (bare socket)"))
        h = 0.8 / len(bars)
        for k, (key, name) in enumerate(bars):
            offset = (k - (len(bars) - 1) / 2) * h
            values = floor_cpu if key == "floor" else [r[key]["cpu_us_per_call"] for r in mine]
            cpu.barh([y + offset for y in ys], values, h, color=COLORS[key], label=name)
        cpu.set_xscale("log")
        cpu.set_yticks(list(ys), [""] * len(mine))
        cpu.invert_yaxis()
        cpu.set_title(f"{TITLE[lang]}: CPU µs per call, log scale (lower is better)", fontsize=10)
        cpu.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3)
        cpu.grid(axis="x", alpha=0.3, which="both")
    fig.tight_layout()
    # No date in the file, so that a re-run changes it only when the figures change.
    fig.savefig(out, metadata={"Date": None})


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    plt.rcParams["svg.hashsalt"] = "stripe-identity"
    rows: List[Dict[str, Any]] = []
    for path in sys.argv[2:]:
        with open(path) as f:
            # Loopback rows only: a "slow" server's rows (answers held as a remote API's
            # would be) measure waiting, on another scale.
            rows += [r for r in json.load(f) if r["table"] != "slow"]
    draw(rows, sys.argv[1])
    print(f"wrote {sys.argv[1]} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
