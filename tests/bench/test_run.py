"""The bench harness's own rules: which databases it may drop, and which round it reports."""

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
