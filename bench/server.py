"""gunicorn for the bench: started with the production configuration, stopped for sure.

`config/gunicorn.conf.py` as production has it, with two changes for measuring: no access log
(GUNICORN_ACCESS_LOG=off: a JSON line per request weighs most on the cheapest responses, so
it would shrink /healthz's lead and flatter every ratio; the log file keeps the error log),
and no worker recycling (`--max-requests 0` on the command line, which overrides the file:
at /healthz's rate each worker would restart every second or two, re-importing Django on the
cores being measured).
"""

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    pass


def port_is_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Gunicorn:
    def __init__(self, *, env, port, log_path):
        self.env, self.port, self.log_path = env, port, Path(log_path)
        self.process = None

    def __enter__(self):
        if not port_is_free(self.port):
            raise ServerError(f"something already listens on 127.0.0.1:{self.port} (BENCH_PORT)")
        args = [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py"]
        args += ["--bind", f"127.0.0.1:{self.port}", "--max-requests", "0"]
        args += ["config.wsgi"]
        self.log = self.log_path.open("a" if self.process else "w")  # a restart appends
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, "GUNICORN_ACCESS_LOG": "off"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # graceful: workers finish their requests
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def _wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited {self.process.returncode}: see {self.log_path}")
            try:
                if request(self.port, "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise ServerError(f"/healthz did not answer 200 within {timeout} s: see {self.log_path}")

    def cpu_seconds(self):
        """CPU time the workers have used (utime + stime, fields 14 and 15 of /proc/PID/stat)."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, timeout):
        """Wait until the workers use under 5% of a CPU for a second: a page too slow for its
        run leaves requests running after wrk stops, which would slow the next page down.
        False when they are still busy after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(1)
            now = self.cpu_seconds()
            if now - before < 0.05:
                return True
            before = now
        return False

    def restart(self):
        self.stop()
        self.__enter__()

    def worker_pids(self):
        """The master's children, from /proc (PPid is the 4th field of /proc/PID/stat)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        if not pids:
            raise ServerError("gunicorn has no workers")
        return pids


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def request(port, path, headers=None, body=None, timeout=60):
    """One plain request (no redirects followed), the whole body read: a GET, or a POST of
    `body` when there is one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        method = "GET" if body is None else "POST"
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()
