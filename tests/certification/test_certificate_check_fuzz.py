"""Whatever is typed into the certificate check, the page answers (200), never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    return CertificationFactory(certificate_number="RRN-7777")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.text(max_size=300))
def test_any_text_gets_an_answer_or_a_form_error(client, certification, number):
    response = client.get("/certificates/check/", {"number": number})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "govuk-error-summary" in html
        or "No certificate with this number is on the register." in html
        or 'id="result-status"' in html
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.binary(max_size=200))
def test_any_raw_query_string_is_handled(client, query):
    from urllib.parse import quote_from_bytes

    response = client.get("/certificates/check/", QUERY_STRING=quote_from_bytes(query, safe="=&"))
    assert response.status_code == 200
