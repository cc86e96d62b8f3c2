"""The URL map: see DESIGN.md § URL map (public contract: keep these paths)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("certification.urls")),
    path("", include("providers.urls")),
    path("", include("standards.urls")),
    path("accounts/", include("accounts.urls")),
    path("compliance/", include("compliance.urls")),
    path("admin/", admin.site.urls),
]
