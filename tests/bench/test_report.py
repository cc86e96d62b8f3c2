"""The bench's verdicts: ratios to /healthz in the same run, growth between sizes, targets."""

import pytest

from bench.report import (
    CsvDownload,
    CsvResult,
    Distinct,
    Page,
    all_checks,
    csv_checks,
    growth,
    page_rows,
    render,
)
from bench.wrk import WrkResult

PAGES = [
    Page("healthz", "Health check", "/healthz"),
    Page("register", "Register", "/providers/"),
    Page("commissioner_overview", "Commissioner overview", "/compliance/commissioners/c/", "co"),
]


def wrk(rps, p50=5.0, p99=50.0):
    return WrkResult(rps, p50, p99, requests=int(rps * 10), non_2xx_3xx=0, socket_errors=0)


RESULTS = {
    2000: {"healthz": wrk(1000), "register": wrk(60), "commissioner_overview": wrk(40)},
    20000: {
        "healthz": wrk(800),
        "register": wrk(48, p99=120.0),  # 0.06 of /healthz, but p99 over 100 ms
        "commissioner_overview": wrk(20),  # 0.025 < 0.03, and 2x slower
    },
}


def checks_of(row):
    return {c.name: c.ok for c in row.checks}


def test_ratios_are_to_healthz_at_the_same_size():
    healthz, register, _ = page_rows(PAGES, RESULTS)
    assert healthz.ratio == {2000: 1.0, 20000: 1.0}
    assert register.ratio == {2000: pytest.approx(0.06), 20000: pytest.approx(0.06)}


def test_growth_is_throughput_at_the_small_size_over_the_large():
    assert growth(60, 48) == pytest.approx(1.25)
    assert growth(10, 0) == float("inf")
    assert growth(0, 0.3) == float("inf")  # none finished at the small size: not measured
    _, register, overview = page_rows(PAGES, RESULTS)
    assert register.growth == pytest.approx(1.25)
    assert overview.growth == pytest.approx(2.0)


def test_targets_are_judged_at_the_largest_size():
    healthz, register, overview = page_rows(PAGES, RESULTS)
    assert checks_of(healthz) == {"p99": True, "growth": True}  # the reference has no ratio
    assert checks_of(register) == {"ratio": True, "p99": False, "growth": True}
    assert register.verdict == "FAIL: p99"
    assert checks_of(overview) == {"ratio": False, "p99": True, "growth": False}
    assert overview.verdict == "FAIL: ratio, growth"


def test_one_size_has_no_growth_to_judge():
    (row,) = page_rows(PAGES[:1], {2000: RESULTS[2000]})
    assert row.growth is None
    assert checks_of(row)["growth"] is None
    assert row.verdict == "PASS"


def csv_result(first_byte_ms=120.0, total_s=2.0, memory=30.0):
    downloads = [
        CsvDownload(20000, first_byte_ms, total_s),
        CsvDownload(20000, first_byte_ms + 500, total_s + 5),  # an outlier: medians ignore it
        CsvDownload(20000, first_byte_ms - 10, total_s - 0.1),
    ]
    return CsvResult(downloads=downloads, memory_growth_mb=memory)


def test_the_csv_export_is_judged_on_median_times_and_peak_memory():
    assert [c.ok for c in csv_checks(csv_result())] == [True, True, True]
    assert [c.ok for c in csv_checks(csv_result(301, 3.01, 50))] == [False, False, False]
    assert csv_result().first_byte_ms == 120.0


def test_all_checks_take_the_csv_export_at_the_largest_size():
    rows = page_rows(PAGES, RESULTS)
    checks = all_checks(rows, {2000: csv_result(), 20000: csv_result(total_s=4.0)})
    csv = {c.name: c.ok for what, c in checks if what == "CSV export"}
    assert csv == {"first byte": True, "total": False, "memory growth": True}


def test_the_table_shows_both_sizes_the_targets_and_the_machine():
    rows = page_rows(PAGES, RESULTS)
    text = render(
        machine={"machine": "2 CPUs"},
        settings={"load": "wrk"},
        rows=rows,
        csv_results={20000: csv_result()},
    )
    assert "- machine: 2 CPUs" in text
    assert "| page | req/s 2,000 | req/s 20,000 | ratio 2,000 | ratio 20,000 |" in text
    assert "| Register `/providers/` | 60 | 48 | 0.060 | 0.060 | ≥ 0.05 |" in text
    assert "FAIL: ratio, growth |" in text
    assert "| 20,000 | 20,000 | 120 | 2.00 | 30.0 |" in text
    assert "## Targets: 8 of 11 met" in text  # 8 page checks (3 failed) and 3 for the CSV


