"""Bad input never gives a 500, on the register list and both exports.

The rule (documented in providers/filters.py): a filter value the register does not
understand is never applied silently. The HTML list answers 200, shows the problem in the
GOV.UK error summary and lists the providers without that filter; the exports answer 400 with
a plain-text reason (data must never be broader than asked for). Unknown parameters and
pagination problems are not errors: they are ignored or clamped.
"""

import pytest
from django.core.cache import cache

from tests.factories import CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db

LONG = "x" * 20_000

# (query string, understood?) — understood ones give 200 everywhere; the others give the
# list's error summary and the exports' 400.
CASES = [
    ("q=" + LONG, False),
    ("q=a%00b", True),  # NUL becomes U+FFFD, as undecodable bytes do: nothing matches
    ("q=%ff%fe%fd", True),  # not UTF-8: decoded with replacement characters
    ("q=a&q=b&q=c", True),  # repeated: the last one counts
    ("q=%27%3B%20DROP%20TABLE%20x%3B--", True),
    ("q=%25%5F%5C", True),  # LIKE wildcards are searched for literally
    ("status=bogus", False),
    ("status=%00", False),
    ("status=certified&status=certified", True),
    ("status=", True),
    ("region=atlantis", False),
    ("region=" + LONG, False),
    ("region=%ff", False),
    ("population=nobody&setting=nowhere&specialist=nothing", False),
    ("body=no-such-body", False),
    ("kind=robot", False),
    ("ukas_valid=maybe", True),
    ("expiring=abc", False),
    ("expiring=-5", False),
    ("expiring=1.5", False),
    ("expiring=99999999999999999999999", False),
    ("expiring=%00", False),
    ("sort=upside-down", False),
    ("sort=", True),
    ("page=-1", True),
    ("page=0", True),
    ("page=abc", True),
    ("page=999999", True),
    ("page=1e9", True),
    ("page=%00", True),
    ("page=" + LONG, True),
    ("page=2&page=3", True),
    ("unknown=1&q%00=x", True),
    ("%ff%fe=%ff", True),
]


@pytest.fixture(autouse=True)
def _register(db):
    cache.clear()
    CertificationFactory(provider=TrainingProviderFactory(name="Calm Minds Training"))
    TrainingProviderFactory(name="Second Provider")


@pytest.mark.parametrize(("query", "understood"), CASES, ids=lambda v: str(v)[:40])
def test_list_never_fails_and_shows_what_it_did_not_understand(client, query, understood):
    response = client.get("/providers/?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("There is a problem" in html) is not understood
    assert "\x00" not in html


@pytest.mark.parametrize(("query", "understood"), CASES, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("export", ["csv", "json"])
def test_exports_never_fail_and_refuse_what_they_do_not_understand(
    client, query, understood, export
):
    response = client.get(f"/providers/export.{export}?" + query)
    if understood:
        assert response.status_code == 200
        b"".join(response.streaming_content)
    else:
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert b"not understood" in response.content


def test_page_out_of_range_is_clamped(client):
    for n in range(30):
        TrainingProviderFactory(name=f"Provider {n:02d}")
    assert client.get("/providers/?page=999999").context["page_obj"].number == 2
    assert client.get("/providers/?page=-1").context["page_obj"].number == 1
    assert client.get("/providers/?page=abc").context["page_obj"].number == 1


def test_unknown_value_is_named_in_the_error_and_escaped(client):
    html = client.get("/providers/?region=%3Cscript%3Ex").content.decode()
    assert "&lt;script&gt;x" in html
    assert "<script>x" not in html
    assert "is not a region on the register" in html


def test_a_bad_filter_is_ignored_and_the_good_ones_still_apply(client):
    response = client.get("/providers/?q=calm&region=atlantis")
    assert [row.name for row in response.context["rows"]] == ["Calm Minds Training"]


def test_over_long_search_is_refused_with_a_clear_message(client):
    html = client.get("/providers/?q=" + LONG).content.decode()
    assert "Search must be 200 characters or fewer" in html
    assert "x" * 1001 not in html  # not echoed whole
