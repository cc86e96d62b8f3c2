"""`make bench`: the register's throughput and latency at two sizes, against its targets.

For each size (BENCH_SIZES, default 2,000 and 20,000 providers): its own database (the one
configured for the largest, `<name>_<size>` for the others), emptied, migrated, filled by
`generate_load_data`, vacuumed; and its own gunicorn with the production settings and 2
workers. Each page of bench/pages.py is checked once for a 200 showing what it should. Then
the pages are loaded by wrk (2 threads, 8 connections, BENCH_WARMUP s discarded then
BENCH_DURATION s measured) in BENCH_ROUNDS rounds, each page at every size back to back, so
that the machine's drift over minutes weighs on both sizes alike; each figure is the round
with the median throughput. Each page is measured two ways: one address asked again and
again (served from kept content after the first), and each request a different address
(bench/distinct.lua over bench/pages.py's real addresses, none repeated within the run).
Then the CSV export is downloaded whole (bench/download.py). BENCH_PAGES=key,key… measures
only those pages (and /healthz, the reference; `csv_export` for the CSV export).
The table (bench/report.py) goes to stdout and to bench/results/latest.md. bench/README.md
says how to read it.

Exit status: 0 when everything was measured, whether or not the targets were met (the table
says which failed); 2 when the harness could not measure (no PostgreSQL or wrk, a page not
answering 200, wrk seeing errors); with BENCH_STRICT=1, 1 when a target failed.
"""

import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import download, report, wrk
from bench.server import Gunicorn, ServerError, request

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
CSV_KEY = "csv_export"  # the CSV export's name in BENCH_PAGES
# The API's token rates for the bench's server (bench/README.md § What it does, 3): far above
# what 8 connections can ask, so the bench measures the API, throttle included, not 429s.
DEFAULT_API_TOKEN_RATE = "100000/second"


class BenchError(RuntimeError):
    """The harness could not measure: reported loudly, exit status 2."""


