"""`make bench`: the small and city tiers on SQLite and PostgreSQL, every figure of the scale issue beside its
target, in one run (ratios, since machines are noisy).

    .venv/bin/python -m bench.run [--postgres-url URL] [--repeat 30] [--load-users 50] [--load-seconds 300]
    .venv/bin/python -m bench.run --quick      (or CASEWORK_BENCH_QUICK=1): small tier only, 4 requests a page,
                                               a 10 s load test of 6 users; a smoke test of the bench (< 2 min)

Pages: `/healthz`, every entry of the navigation of every role (`harness.pages()` reads `navigation.NAV`), the
search page once the app has one (`harness.search_pages`), the family page, saving a visit, the annual and
ministry reports, the indicator page with its cache emptied; the documents (DOCX/XLSX) are measured apart. Each
page is printed against both targets at p95: city/small ≤ 1.5 and, at the city tier, ≤ 10 × the start page's p95
in the same run.

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

PAGE_RATIO, START_RATIO = 1.5, 10.0
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
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("CASEWORK_BENCH_QUICK")),
                        help="small tier only, few rounds, a short load test (also CASEWORK_BENCH_QUICK=1)")
    args = parser.parse_args(argv)
    if args.quick:
        args.tiers, args.repeat = "small", min(args.repeat, 4)
        args.load_users, args.load_seconds = min(args.load_users, 6), min(args.load_seconds, 10)
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
                entry["pages"] = harness.measure_pages(app, args.repeat, progress=lambda m: print(m, flush=True),
                                                       warmup=1 if args.quick else 3)
                print(f"[{backend} {tier}] indicator set…", flush=True)
                entry["indicators"] = harness.measure_indicators(app)
                if tier == tiers[-1] and not args.quick:
                    print(f"[{backend} {tier}] memory per worker…", flush=True)
                    with harness.gunicorn(url, workers=2) as (base, master):
                        for login in ("asystent1", "koordynator"):
                            user = harness.User(base, login)
                            for path in ("/", "/families/mine", "/families/", "/visits/day", "/deadlines/",
                                         "/reports/indicators", "/reports/dashboard"):
                                for _ in range(3):
                                    user.get(path)
                        entry["rss_mib"] = [harness.rss_mib(p) for p in harness.worker_pids(master)]
                load_here = (backend == "PostgreSQL") or len(backends) == 1
                if tier == tiers[-1] and load_here and args.load_seconds > 0:
                    print(f"[{backend} {tier}] load: {args.load_users} users for {args.load_seconds:.0f} s…",
                          flush=True)
                    # keep-alive above the clients' longest think time (2 s), as the README's recipe says
                    with harness.gunicorn(url, workers=2 if args.quick else 4, keep_alive=5) as (base, _master):
                        entry["load"] = harness.load_test(base, app, args.load_users, args.load_seconds,
                                                          think=(0.5, 2.0))
                figures[(backend, tier)] = entry
    report(figures, backends, tiers, args, time.perf_counter() - began)


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def report(figures, backends, tiers, args, total_s):
    small, city = tiers[0], tiers[-1]
    has_city = city != small
    all_pages = harness.pages()
    lines = [f"Machine: {machine()}. Whole run: {total_s / 60:.1f} min; {args.repeat} requests per page "
             f"(after {1 if args.quick else 3} warm-up){' — QUICK MODE (smoke test, figures not comparable)' if args.quick else ''}.", ""]
    for backend, _url in backends:
        city = tiers[-1]
        s = figures[(backend, small)]
        c = figures[(backend, city)] if has_city else None
        lines.append(f"### {backend}")
        lines.append("")
        data = f"Data: {small} {s['counts']} (generated in {s['generated_s']:.0f} s)"
        if c:
            data += f"; {city} {c['counts']} (generated in {c['generated_s']:.0f} s)"
        lines += [data + ".", ""]
        start = c["pages"][_start_key(all_pages)][1] if c else None
        if not c:  # name the columns of the tier not run as the target's tier
            city = "city"
        lines.append(f"| page [role] | {small} p50 ms | {small} p95 ms | {city} p50 ms | {city} p95 ms | "
                     f"{city}/{small} p95 (≤ {PAGE_RATIO}) | {city} p95 / start page p95 (≤ {START_RATIO:g}) |")
        lines.append("|---|---|---|---|---|---|---|")
        misses = []
        for document in (False, True):
            if document:
                lines += ["", "Documents (files built; measured apart, not held to the page targets):", "",
                          f"| document | {small} p50 ms | {small} p95 ms | {city} p50 ms | {city} p95 ms | "
                          f"{city}/{small} p95 |", "|---|---|---|---|---|---|"]
            for page in all_pages:
                if page.document != document:
                    continue
                sp = s["pages"][page.key]
                cp = c["pages"][page.key] if c else (None, None)
                ratio = cp[1] / sp[1] if c and sp[1] else None
                vs = cp[1] / start if c and start else None
                ratio_cell = "city not run" if ratio is None else f"{ratio:.2f}"
                if ratio is not None and ratio > PAGE_RATIO and not document:
                    ratio_cell += " **✗ MISS**"
                    misses.append(f"{page.label}: {city}/{small} p95 {ratio:.2f}")
                if document:
                    lines.append(f"| {page.label} | {_ms(sp[0])} | {_ms(sp[1])} | {_ms(cp[0])} | {_ms(cp[1])} | "
                                 f"{ratio_cell} |")
                    continue
                vs_cell = "city not run" if vs is None else f"{vs:.1f}"
                if vs is not None and vs > START_RATIO:
                    vs_cell += " **✗ MISS**"
                    misses.append(f"{page.label}: {vs:.1f} × the start page")
                lines.append(f"| {page.label} | {_ms(sp[0])} | {_ms(sp[1])} | {_ms(cp[0])} | {_ms(cp[1])} | "
                             f"{ratio_cell} | {vs_cell} |")
        lines.append("")
        if c:
            lines.append(f"Misses ({len(misses)}): " + ("; ".join(misses) if misses else "none") + ".")
        else:
            lines.append(f"Only the {small} tier was run: the page targets need the city tier (not measured).")
        lines.append("")
        ind = (c or s)["indicators"]
        ratio = ind["set_s"] / ind["count_s"] if ind["count_s"] else float("inf")
        tier = tiers[-1] if c else small
        lines.append("| figure | value | target | met |")
        lines.append("|---|---|---|---|")
        lines.append(f"| full indicator set of last year at {tier} ({ind['computed']} values) | "
                     f"{ind['set_s']:.3f} s | ≤ {SET_CITY_S:g} s at city | {_mark(ind['set_s'] <= SET_CITY_S)} |")
        lines.append(f"| … against one `SELECT count(*)` over {ind['visits']} visits ({ind['count_s']:.4f} s) | "
                     f"{ratio:.1f} × | ≤ {SET_VS_COUNT:g} × | {_mark(ratio <= SET_VS_COUNT)} |")
        last = c or s
        if "rss_mib" in last:
            rss = ", ".join(f"{r:.0f}" for r in last["rss_mib"])
            lines.append(f"| memory per gunicorn worker at {tier} (RSS after the main pages) | {rss} MiB | "
                         f"printed | — |")
        if "load" in last:
            ld = last["load"]
            lines.append(f"| load at {tier}: {ld['users']} users ({ld['coordinators']} coordinators), "
                         f"{ld['seconds']:.0f} s, {ld['requests']} requests — errors | "
                         f"{ld['errors']} | 0 | {_mark(ld['errors'] == 0)} |")
            lines.append(f"| load: p50 / p95 / p99 (all requests, logins included) | {ld['p50']:.0f} / "
                         f"{ld['p95']:.0f} / {ld['p99']:.0f} ms | p99 < {LOAD_P99_MS:g} ms | "
                         f"{_mark(ld['p99'] < LOAD_P99_MS)} |")
            for kind, (n, k50, k95, k99) in ld["by_kind"].items():
                lines.append(f"| load: {kind} requests ({n}) p50 / p95 / p99 | {k50:.0f} / {k95:.0f} / {k99:.0f} ms"
                             f" | printed | — |")
            lines.append(f"| load: visits saved / found in the database afterwards | {ld['saved']} / {ld['found']} "
                         f"| equal | {_mark(ld['saved'] == ld['found'])} |")
            if ld["error_samples"]:
                lines.append(f"| load: first errors | {'; '.join(map(str, ld['error_samples']))} | | |")
        lines.append("")
    print("\n" + "\n".join(lines))


def _start_key(all_pages):
    return next(p.key for p in all_pages if (p.endpoint, p.login) == harness.START and not p.document)


if __name__ == "__main__":
    main()
