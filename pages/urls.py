from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.StartPageView.as_view(), name="start"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
