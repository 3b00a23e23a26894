from django.urls import include, path

from tracker import views

app_name = "tracker"

urlpatterns: list = [
    path("ssda903/", include("tracker.ssda903.urls")),
    path("", include("tracker.dashboard.urls")),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline-list"),
    path("deadlines/export.csv", views.DeadlineExportView.as_view(), name="deadline-export"),
]
