"""The benchmark table: each YSI figure beside the nearest floor workload, as a ratio.

    python3 bench/table.py RESULTS FLOOR [--title TEXT]

RESULTS holds bench/run's RESULT, REPORTERS, CHECK and PDF lines; FLOOR is run-floor's output.
Latency ratios compare p99 with the floor's p99 (run-floor prints p99 only; the issue's targets are
for p95, so p99 against p99 is the stricter reading). Throughput ratios compare requests per second.
"""

import argparse
import re

# workload: (floor workload, what is compared, target)
NEAREST = {
    "signed-in": ("form-get", "p99", "(being signed in, no page)"),
    "welcome": ("form-get", "p99", "(the app's own floor)"),
    "dashboard": ("list-100k", "p99", "<= 1.5"),
    "list": ("list-100k", "p99", "<= 1.5"),
    "list-search": ("list-100k", "p99", "<= 1.5"),
    "list-filter": ("list-100k", "p99", "<= 1.5"),
    "detail": ("form-get", "p99", "<= 2"),
    "report-get": ("form-get", "p99", ""),
    "report-post": ("form-post", "rps", ">= 0.5"),
    "record-pdf": ("", "", "see PDF line"),
}


def ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("floor")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    floor = {}
    try:
        for line in open(args.floor):  # noqa: SIM115
            match = re.match(r"(\S+)\s+\S+\s+w=\d+\s+(\d+) rps\s+p99 (\S+)", line)
            if match:
                floor[match[1]] = {"rps": float(match[2]), "p99": ms(match[3])}
    except FileNotFoundError:
        pass
    print(f"### {args.title}\n" if args.title else "", end="")
    print("| workload | requests | req/s | p50 ms | p95 ms | p99 ms | errors | floor (same run) | ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---|")
    extra = []
    for line in open(args.results):  # noqa: SIM115
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "RESULT":
            extra.append(line.rstrip())
            continue
        name, requests, rps, p50, p95, p99, status_errors, socket_errors = parts[1:9]
        nearest, compared, target = NEAREST.get(name, ("", "", ""))
        ref = floor.get(nearest)
        if ref and compared == "p99":
            ratio = f"{float(p99) / ref['p99']:.2f}"
            floor_text = f"{nearest}: p99 {ref['p99']:.1f} ms"
        elif ref and compared == "rps":
            ratio = f"{float(rps) / ref['rps']:.2f}"
            floor_text = f"{nearest}: {ref['rps']:.0f} req/s"
        else:
            ratio, floor_text = "", ""
        errors = int(status_errors) + int(socket_errors)
        print(f"| {name} | {requests} | {float(rps):.1f} | {p50} | {p95} | {p99} | {errors} | {floor_text} | "
              f"{ratio} | {target} |")
    if floor:
        print("\nFloor (run-floor postgres, same run): " + "; ".join(
            f"{name} {v['rps']:.0f} req/s p99 {v['p99']:.1f} ms" for name, v in floor.items()))
    for line in extra:
        print(line)


if __name__ == "__main__":
    main()