def say(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def config():
    url = (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )
    return {
        "database_url": url,
        "sizes": [int(n) for n in os.environ.get("BENCH_SIZES", "2000,20000").split(",")],
        "duration": int(os.environ.get("BENCH_DURATION", "5")),
        "rounds": int(os.environ.get("BENCH_ROUNDS", "3")),
        "warmup": int(os.environ.get("BENCH_WARMUP", "2")),
        "csv_repeats": int(os.environ.get("BENCH_CSV_REPEATS", "3")),
        "port": int(os.environ.get("BENCH_PORT", "8011")),
        "drain": int(os.environ.get("BENCH_DRAIN_TIMEOUT", "120")),
        "workers": os.environ.get("BENCH_GUNICORN_WORKERS", "2"),
        "strict": os.environ.get("BENCH_STRICT", "") not in ("", "0", "false"),
        "pages": [k.strip() for k in os.environ.get("BENCH_PAGES", "").split(",") if k.strip()]
        or None,
        "api_token_rate": os.environ.get("BENCH_API_TOKEN_RATE", DEFAULT_API_TOKEN_RATE),
    }


def app_env(cfg):
    """The production settings, on the bench database, with a local secret key, and the API's
    token rates raised for this server only (the bench asks the API with a token; every
    address and every other server keeps settings.API_THROTTLE_RATES' limits)."""
    env = dict(os.environ)
    env.pop("DJANGO_STATICFILES_MANIFEST", None)  # production: hashed static file names
    env.update(
        DATABASE_URL=cfg["database_url"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY")
        or f"local-bench-only-not-secret-{socket.gethostname()}-rrn-register",
        DJANGO_SECURE_SSL_REDIRECT="false",
        GUNICORN_WORKERS=cfg["workers"],
        DJANGO_API_TOKEN_RATE=cfg["api_token_rate"],
        DJANGO_API_TOKEN_VERIFICATION_RATE=cfg["api_token_rate"],
    )
    return env


def manage(env, *args):
    finished = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{finished.stdout}{finished.stderr}")
    return finished.stdout


def _maintenance_connection(url):
    import psycopg2

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError(f"the bench needs PostgreSQL, not {parts.scheme}: set BENCH_DATABASE_URL")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection


def size_database_url(url, size, sizes):
    """The database of one size: the one configured for the last size (so it holds the
    largest data after a run), `<name>_<size>` beside it for the others. Because the bench
    drops them, it refuses a name without `bench` in it unless BENCH_DROP_DATABASE names it."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name and os.environ.get("BENCH_DROP_DATABASE") != name:
        raise BenchError(
            f"the bench drops and recreates its databases ({name}_<size>); {name!r} does not "
            f"look like a bench database. Use one with 'bench' in its name, or set "
            f"BENCH_DROP_DATABASE={name}."
        )
    if size == sizes[-1]:
        return url
    return urlunsplit(parts._replace(path=f"/{name}_{size}"))


def reset_database(env, url):
    """Drop a bench database and create it empty (`manage.py create_database`)."""
    name = urlsplit(url).path.lstrip("/")
    try:
        connection = _maintenance_connection(url)
    except ImportError as error:
        raise BenchError(f"psycopg2 missing: run `make install` ({error})") from error
    except Exception as error:  # psycopg2.OperationalError: no server, no such role…
        raise BenchError(f"cannot reach PostgreSQL at {url}: {error}") from error
    try:  # not `with connection`: psycopg2 would open a transaction, which DROP refuses
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()
    manage(env, "create_database")


def machine(url):
    connection = _maintenance_connection(url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no")
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git("rev-parse", "--short", "HEAD")
        + (" (with uncommitted changes)" * bool(changed)),
        "machine": f"{os.cpu_count()} CPUs (nproc), {cpu}, {platform.system()} "
        f"{platform.release()}",
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "wrk": (wrk_version.split("[")[0].strip() or "wrk"),
        "load average at start (1, 5, 15 min)": load,
    }


def describe(env, wanted=None):
    """The pages and credentials bench/pages.py finds in the generated data: the pages
    BENCH_PAGES names (`wanted`), or all."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        finished = subprocess.run(
            [PYTHON, "bench/pages.py", out.name], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if finished.returncode != 0:
            raise BenchError(f"bench/pages.py failed:\n{finished.stdout}{finished.stderr}")
        described = json.loads(Path(out.name).read_text())
    described["pages"] = selected_pages(described["pages"], wanted)
    return described


def selected_pages(pages, wanted):
    """The pages whose keys `wanted` names (None: every page), in the bench's order, and
    /healthz whether named or not: every ratio is to it. An unknown key stops the bench
    rather than quietly measuring less."""
    if wanted is None:
        return pages
    known = [p["key"] for p in pages] + [CSV_KEY]
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise BenchError(
            f"BENCH_PAGES names no page {', '.join(unknown)}: the pages are {', '.join(known)}"
        )
    return [p for p in pages if p["key"] in wanted or p["key"] == report.REFERENCE]


def page_headers(page, described):
    """What every request of the page carries: its actor's credentials (a session cookie,
    an API token) and its own headers (a POST's Content-Type)."""
    return {**described["credentials"].get(page["actor"], {}), **page.get("headers", {})}


def _texts(expect):
    """A page's expected text, or list of texts, as a list."""
    if expect is None:
        return []
    return [expect] if isinstance(expect, str) else list(expect)


CHECK_TIMEOUT = 60  # seconds: a page slower than this is reported as "none finished"
DISTINCT_CHECKED = 12  # of each page's distinct addresses, before load (distinct_sample)
UNFINISHED = wrk.WrkResult(0.0, float("inf"), float("inf"), 0, 0, 0)


def check_page(server, page, headers):
    """One plain request: a 200 (a redirect to sign in is not) showing the expected text
    (each of them, when a list); then a sample of its distinct addresses (or bodies, for a
    POST: `distinct_sample`), which must answer 200 too, the first showing its
    `distinct_expect`. False when it took longer than CHECK_TIMEOUT: too slow to load-test."""
    post = page.get("body") is not None
    checked = [(page["path"], page.get("body"), page["expect"])]
    for n, entry in enumerate(distinct_sample(page.get("distinct") or [])):
        expect = page.get("distinct_expect") if n == 0 else None  # the others: a 200
        checked.append((page["path"], entry, expect) if post else (entry, None, expect))
    for path, body, expect in checked:
        what = f"POST {path}" if post else path
        try:
            response = request(server.port, path, headers, body, timeout=CHECK_TIMEOUT)
        except TimeoutError:
            say(f"{what}: no answer within {CHECK_TIMEOUT} s: not load-tested")
            return False
        if response.status != 200:
            raise BenchError(f"{what} answered {response.status}, not 200: {response.body[:300]}")
        missing = [text for text in _texts(expect) if text.encode() not in response.body]
        if missing:
            raise BenchError(
                f"{what} does not show {missing[0]!r} ({len(missing)} expected texts missing)"
            )
    return True


def distinct_sample(entries, size=DISTINCT_CHECKED):
    """The first of a page's distinct addresses and others spread over the list. wrk counts a
    5xx only if it finishes within the run, and a page that fails slowly finishes few: an
    error on some addresses (a 500 on dates with more than a page of rows, once) must stop
    the bench before load, not pass as a slow page."""
    if len(entries) <= size:
        return list(entries)
    return [entries[round(n * (len(entries) - 1) / (size - 1))] for n in range(size)]


def _request_lines(page, entries):
    """bench/distinct.lua's lines for `entries`: paths, or for a POST page bodies to its path."""
    if page.get("body") is None:
        return [wrk.request_line(path) for path in entries]
    return [wrk.request_line(page["path"], body) for body in entries]


def write_addresses(size, described):
    """{page key: {"file", "next"}}: each page's distinct addresses in a file for wrk."""
    folder = RESULTS / "addresses"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for page in described["pages"]:
        if page.get("distinct"):
            path = folder / f"{size}-{page['key']}.txt"
            path.write_text("\n".join(_request_lines(page, page["distinct"])) + "\n")
            files[page["key"]] = {"file": path, "next": 0, "repeated": False}
    return files


def write_repeated_requests(size, described):
    """{page key: file}: for each POST page, its one request in a file of one line, which
    bench/distinct.lua sends again and again (wrk itself only repeats GETs)."""
    folder = RESULTS / "addresses"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for page in described["pages"]:
        if page.get("body") is not None:
            path = folder / f"{size}-{page['key']}-repeated.txt"
            path.write_text("\n".join(_request_lines(page, [page["body"]])) + "\n")
            files[page["key"]] = path
    return files


def _bench_queries(url, action="count"):
    """The bench database's queries still running (other than this one): count or cancel them."""
    name = urlsplit(url).path.lstrip("/")
    select = "count(*)" if action == "count" else "count(pg_cancel_backend(pid))"
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM pg_stat_activity WHERE datname = %s "
                "AND state = 'active' AND pid <> pg_backend_pid()",
                [name],
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def drain(server, cfg):
    """Start each measurement with nothing left running from the last.

    A page too slow for its run leaves requests going after wrk stops: gunicorn threads
    waiting on PostgreSQL (whose CPU the workers' figures do not show) and the queries
    themselves. Wait for both to finish; after BENCH_DRAIN_TIMEOUT cancel the queries and
    restart gunicorn.
    """
    deadline = time.monotonic() + cfg["drain"]
    while time.monotonic() < deadline:
        if _bench_queries(cfg["database_url"]) == 0 and server.wait_idle(timeout=2):
            return
        time.sleep(1)
    cancelled = _bench_queries(cfg["database_url"], "cancel")
    say(f"still busy after {cfg['drain']} s: cancelled {cancelled} queries, restarting gunicorn")
    server.restart()


def load(server, page, headers, cfg, distinct=None, repeated_request=None):
    """wrk's result for one page: one address again and again (a POST page: the one line of
    `repeated_request`, through bench/distinct.lua), or with `distinct` ({"file", "next"}:
    the addresses file and its first unused line, moved on by each run so that no run,
    warm-up or round asks for an address another already has) a different address each
    request."""
    drain(server, cfg)
    scripted = distinct or repeated_request
    url = f"http://127.0.0.1:{server.port}{'/' if scripted else page['path']}"
    runs = [cfg["warmup"], cfg["duration"]] if cfg["warmup"] else [cfg["duration"]]
    for duration in runs:
        addresses = (distinct["file"], distinct["next"]) if distinct else None
        if repeated_request and not distinct:
            addresses = (repeated_request, 0)
        result = wrk.run(url, duration=duration, headers=headers, distinct=addresses)
        if distinct:
            distinct["next"] = result.next_address
            distinct["repeated"] = distinct.get("repeated") or result.repeated_addresses
        if result.failed:
            # wrk does not say which status: for the API, 429s mean its throttle caught up.
            throttled = " (the API: a 429 is its throttle, BENCH_API_TOKEN_RATE)"
            raise BenchError(
                f"{_shown(page)}: {result.non_2xx_3xx} non-2xx/3xx responses and "
                f"{result.socket_errors} socket errors out of {result.requests} under load"
                + (throttled if page["actor"] == "api" and result.non_2xx_3xx else "")
            )
    if result.requests == 0:
        # Every request took longer than the run: a page too slow to measure this way, which
        # the table reports as 0 requests/s with no latency (a FAIL), not as an error.
        say(f"{page['path']}: no request finished in {cfg['duration']} s")
        return UNFINISHED
    return result


def settle_database(url):
    """VACUUM ANALYZE and CHECKPOINT the freshly loaded database, so that autovacuum and the
    checkpointer catching up with the bulk load do not share the cores with a page being
    measured (a production database is long past its load)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True  # VACUUM refuses to run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            try:
                cursor.execute("CHECKPOINT")
            except psycopg2.Error as error:  # not a superuser: the figures may be noisier
                say(f"no CHECKPOINT after loading ({error.pgerror or error})")
    finally:
        connection.close()


def prepare_size(size, cfg):
    """A database of `size` providers, ready to serve: (its cfg, its environment, the pages
    and credentials bench/pages.py found in it)."""
    sized = dict(cfg, database_url=size_database_url(cfg["database_url"], size, cfg["sizes"]))
    env = app_env(sized)
    say(f"{size:,} providers: empty database, migrate, generate data")
    reset_database(env, sized["database_url"])
    manage(env, "migrate", "--no-input")
    generated = manage(env, "generate_load_data", "--providers", str(size))
    say(next(line for line in generated.splitlines() if line.startswith("Created")))
    settle_database(sized["database_url"])
    return sized, env, describe(env, cfg["pages"])


def median_run(runs):
    """The run with the median throughput (its latencies with it)."""
    return sorted(runs, key=lambda run: run.requests_per_second)[len(runs) // 2]


def measure(cfg):
    """{size: {page key: WrkResult}}, {size: CsvResult} and the pages, every size served by
    its own gunicorn at once, loaded in turn."""
    sizes = cfg["sizes"]
    prepared = {size: prepare_size(size, cfg) for size in sizes}
    RESULTS.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        servers = {
            size: stack.enter_context(
                Gunicorn(
                    env=prepared[size][1],
                    port=cfg["port"] + index,
                    log_path=RESULTS / f"gunicorn-{size}.log",
                )
            )
            for index, size in enumerate(sizes)
        }
        checked = {}
        for size in sizes:
            sized, _, described = prepared[size]
            for page in described["pages"]:
                say(f"{size:,} providers: checking {page['path']}")
                drain(servers[size], sized)
                headers = page_headers(page, described)
                checked[size, page["key"]] = check_page(servers[size], page, headers)
        addresses = {size: write_addresses(size, prepared[size][2]) for size in sizes}
        repeated_requests = {
            size: write_repeated_requests(size, prepared[size][2]) for size in sizes
        }
        runs, distinct_runs = {}, {}
        for round_number in range(1, cfg["rounds"] + 1):
            # Alternate which size goes first, so neither always follows the other.
            order = sizes if round_number % 2 else list(reversed(sizes))
            for index in range(len(prepared[sizes[0]][2]["pages"])):
                for size in order:
                    sized, _, described = prepared[size]
                    page = described["pages"][index]
                    headers = page_headers(page, described)
                    ok = checked[size, page["key"]]
                    say(f"round {round_number}/{cfg['rounds']}, {size:,} providers: {page['path']}")
                    one = repeated_requests[size].get(page["key"])
                    run = load(servers[size], page, headers, sized, None, one) if ok else UNFINISHED
                    runs.setdefault((size, page["key"]), []).append(run)
                    distinct = addresses[size].get(page["key"])
                    if distinct is None:
                        continue
                    say(f"  the same, each request a different address ({distinct['file'].name})")
                    run = load(servers[size], page, headers, sized, distinct) if ok else UNFINISHED
                    distinct_runs.setdefault((size, page["key"]), []).append(run)
        results = {
            size: {page["key"]: median_run(runs[size, page["key"]]) for page in described["pages"]}
            for size, (_, _, described) in prepared.items()
        }
        distinct_results = {
            size: {
                key: report.Distinct(
                    median_run(distinct_runs[size, key]), addresses[size][key]["repeated"]
                )
                for key in addresses[size]
            }
            for size in sizes
        }
        csv_results = {}
        for size in sizes if cfg["pages"] is None or CSV_KEY in cfg["pages"] else []:
            sized, _, described = prepared[size]
            say(f"{size:,} providers: {described['csv']} x{cfg['csv_repeats']}")
            drain(servers[size], sized)
            csv = download.measure(
                servers[size],
                described["csv"],
                repeats=cfg["csv_repeats"],
                # A search that matches nothing: the view and its code, without the rows.
                warm_up_path=described["csv"] + "?q=no-such-provider-anywhere",
            )
            if csv.rows < size and csv.total_s != float("inf"):
                raise BenchError(f"the CSV export had {csv.rows} rows for {size} providers")
            csv_results[size] = csv
    return results, distinct_results, csv_results, prepared[sizes[-1]][2]


def _shown(page):
    """A page's address in the table: a POST says so."""
    return page["path"] if page.get("body") is None else f"POST {page['path']}"


def main():
    cfg = config()
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: `sudo apt-get install wrk` (bench/README.md)")
    env = app_env(cfg)
    about = machine(cfg["database_url"])
    say("collectstatic (DEBUG off serves hashed static files)")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    results, distinct_results, csv_results, described = measure(cfg)
    pages = [report.Page(p["key"], p["label"], _shown(p), p["actor"]) for p in described["pages"]]
    rows = report.page_rows(pages, results, distinct_results)
    settings = {
        "load": f"wrk, 2 threads, 8 connections, {cfg['warmup']} s warm-up then "
        f"{cfg['duration']} s a page, {cfg['rounds']} rounds with the sizes back to back, the "
        f"median round; CSV: {cfg['csv_repeats']} full downloads, one client",
        "server": f"gunicorn, {cfg['workers']} workers x {env.get('GUNICORN_THREADS', '1')} "
        "threads, DEBUG off, access log off, no worker recycling",
        "sizes": ", ".join(f"{n:,} providers" for n in cfg["sizes"]),
    }
    if any(p["actor"] == "api" for p in described["pages"]):
        settings["API"] = (
            f"asked with a read token of the care home load-service; the token rates "
            f"{cfg['api_token_rate']} on the bench's server (BENCH_API_TOKEN_RATE)"
        )
    if cfg["pages"] is not None:
        also = "" if report.REFERENCE in cfg["pages"] else f" and {report.REFERENCE}"
        settings["pages"] = f"only {', '.join(cfg['pages'])}{also} (BENCH_PAGES)"
    text = report.render(machine=about, settings=settings, rows=rows, csv_results=csv_results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    raw = {
        "machine": about,
        "settings": settings,
        "pages": {
            size: {k: asdict(r) for k, r in figures.items()} for size, figures in results.items()
        },
        "pages_distinct_addresses": {
            size: {k: asdict(r) for k, r in figures.items()}
            for size, figures in distinct_results.items()
        },
        "csv": {size: asdict(r) for size, r in csv_results.items()},
    }
    (RESULTS / "latest.json").write_text(json.dumps(raw, indent=2))
    print(text)
    say("load average at the end: " + ", ".join(f"{n:.2f}" for n in os.getloadavg()))
    say(f"written to {(RESULTS / 'latest.md').relative_to(ROOT)}")
    failed = [c for _, c in report.all_checks(rows, csv_results) if c.ok is False]
    return 1 if failed and cfg["strict"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, ServerError, wrk.WrkError, download.DownloadError) as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        sys.exit(2)
