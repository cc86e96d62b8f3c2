"""Fuzzing the service provider forms and filters: whatever is sent, no 500 and no write."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import ComplianceCheck, TrainingArrangement
from pages.dates import PARTS
from tests.factories import CertificationFactory, TrainingArrangementFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.text(max_size=300) | st.sampled_from(["", "2026-02-30", "-1", "0", "9" * 30, "\x00"])
CHECK_FIELDS = [
    "arrangement",
    "checked_on",
    "outcome",
    "scope_covers_populations",
    "scope_covers_settings",
    "scope_covers_content",
    "evidence",
    "next_review_due",
]


def _clean(value):
    # Django's test client cannot send NUL in a form field name or lone surrogates.
    return value.encode("utf-8", "replace").decode("utf-8")


@FUZZ
@given(data=st.fixed_dictionaries(dict.fromkeys(CHECK_FIELDS, junk)))
def test_check_form_never_fails_and_never_half_writes(client, user_a, service_provider_a, data):
    client.force_login(user_a)
    data = {k: _clean(v) for k, v in data.items()}
    data["evidence"] = ""  # always invalid: nothing may be saved
    response = client.post(reverse("compliance:check_new", args=[service_provider_a.slug]), data)
    assert response.status_code == 200
    assert not ComplianceCheck.objects.exists()


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["on", "outcome", "training_provider", "page", "q", "provider"]),
        junk,
    )
)
def test_lists_and_searches_never_fail(client, user_a, service_provider_a, params):
    client.force_login(user_a)
    params = {k: _clean(v) for k, v in params.items()}
    slug = service_provider_a.slug
    for name in ("service_provider", "check_list", "check_export", "arrangement_new"):
        response = client.get(reverse(f"compliance:{name}", args=[slug]), params)
        assert response.status_code in (200, 404), name
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "route": junk,
            **{f"{name}_{part}": junk for name in ("ends_on", "starts_on") for part in PARTS},
        }
    )
)
def test_arrangement_forms_never_fail(client, user_a, service_provider_a, data):
    client.force_login(user_a)
    data = {k: _clean(v) for k, v in data.items()}
    arrangement = TrainingArrangement.objects.filter(
        service_provider=service_provider_a
    ).first() or TrainingArrangementFactory(
        service_provider=service_provider_a, training_provider=CertificationFactory().provider
    )
    slug = service_provider_a.slug
    end = client.post(reverse("compliance:arrangement_end", args=[slug, arrangement.pk]), data)
    assert end.status_code in (200, 302, 404)  # 404 once a valid date has ended it
    new = client.post(
        reverse("compliance:arrangement_new", args=[slug]),
        {**data, "training_provider": arrangement.training_provider.slug},
    )
    assert new.status_code in (200, 302, 404)
