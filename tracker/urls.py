from django.urls import include, path

from tracker import backlog_views, views, worklist_views

app_name = "tracker"

urlpatterns: list = [
    path("ssda903/", include("tracker.ssda903.urls")),
    path("", include("tracker.dashboard.urls")),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline-list"),
    path("deadlines/export.csv", views.DeadlineExportView.as_view(), name="deadline-export"),
    path("tasks/", worklist_views.TasksView.as_view(), name="my-tasks"),
    path(
        "tasks/<slug:kind>/<int:pk>/done/",
        worklist_views.TaskDoneView.as_view(),
        name="task-done",
    ),
    path("backlog/", backlog_views.BacklogView.as_view(), name="backlog"),
    path("backlog/export.csv", backlog_views.BacklogExportView.as_view(), name="backlog-export"),
    path(
        "backlog/<int:pk>/review/", backlog_views.BacklogReviewView.as_view(), name="backlog-review"
    ),
]
