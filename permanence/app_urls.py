from django.urls import path

from permanence import views

app_name = "permanence"

urlpatterns = [
    path("children/", views.CaseloadView.as_view(), name="child-list"),
    path("children/new/", views.ChildCreateView.as_view(), name="child-create"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
    path("children/<int:pk>/edit/", views.ChildUpdateView.as_view(), name="child-update"),
    path(
        "children/<int:pk>/episodes/new/",
        views.EpisodeCreateView.as_view(),
        name="episode-create",
    ),
    path(
        "children/<int:pk>/episodes/<int:episode_pk>/end/",
        views.EpisodeEndView.as_view(),
        name="episode-end",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:pk>/",
        views.NotificationOpenView.as_view(),
        name="notification-open",
    ),
]
