"""The national tier on PostgreSQL: 250,000 families and about 10 million visits, then the full indicator set of
last year against one `SELECT count(*)` over the visits (target: ≤ 10 s, and ≤ 4 × the count).

    .venv/bin/python -m bench.national --postgres-url postgresql://postgres@127.0.0.1:5432/national  # WIPED

Generating takes the better part of an hour on a 2-core machine; `--keep` measures an already generated database.
"""
import argparse
import os
import time

from bench import harness


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", default=os.environ.get("CASEWORK_BENCH_NATIONAL_URL"), required=False)
    parser.add_argument("--keep", action="store_true", help="measure the database as it is (no generation)")
    args = parser.parse_args(argv)
    if not args.postgres_url:
        parser.error("--postgres-url (a PostgreSQL database that may be wiped) is required")
    if args.keep:
        app, generated = harness.build_app(args.postgres_url), None
    else:
        app, generated = harness.prepare(args.postgres_url, "national")
    print(f"data: {harness.counts(app)}" + (f", generated in {generated / 60:.1f} min" if generated else ""))
    started = time.perf_counter()
    ind = harness.measure_indicators(app)
    ratio = ind["set_s"] / ind["count_s"]
    print(f"full indicator set of last year ({ind['computed']} values): {ind['set_s']:.2f} s (target ≤ 10 s); "
          f"SELECT count(*) over {ind['visits']} visits: {ind['count_s']:.3f} s; ratio {ratio:.1f} × (target ≤ 4 ×); "
          f"measured in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
