from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.IroDashboardView.as_view(), name="iro-dashboard"),
    path("children/<int:pk>/", views.ChildReviewsView.as_view(), name="child-reviews"),
    path("children/<int:pk>/iro/", views.IroAllocateView.as_view(), name="iro-allocate"),
    path("children/<int:pk>/book/", views.ReviewBookView.as_view(), name="review-book"),
    path("children/<int:pk>/record/", views.ReviewRecordView.as_view(), name="review-record"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("<int:pk>/cancel/", views.ReviewCancelView.as_view(), name="review-cancel"),
    path("<int:pk>/ratification/", views.RatificationView.as_view(), name="review-ratify"),
    path(
        "<int:pk>/ratification.pdf",
        views.RatificationPdfView.as_view(),
        name="review-ratification-pdf",
    ),
    path("<int:pk>/sgo-referral/", views.SgoReferralView.as_view(), name="sgo-referral"),
    path("<int:pk>/ppn1/", views.Ppn1CreateView.as_view(), name="ppn1-create"),
    path("ppn1/", views.Ppn1ListView.as_view(), name="ppn1-list"),
    path("ppn1/<int:pk>/", views.Ppn1DetailView.as_view(), name="ppn1-detail"),
    path("ppn1/<int:pk>/meeting/", views.Ppn1MeetingBookView.as_view(), name="ppn1-book"),
]
