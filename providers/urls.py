from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("providers/", views.TrainingProviderListView.as_view(), name="list"),
    path("providers/export.csv", views.export_csv, name="export_csv"),
    path("providers/export.json", views.export_json, name="export_json"),
    path("providers/<slug:slug>/", views.training_provider_detail, name="detail"),
]
