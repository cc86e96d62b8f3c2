"""Schemathesis against the API's own schema (issue 17, quality bars): every operation with
generated inputs, anonymously and with tokens of a certification body (read and write), a
service provider and a commissioner. No answer may be a server error, and every answer must
be one the schema documents, in the shape it documents (problem details for errors).

It runs in the PostgreSQL pass of CI (.ci/run; skipped on SQLite, where the rest of the API's
tests run): the database the register is served from. Inputs are derandomized and limited
(MAX_EXAMPLES a caller and operation), so a run is reproducible and takes a few minutes.
"""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from certification.statuses import Status
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _token(organisation, scope):
    membership = MembershipFactory.of(organisation)
    _token, text = ApiToken.issue(
        name="Schemathesis",
        membership=membership,
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=1),
        created_by=membership.user,
    )
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def callers(db):
    """The register with something of each kind to find, and a caller of each kind."""
    body = CertificationBodyFactory(slug="body")
    provider = TrainingProviderFactory(slug="provider")
    CertificationFactory(provider=provider, body=body, certificate_number="RRN-1")
    suspended = TrainingProviderFactory(slug="suspended")
    CertificationFactory(provider=suspended, body=body, status=Status.SUSPENDED)
    service = ServiceProviderFactory(slug="service")
    for trainer in (provider, suspended):
        arrangement = TrainingArrangementFactory(
            service_provider=service, training_provider=trainer
        )
        ComplianceCheckFactory(arrangement=arrangement)
    commissioner = CommissionerFactory(slug="commissioner")
    ContractFactory(commissioner=commissioner, service_provider=service)
    ContractFactory(commissioner=commissioner, pending=True)
    return {
        "anonymous": {},
        "body_write": _token(body, ApiToken.Scope.WRITE),
        "service_provider": _token(service, ApiToken.Scope.READ),
        "commissioner": _token(commissioner, ApiToken.Scope.READ),
    }


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """As Django's test client does: a request does not close the database connection, which
    holds the test's transaction (the WSGI app is called here as a server would)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/minute")


if connection.vendor != "postgresql":
    pytest.skip(
        "Schemathesis runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
        allow_module_level=True,
    )

# Loaded when the tests are collected (schemathesis's fixture-loaded schemas need an older
# pytest): the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
