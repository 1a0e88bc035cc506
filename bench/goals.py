"""How one `make bench` run stands against the goals of cost per call, from the JSON rows the
Python and Node benchmarks write (the same rows as bench/chart.py reads).

    python3 bench/goals.py target/bench/python.json target/bench/node.json

Prints a Markdown table: for each goal, the rows that meet it out of the rows it covers, the
range of the figure over those rows, and the rows that miss it; for a share of the floor, also
the most any client that parses the answer could reach in that row (`reach`), and for a CPU
ratio the official SDK's CPU per call over the bare socket's (`bare_cpu_ratio`): how far the
row's round trip alone, with no HTTP and no JSON, gets against the goal. Standard library only.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Dict, List, NamedTuple

Row = Dict[str, Any]


class Goal(NamedTuple):
    text: str
    lang: str
    covers: Callable[[Row], bool]
    figure: Callable[[Row], float]
    unit: str  # "x" for a ratio, "%" for a share, "" for a count
    bound: float  # the figure must be at least this (at most, for a count)
    # For a row that misses: what the row's floor leaves within reach, as text, or None.
    within_reach: Callable[[Row], str | None] = lambda r: None

    def met(self, v: float) -> bool:
        return v <= self.bound if self.unit == "" else v >= self.bound


def cpu_ratio(r: Row) -> float:
    return r["official"]["cpu_us_per_call"] / max(r["ours"]["cpu_us_per_call"], 1e-9)


def speed_ratio(r: Row) -> float:
    return r["ours"]["calls_per_s"] / max(r["official"]["calls_per_s"], 1)


def share(r: Row) -> float:
    return 100 * r["ours"]["calls_per_s"] / max(r["floor_calls_per_s"], 1)


def reach(r: Row) -> float:
    """The highest share of the floor a client that turns the answer into objects can reach at
    one call at a time: the bare round trip, over the bare round trip plus one parse of the
    answer (`floor_parse_us`: `json.loads` or `JSON.parse`)."""
    round_trip = 1e6 / max(r["floor_calls_per_s"], 1)
    return 100 * round_trip / (round_trip + r.get("floor_parse_us", 0.0))


def reach_text(r: Row) -> str | None:
    return f"{reach(r):.0f}% at most" if "floor_parse_us" in r else None


def bare_cpu_ratio(r: Row) -> str | None:
    """The official SDK's CPU per call over the bare socket's round trip's (`floor_cpu_us_per_call`,
    the same language's process sending the row's request and reading its answer's bytes): the
    CPU ratio of a client that cost nothing beyond that round trip."""
    floor = r.get("floor_cpu_us_per_call")
    if not floor:
        return None
    return f"bare socket {r['official']['cpu_us_per_call'] / floor:.2f}x"


def one_at_a_time(r: Row) -> bool:
    return r["concurrency"] == 1 and r["table"] in ("http", "https")


def everything(r: Row) -> bool:
    return True


GOALS = [
    # strace's slope over 1,000 calls, rounded to 0.1: 3.05 is 3.
    Goal(
        "Python: a kept-alive call makes at most 3 system calls (one thread)",
        "python",
        lambda r: one_at_a_time(r) and r.get("syscalls_per_call") is not None,
        lambda r: r["syscalls_per_call"],
        "",
        3.05,
    ),
    Goal(
        "Python: CPU per call at most 1/20 of stripe-python's",
        "python",
        everything,
        cpu_ratio,
        "x",
        20,
        bare_cpu_ratio,
    ),
    Goal(
        "Python: one thread at 85% of the row's floor or more",
        "python",
        one_at_a_time,
        share,
        "%",
        85,
        reach_text,
    ),
    Goal(
        "Node: CPU per call at most 1/3 of stripe-node's",
        "node",
        everything,
        cpu_ratio,
        "x",
        3,
        bare_cpu_ratio,
    ),
    Goal(
        "Node: one call in flight at 75% of the row's floor or more",
        "node",
        lambda r: r["concurrency"] == 1,
        share,
        "%",
        75,
        reach_text,
    ),
    Goal(
        "Node: 16 in flight at 3x stripe-node or more",
        "node",
        lambda r: r["concurrency"] == 16,
        speed_ratio,
        "x",
        3,
    ),
]


def name(r: Row) -> str:
    table = {"http": "", "https": " TLS", "async": " async"}.get(r["table"], f" {r['table']}")
    server = r["server"].replace(" TLS", "")
    return f"{server}{table} {r['operation']} at {r['concurrency']}"


def fmt(v: float, unit: str) -> str:
    if unit == "%":
        return f"{v:.0f}%"
    if unit == "x":
        return f"{v:.2f}x"
    return f"{v:.1f}"


# The tables the goals cover: the loopback ones, where a call's own cost shows. Not "slow" (a
# server holding its answers as a remote API would), where every client waits alike.
GOAL_TABLES = ("http", "https", "async")


def main(paths: List[str]) -> int:
    rows: List[Row] = []
    for path in paths:
        with open(path) as f:
            rows += [r for r in json.load(f) if r["table"] in GOAL_TABLES]
    print("| goal | rows meeting it | range | rows missing it |")
    print("| --- | ---: | --- | --- |")
    for goal in GOALS:
        covered = [r for r in rows if r["lang"] == goal.lang and goal.covers(r)]
        if not covered:
            continue
        figures = [(r, goal.figure(r)) for r in covered]
        missing = [
            f"{name(r)} ({'; '.join(t for t in (fmt(v, goal.unit), goal.within_reach(r)) if t)})"
            for r, v in figures
            if not goal.met(v)
        ]
        low, high = min(v for _, v in figures), max(v for _, v in figures)
        print(
            f"| {goal.text} | {len(covered) - len(missing)} of {len(covered)} "
            f"| {fmt(low, goal.unit)}–{fmt(high, goal.unit)} | {'; '.join(missing) or 'none'} |"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
