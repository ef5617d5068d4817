"""`make bench`: the small and city tiers on SQLite and PostgreSQL, every figure of the scale issue beside its
target, in one run (ratios, since machines are noisy).

    .venv/bin/python -m bench.run [--postgres-url URL] [--repeat 30] [--load-users 50] [--load-seconds 300]

PostgreSQL is used when --postgres-url (or CASEWORK_BENCH_POSTGRES_URL) is given: that database is WIPED. The load
test (gunicorn, several workers) runs on PostgreSQL at the city tier; without PostgreSQL it runs on SQLite.
Prints a table at the end; nothing here fails on a missed target — the figures go in bench/RESULTS.md.
"""
import argparse
import os
import platform
import tempfile
import time

from bench import harness

PAGE_RATIO, HEALTH_RATIO = 1.5, 5.0
SET_CITY_S, SET_VS_COUNT = 1.0, 4.0
LOAD_P99_MS = 250.0


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    return f"{cores} cores, {mem:.0f} GiB, {platform.python_implementation()} {platform.python_version()}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", default=os.environ.get("CASEWORK_BENCH_POSTGRES_URL"))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=300)
    parser.add_argument("--tiers", default="small,city")
    args = parser.parse_args(argv)
    tiers = args.tiers.split(",")
    backends = [("SQLite", None)] + ([("PostgreSQL", args.postgres_url)] if args.postgres_url else [])
    figures = {}  # (backend, tier) -> dict
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for backend, pg_url in backends:
            for tier in tiers:
                url = pg_url or f"sqlite:///{os.path.join(tmp, tier + '.db')}"
                print(f"[{backend} {tier}] generating…", flush=True)
                app, generated = harness.prepare(url, tier)
                entry = {"generated_s": generated, "counts": harness.counts(app)}
                print(f"[{backend} {tier}] {entry['counts']} in {generated:.0f} s; pages…", flush=True)
                entry["pages"] = harness.measure_pages(app, args.repeat)
                print(f"[{backend} {tier}] indicator set…", flush=True)
                entry["indicators"] = harness.measure_indicators(app)
                if tier == tiers[-1]:
                    print(f"[{backend} {tier}] memory per worker…", flush=True)
                    with harness.gunicorn(url, workers=2) as (base, master):
                        for login in ("asystent1", "koordynator"):
                            user = harness.User(base, login)
                            for path in ("/", "/families/mine", "/families/", "/visits/day", "/deadlines/",
                                         "/reports/indicators/"):
                                for _ in range(3):
                                    user.get(path)
                        entry["rss_mib"] = [harness.rss_mib(p) for p in harness.worker_pids(master)]
                    load_here = (backend == "PostgreSQL") or len(backends) == 1
                    if load_here and args.load_seconds > 0:
                        print(f"[{backend} {tier}] load: {args.load_users} users for {args.load_seconds:.0f} s…",
                              flush=True)
                        with harness.gunicorn(url, workers=4) as (base, _master):
                            entry["load"] = harness.load_test(base, app, args.load_users, args.load_seconds)
                figures[(backend, tier)] = entry
    report(figures, backends, tiers, args, time.perf_counter() - began)


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(figures, backends, tiers, args, total_s):
    small, city = tiers[0], tiers[-1]
    lines = [f"Machine: {machine()}. Whole run: {total_s / 60:.1f} min; {args.repeat} requests per page "
             f"(after 3 warm-up).", ""]
    for backend, _url in backends:
        s, c = figures[(backend, small)], figures[(backend, city)]
        lines.append(f"### {backend}")
        lines.append("")
        lines.append(f"Data: {small} {s['counts']} (generated in {s['generated_s']:.0f} s); "
                     f"{city} {c['counts']} (generated in {c['generated_s']:.0f} s).")
        lines.append("")
        lines.append(f"| page | {small} p50 ms | {small} p95 ms | {city} p50 ms | {city} p95 ms | "
                     f"{city}/{small} (≤ {PAGE_RATIO}) | page/healthz at {city} (≤ {HEALTH_RATIO:g}) |")
        lines.append("|---|---|---|---|---|---|---|")
        health = c["pages"]["healthz"][0]
        for label, *_rest in harness.PAGES:
            sp, cp = s["pages"][label], c["pages"][label]
            ratio, vs = cp[0] / sp[0], cp[0] / health
            lines.append(f"| {label} | {sp[0]:.2f} | {sp[1]:.2f} | {cp[0]:.2f} | {cp[1]:.2f} | "
                         f"{ratio:.2f} {'' if ratio <= PAGE_RATIO else '✗'} | "
                         f"{vs:.1f} {'' if label == 'healthz' or vs <= HEALTH_RATIO else '✗'} |")
        lines.append("")
        ind = c["indicators"]
        ratio = ind["set_s"] / ind["count_s"] if ind["count_s"] else float("inf")
        lines.append("| figure | value | target | met |")
        lines.append("|---|---|---|---|")
        lines.append(f"| full indicator set of last year at {city} ({ind['computed']} values) | "
                     f"{ind['set_s']:.3f} s | ≤ {SET_CITY_S:g} s | {_mark(ind['set_s'] <= SET_CITY_S)} |")
        lines.append(f"| … against one `SELECT count(*)` over {ind['visits']} visits ({ind['count_s']:.4f} s) | "
                     f"{ratio:.1f} × | ≤ {SET_VS_COUNT:g} × | {_mark(ratio <= SET_VS_COUNT)} |")
        if "rss_mib" in c:
            rss = ", ".join(f"{r:.0f}" for r in c["rss_mib"])
            lines.append(f"| memory per gunicorn worker at {city} (RSS after the main pages) | {rss} MiB | "
                         f"printed | — |")
        if "load" in c:
            ld = c["load"]
            lines.append(f"| load: {ld['users']} users, {ld['seconds']:.0f} s, {ld['requests']} requests — errors | "
                         f"{ld['errors']} | 0 | {_mark(ld['errors'] == 0)} |")
            lines.append(f"| load: p50 / p95 / p99 | {ld['p50']:.0f} / {ld['p95']:.0f} / {ld['p99']:.0f} ms | "
                         f"p99 < {LOAD_P99_MS:g} ms | {_mark(ld['p99'] < LOAD_P99_MS)} |")
            lines.append(f"| load: visits saved / found in the database afterwards | {ld['saved']} / {ld['found']} "
                         f"| equal | {_mark(ld['saved'] == ld['found'])} |")
            if ld["error_samples"]:
                lines.append(f"| load: first errors | {'; '.join(ld['error_samples'])} | | |")
        lines.append("")
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
