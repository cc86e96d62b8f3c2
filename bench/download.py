"""The CSV export measured as a person downloads it: one client, the whole file.

wrk would measure something else (eight clients each restarting a 20,000-row download). Here:
time to the first byte of the body and to the last, over a few downloads, and how much the
serving worker's resident memory peaked above where it started.

Memory is the operating system's figure for the gunicorn workers, not Python's: each worker's
peak resident set (VmHWM in /proc/PID/status) is reset to its current size (writing 5 to
/proc/PID/clear_refs) before the first full download, and the growth reported is the largest
peak minus that starting size over both workers. It counts everything the process touched
(Python objects, the database driver's buffers, the response chunks), which tracemalloc
would miss. The first download follows a warm-up of the same view (a filtered export with few
rows), so it measures streaming the rows, not importing code; later downloads reuse memory
the first one freed, so the growth is measured over all of them and is the first one's.
"""

import contextlib
import http.client
import time
from dataclasses import dataclass
from pathlib import Path

from .report import CsvDownload, CsvResult

CHUNK = 64 * 1024
INF = float("inf")
# Seconds without a byte (20 times the target for the whole download) before the download is
# given up: reported as "none finished", a FAIL, not an error.
TIMEOUT = 60


class DownloadError(RuntimeError):
    """The export answered something other than 200, or the connection broke."""


class DownloadTimedOut(DownloadError):
    pass


def download(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        if response.status != 200:
            raise DownloadError(f"{path} answered {response.status}")
        first = response.read(1)
        first_byte = time.perf_counter() - started
        lines = first.count(b"\n")
        while chunk := response.read(CHUNK):
            lines += chunk.count(b"\n")
        total = time.perf_counter() - started
    except TimeoutError as error:
        raise DownloadTimedOut(f"{path}: no byte for {TIMEOUT} s") from error
    except OSError as error:  # refused, reset
        raise DownloadError(f"{path}: {error!r}") from error
    finally:
        connection.close()
    return CsvDownload(rows=lines - 1, first_byte_ms=first_byte * 1000, total_s=total)


@dataclass
class _Memory:
    pid: int

    def _status(self, field):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # kB
        raise RuntimeError(f"no {field} for {self.pid}")

    def reset_peak(self):
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        return self._status("VmRSS")

    def peak(self):
        return self._status("VmHWM")


def measure(server, path, *, repeats, warm_up_path):
    for _ in range(2):  # both workers, probably: each a warm-up
        with contextlib.suppress(DownloadTimedOut):  # the full download will say so
            download(server.port, warm_up_path)
    workers = [_Memory(pid) for pid in server.worker_pids()]
    before = {w.pid: w.reset_peak() for w in workers}
    downloads = []
    for _ in range(repeats):
        try:
            downloads.append(download(server.port, path))
        except DownloadTimedOut:
            downloads.append(CsvDownload(rows=0, first_byte_ms=INF, total_s=INF))
            break  # once is enough to know
    growth = max(w.peak() - before[w.pid] for w in workers)
    return CsvResult(downloads=downloads, memory_growth_mb=growth / 2**20)
