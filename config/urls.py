"""The URL map: see DESIGN.md § URL map (public contract: keep these paths)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("certification.urls")),
    path("", include("providers.urls")),
    path("", include("standards.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("accounts/", include("accounts.urls")),
    path("compliance/", include("compliance.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]

# A request Django will not read (too large, too many fields) gets the site's own page.
handler400 = "pages.errors.bad_request"
