"""A dashboard's alert summary: the newest unread alerts and how many there are in all; the
count is not asked for when fewer alerts than are shown are unread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.alert_pages import SUMMARISED, summary
from tests.factories import AlertFactory, ServiceProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("unread", "queries"), [(0, 1), (SUMMARISED - 1, 1), (SUMMARISED, 2), (SUMMARISED + 2, 2)]
)
def test_the_count_of_unread_alerts(unread, queries):
    service, member = ServiceProviderFactory(), UserFactory()
    for _ in range(unread):
        AlertFactory(recipient=member, service_provider=service)
    AlertFactory(recipient=member, service_provider=service, read_at="2026-01-01T09:00Z")
    AlertFactory(service_provider=service)  # another member's
    with CaptureQueriesContext(connection) as captured:
        shown = summary(member, service)
    assert shown["unread_count"] == unread
    assert len(shown["alerts"]) == min(unread, SUMMARISED)
    assert len(captured) == queries
