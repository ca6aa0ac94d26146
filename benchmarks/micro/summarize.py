#!/usr/bin/env python3
"""Prints riot-micro-benchmarks JSON results (--benchmark_out) as a table, in
registration order (each shape's implementations side by side): time per
command / reply / key in ns and MB/s (10^6 bytes per second), from CPU time.
With repetitions, the medians, and the coefficient of variation of the time
per item across the repetitions."""
import json
import sys


def per_item(run):
    seconds = run.get("per_command", run.get("per_item"))
    return None if seconds is None else seconds * 1e9


def main(path):
    with open(path) as results:
        data = json.load(results)
    rows = {}
    spread = {}
    for run in data["benchmarks"]:
        name = run.get("run_name", run["name"])
        order = (run.get("family_index", 0), run.get("per_family_instance_index", 0))
        aggregate = run.get("aggregate_name")
        if run.get("run_type") == "aggregate" and aggregate == "cv":
            spread[name] = run.get("per_command", run.get("per_item"))
        if run.get("run_type") == "aggregate" and aggregate != "median":
            continue
        if per_item(run) is None:
            continue
        rows[name] = (order, per_item(run), run.get("bytes_per_second", 0.0) / 1e6)
    width = max(len(name) for name in rows)
    print(f"{'benchmark':<{width}}  {'ns/item':>9}  {'MB/s':>9}  {'cv':>6}")
    for name, (_, nanoseconds, mb_per_s) in sorted(rows.items(), key=lambda row: row[1][0]):
        cv = f"{spread[name] * 100:5.1f}%" if name in spread else ""
        print(f"{name:<{width}}  {nanoseconds:>9.1f}  {mb_per_s:>9.1f}  {cv:>6}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RESULTS.json")
    main(sys.argv[1])
