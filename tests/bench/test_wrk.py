"""Reading wrk's report: the figures the bench uses, in milliseconds, and errors never missed;
and bench/distinct.lua's requests as a server receives them."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.wrk import DISTINCT_SCRIPT, WrkError, command, parse, request_line, run

CLEAN = """\
Running 10s test @ http://127.0.0.1:8011/healthz
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.15ms    4.69ms  31.28ms   76.76%
    Req/Sec   462.63    129.55   828.00     70.73%
  Latency Distribution
     50%    5.83ms
     75%    9.65ms
     90%   13.34ms
     99%   23.72ms
  9252 requests in 10.01s, 2.13MB read
Requests/sec:    924.31
Transfer/sec:    218.05KB
"""

SLOW_WITH_ERRORS = """\
Running 10s test @ http://127.0.0.1:8011/providers/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   300.00ms   2.50s    70.00%
    Req/Sec     3.10      2.00     9.00     80.00%
  Latency Distribution
     50%  950.00us
     75%    1.10s
     90%    1.40s
     99%    2.01m
  61 requests in 10.02s, 3.50MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:      6.09
Transfer/sec:    357.70KB
"""


def test_a_clean_report_gives_throughput_and_latency_in_milliseconds():
    result = parse(CLEAN)
    assert result.requests_per_second == 924.31
    assert result.p50_ms == pytest.approx(5.83)
    assert result.p99_ms == pytest.approx(23.72)
    assert result.requests == 9252
    assert result.failed == 0


def test_every_unit_wrk_writes_is_converted_and_errors_are_counted():
    result = parse(SLOW_WITH_ERRORS)
    assert result.p50_ms == pytest.approx(0.95)  # microseconds
    assert result.p99_ms == pytest.approx(2.01 * 60 * 1000)  # minutes
    assert result.requests_per_second == 6.09
    assert (result.non_2xx_3xx, result.socket_errors, result.failed) == (4, 3, 7)


def test_a_report_without_the_latency_distribution_is_refused():
    without = "\n".join(line for line in CLEAN.splitlines() if "%" not in line or "Req" in line)
    with pytest.raises(WrkError, match="50%"):
        parse(without)


def test_an_unreadable_report_is_refused_not_read_as_zero():
    with pytest.raises(WrkError):
        parse("unable to connect to 127.0.0.1:8011 Connection refused\n")


def test_the_command_carries_every_header_and_a_long_timeout():
    headers = {"Cookie": "sessionid=abc", "Authorization": "Bearer rrn_x_y"}
    args = command("http://127.0.0.1:8011/x/", duration=5, headers=headers)
    assert args[:5] == ["wrk", "-t2", "-c8", "-d5s", "--latency"]
    assert args[args.index("--timeout") + 1] == "30s"
    given = [args[i + 1] for i, arg in enumerate(args) if arg == "-H"]
    assert given == ["Cookie: sessionid=abc", "Authorization: Bearer rrn_x_y"]
    assert args[-1] == "http://127.0.0.1:8011/x/"


def test_the_distinct_address_script_says_where_the_next_run_starts():
    report = CLEAN + "Distinct addresses: next 5670 of 20000\n"
    result = parse(report)
    assert (result.next_address, result.addresses, result.repeated_addresses) == (
        5670,
        20000,
        False,
    )
    assert parse(CLEAN + "Distinct addresses: next 20008 of 20000\n").repeated_addresses
    assert parse(CLEAN).next_address is None
    args = command("http://127.0.0.1:8011/", duration=3, distinct=("/tmp/a.txt", 120))
    assert args[args.index("-s") + 1 : args.index("--")] == [
        str(DISTINCT_SCRIPT),
        "http://127.0.0.1:8011/",
    ]
    assert args[args.index("--") + 1 :] == ["/tmp/a.txt", "120", "2"]


def test_a_request_line_is_a_path_or_a_path_and_a_body_to_post():
    assert request_line("/providers/?q=Ashford") == "/providers/?q=Ashford"
    assert request_line("/api/v1/verifications/", '{"a":[1, 2]}') == (
        '/api/v1/verifications/ {"a":[1, 2]}'
    )
    with pytest.raises(WrkError):
        request_line("/x/", '{\n"a": 1}')  # a body on two lines would be two requests
    with pytest.raises(WrkError):
        request_line("/x y/")


class Recorder(BaseHTTPRequestHandler):
    """Answers 200 and keeps (method, path, Content-Type, Authorization, body)."""

    seen = []

    def _answer(self, body=b""):
        self.seen.append(
            (
                self.command,
                self.path,
                self.headers.get("Content-Type"),
                self.headers.get("Authorization"),
                body.decode(),
            )
        )
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer(self.rfile.read(int(self.headers["Content-Length"])))

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # wrk drops its connections mid-request as it stops


@pytest.fixture
def recording_server():
    Recorder.seen = []
    server = QuietServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, Recorder.seen
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_distinct_script_posts_each_lines_body_with_the_headers(tmp_path, recording_server):
    server, seen = recording_server
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    token = {"Authorization": "Bearer rrn_abc_def"}
    lines = [
        request_line("/api/v1/verifications/", f'{{"certificates":["N-{n}"]}}') for n in range(3)
    ]
    posts = tmp_path / "posts.txt"
    posts.write_text("\n".join(lines) + "\n")
    run(url, duration=1, headers={**token, "Content-Type": "application/json"}, distinct=(posts, 1))
    assert seen, "wrk sent nothing"
    assert {s[:4] for s in seen} == {
        ("POST", "/api/v1/verifications/", "application/json", "Bearer rrn_abc_def")
    }
    # Every line in turn: each body whole, none made up.
    assert {s[4] for s in seen} == {f'{{"certificates":["N-{n}"]}}' for n in range(3)}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_distinct_script_gets_a_line_without_a_body(tmp_path, recording_server):
    server, seen = recording_server
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    token = {"Authorization": "Bearer rrn_abc_def"}
    paths = tmp_path / "paths.txt"
    paths.write_text("/providers/?q=a\n/providers/?q=b\n")
    result = run(url, duration=1, headers=token, distinct=(paths, 0))
    assert {(s[0], s[1], s[4]) for s in seen} == {
        ("GET", "/providers/?q=a", ""),
        ("GET", "/providers/?q=b", ""),
    }
    assert result.addresses == 2 and result.repeated_addresses  # 2 lines: asked again
