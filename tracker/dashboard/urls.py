"""The tracker's dashboard, measures and chronology, in the `tracker` namespace."""

from django.urls import path

from tracker.dashboard import family_finding_views, views

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export.csv", views.DashboardExportView.as_view(), name="dashboard-export"),
    path("caseload/", views.MyCaseloadView.as_view(), name="dashboard-mine"),
    path(
        "caseload/export.csv",
        views.MyCaseloadExportView.as_view(),
        name="dashboard-mine-export",
    ),
    path("measures/", views.MeasuresView.as_view(), name="measures"),
    path("measures/timeliness/", views.TimelinessView.as_view(), name="measures-timeliness"),
    path(
        "measures/timeliness/<slug:key>/",
        views.TimelinessListView.as_view(),
        name="measures-timeliness-list",
    ),
    path("children/<int:pk>/chronology/", views.ChronologyView.as_view(), name="chronology"),
    path("iros/", views.IroReviewsView.as_view(), name="iro-reviews"),
    path(
        "family-finding/",
        family_finding_views.FamilyFindingListView.as_view(),
        name="family-finding",
    ),
]
