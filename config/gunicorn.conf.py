"""gunicorn settings for the RRN Training Register (`make serve`, and production).

    gunicorn -c config/gunicorn.conf.py config.wsgi

Everything is read from the environment, so one file serves every instance:
PORT or GUNICORN_BIND, GUNICORN_WORKERS (or WEB_CONCURRENCY), GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_ACCESS_LOG (`off` for none). Access and error logs go to stderr as
one JSON object a line, in the same shape as the application's own log
(operations/log_format.py), with the request id.
"""

import logging
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from operations.log_format import JsonLogFormatter

bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8001')}"]
workers = int(os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 2)
# One thread a worker by default (gunicorn's sync worker, one request at a time, the
# connection closed after each response). The pages are CPU-bound (their content is kept,
# pages.content_cache), so threads added nothing under the GIL; and a threaded worker keeps
# each keep-alive connection it accepts, so with few clients one worker could hold most of
# them while the other idled: in `make bench`, throughput halved and p99 tripled at random
# (bench/README.md). More threads (GUNICORN_THREADS) suit pages that wait on I/O.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# With threads: longer than the load balancer's idle timeout (60 s on most), so the
# balancer, not gunicorn, closes idle connections: otherwise a request can race a close and
# be reset. (The sync worker says "Connection: close" on every response: no race.)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Recycle workers now and then, staggered, so a slow leak never takes an instance down.
max_requests = 1000
max_requests_jitter = 100
proc_name = "rrn-register"
# Several instances may run on one host (tests, `make serve` beside another): gunicorn's
# control socket has one fixed path per user, so it stays off.
control_socket_disable = True
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# `make bench` turns it off: a JSON line per request would weigh on every page it measures.
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "off" else "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonLogger(Logger):
    """gunicorn's logger, writing JSON lines; each request line carries its X-Request-ID."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonLogFormatter())
                # gunicorn writes its access log to stdout; keep every log line on stderr,
                # the same stream as the application's (config/settings.py LOGGING).
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
                    handler.setStream(sys.stderr)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info(
            "%s %s %s",
            atoms["m"],
            atoms["U"],
            atoms["s"],
            extra={
                "event": "http_request",
                "request_id": atoms.get("{x-request-id}o", "-"),
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(atoms["s"]),
                "bytes": atoms["B"],
                "duration_ms": round(atoms["D"] / 1000, 1),
                # The client's address as the service worked it out behind the load
                # balancer (operations.client_address), the same as its own log lines.
                "client_address": environ.get("rrn.client_address") or atoms["h"],
                "remote_addr": atoms["h"],
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
                "user_agent": atoms["a"],
            },
        )


logger_class = JsonLogger