def test_a_page_where_no_request_finished_fails_every_check_it_has():
    results = {
        2000: {"healthz": wrk(1000), "register": wrk(5)},
        20000: {"healthz": wrk(800), "register": wrk(0.0, float("inf"), float("inf"))},
    }
    _, register = page_rows(PAGES[:2], results)
    assert checks_of(register) == {"ratio": False, "p99": False, "growth": False}
    text = render(machine={}, settings={}, rows=[register], csv_results={})
    assert "| 5.0 | 0.0 | 0.005 | 0.000 |" in text
    assert "none finished / none finished" in text


def test_a_csv_download_that_never_finished_fails_and_says_so():
    stalled = CsvResult(
        downloads=[CsvDownload(0, float("inf"), float("inf"))], memory_growth_mb=12.0
    )
    assert [c.ok for c in csv_checks(stalled)] == [False, False, True]
    assert csv_checks(stalled)[1].figure == "none finished"
    text = render(
        machine={}, settings={}, rows=page_rows(PAGES[:1], RESULTS), csv_results={20000: stalled}
    )
    assert "| 20,000 | 0 | none finished | none finished | 12.0 |" in text


def test_each_request_a_different_address_is_judged_beside_the_repeated_address():
    distinct = {
        2000: {"register": Distinct(wrk(50), repeated=True)},
        20000: {"register": Distinct(wrk(40, p99=300.0), repeated=False)},  # 0.05, p99 over
    }
    _, register, overview = page_rows(PAGES, RESULTS, distinct)
    assert register.distinct_ratio == {2000: pytest.approx(0.05), 20000: pytest.approx(0.05)}
    assert register.distinct_growth == pytest.approx(1.25)
    assert checks_of(register) == {
        "ratio": True,
        "p99": False,
        "growth": True,
        "distinct ratio": True,
        "distinct p99": False,
    }
    assert "distinct ratio" not in checks_of(overview)  # not measured that way: not judged
    text = render(machine={}, settings={}, rows=[register, overview], csv_results={})
    # repeated / distinct in each cell; † where the addresses ran out and some were repeated
    assert "| Register `/providers/` | 60 / 50† | 48 / 40 | 0.060 / 0.050 | 0.060 / 0.050 " in text
    assert "| ≥ 0.05 / ≥ 0.05 | 5.0 / 50.0 / 5.0 / 50.0 | 5.0 / 120.0 / 5.0 / 300.0 |" in text
    assert "FAIL: p99, distinct p99 |" in text
    assert (
        "| Commissioner overview `/compliance/commissioners/c/` | 40 | 20 | 0.040 | 0.025 " in text
    )


def test_the_apis_rows_have_the_registers_targets_and_the_bulk_verification_its_own():
    pages = [
        Page("healthz", "Health check", "/healthz"),
        Page("api_providers", "API provider list", "/api/v1/providers/?q=a", "api"),
        Page("api_verifications", "API bulk verification", "POST /api/v1/verifications/", "api"),
    ]
    results = {
        size: {
            "healthz": wrk(2000),
            "api_providers": wrk(100, p99=120.0),  # 0.05, p99 over the pages' 100 ms
            "api_verifications": wrk(20, p99=450.0),  # 0.01, p99 within its own 500 ms
        }
        for size in (2000, 20000)
    }
    distinct = {
        size: {
            "api_providers": Distinct(wrk(110, p99=240.0), repeated=False),
            "api_verifications": Distinct(wrk(19, p99=520.0), repeated=False),  # 0.0095
        }
        for size in (2000, 20000)
    }
    _, providers, verifications = page_rows(pages, results, distinct)
    assert checks_of(providers) == {
        "ratio": True,
        "p99": False,
        "growth": True,
        "distinct ratio": True,
        "distinct p99": True,
    }
    assert checks_of(verifications) == {
        "ratio": True,
        "p99": True,
        "growth": True,
        "distinct ratio": False,
        "distinct p99": False,
    }
    assert [c.target for c in verifications.checks] == [
        "≥ 0.01",
        "< 500 ms",
        "≤ 1.3x",
        "≥ 0.01",
        "< 500 ms",
    ]
    text = render(machine={}, settings={}, rows=[providers, verifications], csv_results={})
    assert "| API bulk verification `POST /api/v1/verifications/` | 20 / 19 | 20 / 19 |" in text
    assert "| ≥ 0.01 / ≥ 0.01 |" in text
    assert "API bulk verification p99 < 500 ms both ways (the project's own)" in text
