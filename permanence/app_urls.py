from django.urls import path

from permanence import views, views_notifications
from permanence.family import views as family_views
from permanence.finding import views as finding_views
from permanence.plans import views as plan_views

app_name = "permanence"

urlpatterns = [
    path("children/", views.CaseloadView.as_view(), name="child-list"),
    path("children/new/", views.ChildCreateView.as_view(), name="child-create"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
    path("children/<int:pk>/history/", views.ChildHistoryView.as_view(), name="child-history"),
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
    # Brothers and sisters, contact and the adults around the child (001 §2.1, 002 §5).
    path(
        "children/<int:pk>/siblings/new/",
        family_views.SiblingGroupCreateView.as_view(),
        name="sibling-group-create",
    ),
    path(
        "children/<int:pk>/siblings/change/",
        family_views.SiblingGroupChangeView.as_view(),
        name="sibling-group-change",
    ),
    path(
        "children/<int:pk>/siblings/assessment/",
        family_views.SiblingAssessmentView.as_view(),
        name="sibling-assessment",
    ),
    path(
        "children/<int:pk>/siblings/evidence/",
        family_views.SiblingEvidenceView.as_view(),
        name="sibling-evidence",
    ),
    path(
        "children/<int:pk>/contact/new/",
        family_views.ContactCreateView.as_view(),
        name="contact-create",
    ),
    path(
        "children/<int:pk>/contact/<int:contact_pk>/end/",
        family_views.ContactEndView.as_view(),
        name="contact-end",
    ),
    path(
        "children/<int:pk>/supporting-adults/new/",
        family_views.SupportingAdultCreateView.as_view(),
        name="supporting-adult-create",
    ),
    path(
        "children/<int:pk>/supervision-order/new/",
        family_views.SupervisionOrderCreateView.as_view(),
        name="supervision-order-create",
    ),
    path(
        "children/<int:pk>/supervision-order/<int:order_pk>/extend/",
        family_views.SupervisionOrderExtendView.as_view(),
        name="supervision-order-extend",
    ),
    path(
        "children/<int:pk>/supervision-order/<int:order_pk>/end/",
        family_views.SupervisionOrderEndView.as_view(),
        name="supervision-order-end",
    ),
    path(
        "children/<int:pk>/placement-support/new/",
        family_views.PlacementSupportCreateView.as_view(),
        name="placement-support-create",
    ),
    # A connected person's temporary approval (CPPCR 2010 regs 24-25).
    path(
        "children/<int:pk>/connected-approval/new/",
        views.ConnectedApprovalCreateView.as_view(),
        name="connected-approval-create",
    ),
    path(
        "children/<int:pk>/connected-approval/<int:approval_pk>/extend/",
        views.ConnectedApprovalExtendView.as_view(),
        name="connected-approval-extend",
    ),
    path(
        "children/<int:pk>/connected-approval/<int:approval_pk>/outcome/",
        views.ConnectedApprovalResolveView.as_view(),
        name="connected-approval-resolve",
    ),
    # The permanence plan (SPEC §3): permanence/plans/.
    path("plans/", plan_views.PlanListView.as_view(), name="plan-list"),
    path("children/<int:pk>/plan/", plan_views.PlanForChildView.as_view(), name="plan-for-child"),
    path("children/<int:pk>/plan/new/", plan_views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", plan_views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/plan.pdf", plan_views.PlanPdfView.as_view(), name="plan-pdf"),
    path("plans/<int:pk>/edit/", plan_views.PlanUpdateView.as_view(), name="plan-update"),
    path("plans/<int:pk>/route/", plan_views.PlanRouteView.as_view(), name="plan-route"),
    path("plans/<int:pk>/ratify/", plan_views.PlanRatifyFinalView.as_view(), name="plan-ratify"),
    # Family finding, matches and orders once the plan is ratified (issue 14): permanence/finding/.
    path("plans/<int:pk>/finding/", finding_views.PlanFindingView.as_view(), name="finding"),
    path(
        "plans/<int:pk>/finding/allocate/",
        finding_views.AllocationCreateView.as_view(),
        name="finding-allocate",
    ),
    path(
        "plans/<int:pk>/finding/search/new/",
        finding_views.SearchView.as_view(),
        name="finding-search-create",
    ),
    path(
        "plans/<int:pk>/finding/search/<int:item_pk>/",
        finding_views.SearchView.as_view(),
        name="finding-search-update",
    ),
    path(
        "plans/<int:pk>/finding/matches/new/",
        finding_views.MatchView.as_view(),
        name="finding-match-create",
    ),
    path(
        "plans/<int:pk>/finding/matches/<int:item_pk>/",
        finding_views.MatchView.as_view(),
        name="finding-match-update",
    ),
    path(
        "plans/<int:pk>/finding/matches/<int:item_pk>/placed/",
        finding_views.MatchPlacedView.as_view(),
        name="finding-match-placed",
    ),
    path(
        "plans/<int:pk>/finding/orders/new/",
        finding_views.OrderView.as_view(),
        name="finding-order-create",
    ),
    path(
        "plans/<int:pk>/finding/orders/<int:item_pk>/",
        finding_views.OrderView.as_view(),
        name="finding-order-update",
    ),
    path(
        "plans/<int:pk>/finding/sgo-assessment/new/",
        finding_views.SgoAssessmentView.as_view(),
        name="finding-sgo-create",
    ),
    path(
        "plans/<int:pk>/finding/sgo-assessment/<int:item_pk>/",
        finding_views.SgoAssessmentView.as_view(),
        name="finding-sgo-update",
    ),
    path("carers/", finding_views.HouseholdListView.as_view(), name="household-list"),
    path("carers/new/", finding_views.HouseholdCreateView.as_view(), name="household-create"),
    path("carers/<int:pk>/", finding_views.HouseholdDetailView.as_view(), name="household-detail"),
    path(
        "carers/<int:pk>/edit/",
        finding_views.HouseholdUpdateView.as_view(),
        name="household-update",
    ),
    path(
        "plans/<int:pk>/actions/new/",
        plan_views.PlanActionCreateView.as_view(),
        name="plan-action-create",
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/done/",
        plan_views.PlanActionDoneView.as_view(),
        name="plan-action-done",
    ),
    path(
        "plans/<int:pk>/<slug:action>/",
        plan_views.PlanTransitionView.as_view(),
        name="plan-transition",
    ),
    path(
        "notifications/",
        views_notifications.NotificationListView.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/mark-read/",
        views_notifications.NotificationMarkReadView.as_view(),
        name="notification-mark-read",
    ),
    path(
        "notifications/e-mails/",
        views_notifications.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotificationOpenView.as_view(),
        name="notification-open",
    ),
]
