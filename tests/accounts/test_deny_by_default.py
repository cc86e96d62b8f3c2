"""Deny by default: LoginRequiredMiddleware sends anonymous users to sign in on every view
that is not explicitly marked `login_not_required`."""

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

pytestmark = pytest.mark.django_db


def unmarked(request):
    return HttpResponse("secret")


@login_not_required
def marked_public(request):
    return HttpResponse("hello")


urlpatterns = [
    path("new-page/", unmarked),
    path("new-public-page/", marked_public),
]


def test_login_required_middleware_is_on_after_authentication():
    middleware = settings.MIDDLEWARE
    required = middleware.index("django.contrib.auth.middleware.LoginRequiredMiddleware")
    assert required > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


@pytest.mark.urls(__name__)
def test_a_view_nobody_marked_public_needs_sign_in(client, user_a):
    response = client.get("/new-page/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/new-page/"
    client.force_login(user_a)
    assert client.get("/new-page/").content == b"secret"


@pytest.mark.urls(__name__)
def test_a_view_marked_login_not_required_is_public(client):
    assert client.get("/new-public-page/").status_code == 200


def test_an_unknown_address_is_still_a_404_for_anonymous_users(client):
    assert client.get("/no-such-page/").status_code == 404


def test_the_admin_keeps_its_own_sign_in_check(client):
    """Django marks admin views login_not_required: the admin checks staff status itself."""
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/").status_code == 200
