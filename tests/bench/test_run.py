"""The bench harness's own rules: which databases it may drop, which round it reports, which
pages it measures, and what it checks and sends."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bench import run
from bench.wrk import WrkResult


def result(rps, p99=10.0):
    return WrkResult(rps, 1.0, p99, int(rps * 5), 0, 0)


def test_the_median_round_is_reported_with_its_own_latencies():
    runs = [result(300, p99=90), result(100, p99=400), result(200, p99=50)]
    assert run.median_run(runs) == result(200, p99=50)
    assert run.median_run([result(7)]) == result(7)


def test_each_size_gets_its_own_database_the_largest_the_configured_one():
    url = "postgres://postgres@127.0.0.1:5432/bench"
    sizes = [2000, 20000]
    assert run.size_database_url(url, 2000, sizes) == f"{url}_2000"
    assert run.size_database_url(url, 20000, sizes) == url


def test_a_database_that_does_not_look_like_a_bench_one_is_refused(monkeypatch):
    monkeypatch.delenv("BENCH_DROP_DATABASE", raising=False)
    with pytest.raises(run.BenchError, match="does not look like a bench database"):
        run.size_database_url("postgres://postgres@127.0.0.1:5432/rrn_register", 2000, [2000])
    monkeypatch.setenv("BENCH_DROP_DATABASE", "rrn_register")
    assert run.size_database_url("postgres://h/rrn_register", 2000, [2000, 20000]).endswith(
        "/rrn_register_2000"
    )


PAGES = [
    {"key": "healthz", "path": "/healthz", "actor": None},
    {"key": "register", "path": "/providers/", "actor": None},
    {"key": "api_providers", "path": "/api/v1/providers/", "actor": "api"},
    {
        "key": "api_verifications",
        "path": "/api/v1/verifications/",
        "actor": "api",
        "body": '{"certificates":["A-1"]}',
        "headers": {"Content-Type": "application/json"},
    },
]


def test_every_page_is_measured_unless_bench_pages_names_some():
    assert run.selected_pages(PAGES, None) == PAGES
    chosen = run.selected_pages(PAGES, ["api_verifications", "api_providers"])
    # In the bench's order, with /healthz: every ratio is to it.
    assert [p["key"] for p in chosen] == ["healthz", "api_providers", "api_verifications"]
    assert [p["key"] for p in run.selected_pages(PAGES, ["csv_export"])] == ["healthz"]


def test_a_page_bench_pages_names_that_does_not_exist_stops_the_bench():
    with pytest.raises(run.BenchError, match="no page api_provider: the pages are healthz, "):
        run.selected_pages(PAGES, ["api_provider"])


def test_bench_pages_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_PAGES", " api_providers, api_verifications ,")
    assert run.config()["pages"] == ["api_providers", "api_verifications"]
    monkeypatch.delenv("BENCH_PAGES")
    assert run.config()["pages"] is None


def test_only_the_bench_server_gets_the_raised_token_rates(monkeypatch):
    monkeypatch.delenv("BENCH_API_TOKEN_RATE", raising=False)
    monkeypatch.delenv("DJANGO_API_ANONYMOUS_RATE", raising=False)
    env = run.app_env(run.config())
    assert env["DJANGO_API_TOKEN_RATE"] == env["DJANGO_API_TOKEN_VERIFICATION_RATE"]
    assert env["DJANGO_API_TOKEN_RATE"] == run.DEFAULT_API_TOKEN_RATE
    assert "DJANGO_API_ANONYMOUS_RATE" not in env  # an address is limited as ever
    monkeypatch.setenv("BENCH_API_TOKEN_RATE", "50/second")
    assert run.app_env(run.config())["DJANGO_API_TOKEN_VERIFICATION_RATE"] == "50/second"


def test_a_page_carries_its_actors_credentials_and_its_own_headers():
    described = {"credentials": {"api": {"Authorization": "Bearer rrn_a_b"}}}
    assert run.page_headers(PAGES[1], described) == {}
    assert run.page_headers(PAGES[3], described) == {
        "Authorization": "Bearer rrn_a_b",
        "Content-Type": "application/json",
    }


def test_a_post_pages_requests_are_lines_of_its_path_and_bodies(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    described = {
        "pages": [
            dict(PAGES[2], distinct=["/api/v1/providers/?q=a", "/api/v1/providers/?q=b"]),
            dict(PAGES[3], distinct=['{"certificates":["B-1"]}', '{"certificates":["C-1"]}']),
        ]
    }
    files = run.write_addresses(2000, described)
    assert files["api_providers"]["file"].read_text() == (
        "/api/v1/providers/?q=a\n/api/v1/providers/?q=b\n"
    )
    assert files["api_verifications"]["file"].read_text() == (
        '/api/v1/verifications/ {"certificates":["B-1"]}\n'
        '/api/v1/verifications/ {"certificates":["C-1"]}\n'
    )
    repeated = run.write_repeated_requests(2000, described)
    assert list(repeated) == ["api_verifications"]  # a GET page is repeated by wrk itself
    assert repeated["api_verifications"].read_text() == (
        '/api/v1/verifications/ {"certificates":["A-1"]}\n'
    )


class Answers(BaseHTTPRequestHandler):
    """Answers a POST with the numbers it was sent, found except "GONE"."""

    def do_POST(self):
        try:
            asked = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        except ValueError:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        asked = asked["certificates"]
        answer = json.dumps(
            {"results": [{"number": n, "found": n != "GONE"} for n in asked]},
            separators=(",", ":"),
        ).encode()
        status = 200 if self.headers.get("Authorization") == "Bearer rrn_a_b" else 401
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def answering_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(port=server.server_address[1])
    server.shutdown()
    server.server_close()


def found(*numbers):
    return [f'"number":"{n}","found":true' for n in numbers]


def test_a_post_page_and_its_first_distinct_body_are_checked_before_load(answering_server):
    page = dict(
        PAGES[3],
        body='{"certificates":["A-1","A-2"]}',
        expect=found("A-1", "A-2"),
        distinct=['{"certificates":["B-1"]}'],
        distinct_expect=found("B-1"),
    )
    headers = {"Authorization": "Bearer rrn_a_b", "Content-Type": "application/json"}
    assert run.check_page(answering_server, page, headers) is True
    with pytest.raises(run.BenchError, match="answered 401, not 200"):
        run.check_page(answering_server, page, {"Content-Type": "application/json"})
    # One number of the repeated set not found: not measured.
    gone = dict(page, body='{"certificates":["A-1","GONE"]}', expect=found("A-1", "GONE"))
    with pytest.raises(run.BenchError, match='does not show \'"number":"GONE","found":true\''):
        run.check_page(answering_server, gone, headers)
    # The first distinct set is checked too.
    bad_first = dict(page, distinct=['{"certificates":["GONE"]}'])
    with pytest.raises(run.BenchError, match="POST /api/v1/verifications/ does not show"):
        run.check_page(answering_server, bad_first, headers)


def test_a_sample_of_distinct_addresses_spread_over_the_list_is_checked():
    entries = [f"/providers/?v={n}" for n in range(1000)]
    sample = run.distinct_sample(entries)
    assert sample[0] == entries[0]
    assert len(sample) == run.DISTINCT_CHECKED
    assert sample[-1] == entries[-1]  # spread to the end of the list, not only its start
    assert run.distinct_sample(entries[:3]) == entries[:3]
    assert run.distinct_sample([]) == []


def test_a_distinct_body_failing_after_the_first_stops_the_bench(answering_server):
    headers = {"Authorization": "Bearer rrn_a_b", "Content-Type": "application/json"}
    ok = ['{"certificates":["B-1"]}'] * 20
    page = dict(
        PAGES[3],
        body='{"certificates":["A-1"]}',
        expect=found("A-1"),
        distinct=ok,
        distinct_expect=found("B-1"),
    )
    assert run.check_page(answering_server, page, headers) is True
    refused = dict(page, distinct=[*ok[:19], "not json"])
    with pytest.raises(run.BenchError, match="answered 500, not 200"):
        run.check_page(answering_server, refused, headers)
