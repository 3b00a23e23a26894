from django.urls import path

from permanence import views

app_name = "permanence"

urlpatterns = [
    path("", views.CaseloadView.as_view(), name="child-list"),
    path("new/", views.ChildCreateView.as_view(), name="child-create"),
    path("<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
    path("<int:pk>/edit/", views.ChildUpdateView.as_view(), name="child-update"),
    path("<int:pk>/episodes/new/", views.EpisodeCreateView.as_view(), name="episode-create"),
    path(
        "<int:pk>/episodes/<int:episode_pk>/end/",
        views.EpisodeEndView.as_view(),
        name="episode-end",
    ),
]
