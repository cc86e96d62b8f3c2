from django.urls import path

from . import follow_views, staff_views, views

app_name = "providers"

urlpatterns = [
    path("providers/", views.TrainingProviderListView.as_view(), name="list"),
    path("providers/export.csv", views.export_csv, name="export_csv"),
    path("providers/export.json", views.export_json, name="export_json"),
    path("providers/<slug:slug>/", views.training_provider_detail, name="detail"),
    path("providers/<slug:slug>/manage/", staff_views.provider_manage, name="manage"),
    path("providers/<slug:slug>/follow/", follow_views.follow, name="follow"),
    path("providers/<slug:slug>/follow/sent/", follow_views.follow_sent, name="follow_sent"),
    path(
        "providers/<slug:slug>/follow/confirm/<str:token>/",
        follow_views.follow_confirm,
        name="follow_confirm",
    ),
    path("providers/<slug:slug>/unsubscribe/<str:token>/", follow_views.unfollow, name="unfollow"),
]
