"""Standing actors for the admin: a site administrator, staff of body A and of body B."""

import pytest

from certification.staff import add_body_staff
from tests.factories import CertificationBodyFactory, UserFactory


@pytest.fixture
def body_a():
    return CertificationBodyFactory(name="Body A")


@pytest.fixture
def body_b():
    return CertificationBodyFactory(name="Body B")


@pytest.fixture
def certifier_a(body_a):
    return add_body_staff(UserFactory(email="certifier@example.org"), body_a)


@pytest.fixture
def certifier_b(body_b):
    return add_body_staff(UserFactory(email="certifier2@example.org"), body_b)


@pytest.fixture
def admin_client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
