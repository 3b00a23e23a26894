"""SSDA903 pages, included by tracker/urls.py under tracker/ssda903/ (names ssda903-*)."""

from django.urls import path

from tracker.ssda903 import views

urlpatterns = [
    path("", views.ReturnView.as_view(), name="ssda903-return"),
    path("export/", views.ExportView.as_view(), name="ssda903-export"),
    path("import/", views.ImportView.as_view(), name="ssda903-import"),
    path("import/<int:pk>/", views.ImportDetailView.as_view(), name="ssda903-import-detail"),
]
