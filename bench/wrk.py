"""Running wrk against one URL and reading its report.

wrk prints a human report; `parse` reads the figures the bench uses from it and refuses a
report it does not understand rather than guessing.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

DISTINCT_SCRIPT = Path(__file__).with_name("distinct.lua")
THREADS = 2

# wrk writes durations with these units (its stats.c format_time).
_SECONDS_PER_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


class WrkError(RuntimeError):
    """wrk failed, or printed a report the parser does not understand."""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int  # wrk counts 3xx as success: the bench checks each URL for 200 first
    socket_errors: int  # connect + read + write + timeout
    # With bench/distinct.lua: the next unused line of the addresses file, and its length.
    next_address: int | None = None
    addresses: int | None = None

    @property
    def repeated_addresses(self):
        """Whether the run went past the end of its addresses (some were asked twice)."""
        return self.addresses is not None and self.next_address > self.addresses

    @property
    def failed(self):
        return self.non_2xx_3xx + self.socket_errors


def _ms(value, unit):
    return float(value) * _SECONDS_PER_UNIT[unit] * 1000


def parse(output: str) -> WrkResult:
    """The figures of one wrk report made with --latency."""

    def find(pattern, what):
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise WrkError(f"no {what} in wrk's output:\n{output}")
        return match

    rps = float(find(r"^Requests/sec:\s+([\d.]+)", "Requests/sec").group(1))
    p50 = find(rf"^\s+50%\s+{_DURATION}", "50% latency (was --latency given?)")
    p99 = find(rf"^\s+99%\s+{_DURATION}", "99% latency (was --latency given?)")
    requests = int(find(r"^\s+(\d+) requests in", "request count").group(1))
    non_2xx = re.search(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", output, re.MULTILINE)
    sockets = re.search(
        r"^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
        output,
        re.MULTILINE,
    )
    distinct = re.search(r"^Distinct addresses: next (\d+) of (\d+)", output, re.MULTILINE)
    return WrkResult(
        next_address=int(distinct.group(1)) if distinct else None,
        addresses=int(distinct.group(2)) if distinct else None,
        requests_per_second=rps,
        p50_ms=_ms(*p50.groups()),
        p99_ms=_ms(*p99.groups()),
        requests=requests,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def command(url, *, duration, headers=None, threads=THREADS, connections=8, distinct=None):
    """wrk's argument list. The 30 s timeout keeps slow responses in the latency figures:
    with wrk's default of 2 s they would be dropped from them and counted as errors.
    `headers` ({name: value}: a session cookie, an API token, a Content-Type) go with every
    request. `distinct`: (requests file, first line) to ask for a different address each
    request (bench/distinct.lua); `url` then gives only the server."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    args += ["--timeout", "30s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    if distinct is None:
        return [*args, url]
    path, offset = distinct
    return [*args, "-s", str(DISTINCT_SCRIPT), url, "--", str(path), str(offset), str(threads)]


def request_line(path, body=None):
    """A line of bench/distinct.lua's requests file: a path to GET, or a path and the body
    to POST to it (a body on one line, as JSON is written without its indent)."""
    if " " in path or "\n" in path or (body is not None and "\n" in body):
        raise WrkError(f"cannot put this request on one line: {path} {body}")
    return path if body is None else f"{path} {body}"


def run(url, *, duration, headers=None, distinct=None) -> WrkResult:
    args = command(url, duration=duration, headers=headers, distinct=distinct)
    finished = subprocess.run(args, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise WrkError(f"{' '.join(args)} exited {finished.returncode}: {finished.stderr}")
    return parse(finished.stdout)
