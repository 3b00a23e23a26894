from django.urls import path
from django.views.generic import RedirectView

from forums.views import calendar, chair, forum, matching, meetings

app_name = "forums"

urlpatterns = [
    # The forum's pages share a prefix of their own, so that the navigation marks "Forums" and
    # "Meetings" apart.
    path("", RedirectView.as_view(pattern_name="forums:home", permanent=False)),
    path("permanency/", forum.HomeView.as_view(), name="home"),
    path("permanency/next-agenda/", chair.NextAgendaView.as_view(), name="next-agenda"),
    path("permanency/sessions/new/", forum.SessionCreateView.as_view(), name="session-create"),
    path("permanency/sessions/<int:pk>/", forum.SessionDetailView.as_view(), name="session-detail"),
    path(
        "permanency/sessions/<int:pk>/change/",
        forum.SessionUpdateView.as_view(),
        name="session-update",
    ),
    path(
        "permanency/sessions/<int:pk>/cancel/",
        forum.SessionCancelView.as_view(),
        name="session-cancel",
    ),
    path(
        "permanency/sessions/<int:pk>/agenda/",
        forum.SessionAgendaView.as_view(),
        name="session-agenda",
    ),
    path(
        "permanency/sessions/<int:pk>/minutes/",
        forum.SessionMinutesView.as_view(),
        name="session-minutes",
    ),
    path("permanency/bookings/new/", forum.BookingCreateView.as_view(), name="booking-create"),
    path("permanency/bookings/<int:pk>/", forum.BookingDetailView.as_view(), name="booking-detail"),
    path(
        "permanency/bookings/<int:pk>/confirm/",
        forum.BookingConfirmView.as_view(),
        name="booking-confirm",
    ),
    path(
        "permanency/bookings/<int:pk>/decline/",
        forum.BookingDeclineView.as_view(),
        name="booking-decline",
    ),
    path(
        "permanency/bookings/<int:pk>/cancel/",
        forum.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
    path(
        "permanency/bookings/<int:pk>/withdraw/",
        forum.BookingWithdrawView.as_view(),
        name="booking-withdraw",
    ),
    path(
        "permanency/bookings/<int:pk>/presented/",
        forum.BookingPresentView.as_view(),
        name="booking-present",
    ),
    path("permanency/bookings/<int:pk>/part-1/", forum.Part1EditView.as_view(), name="part1-edit"),
    path(
        "permanency/bookings/<int:pk>/part-1/view/",
        forum.Part1DetailView.as_view(),
        name="part1-detail",
    ),
    path(
        "permanency/bookings/<int:pk>/part-1/part-1.pdf",
        forum.Part1PdfView.as_view(),
        name="part1-pdf",
    ),
    path(
        "permanency/bookings/<int:pk>/part-1/papers/<int:paper_pk>/",
        forum.Part1PaperView.as_view(),
        name="part1-attachment",
    ),
    path(
        "permanency/bookings/<int:pk>/part-1/papers/<int:paper_pk>/remove/",
        forum.Part1PaperRemoveView.as_view(),
        name="part1-attachment-remove",
    ),
    path("permanency/bookings/<int:pk>/part-2/", forum.Part2EditView.as_view(), name="part2-edit"),
    path(
        "permanency/bookings/<int:pk>/part-2/tasks/<int:task_pk>/done/",
        forum.Part2TaskDoneView.as_view(),
        name="part2-task-done",
    ),
    path(
        "permanency/bookings/<int:pk>/part-2/view/",
        forum.Part2DetailView.as_view(),
        name="part2-detail",
    ),
    path(
        "permanency/bookings/<int:pk>/part-2/part-2.pdf",
        forum.Part2PdfView.as_view(),
        name="part2-pdf",
    ),
    path("part-2-copies/", forum.Part2CopiesView.as_view(), name="part2-copies"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", meetings.MeetingCreateView.as_view(), name="meeting-create"),
    path(
        "meetings/panel-actions/",
        meetings.PanelActionListView.as_view(),
        name="panel-action-list",
    ),
    path(
        "meetings/panel-sittings/",
        meetings.PanelSittingListView.as_view(),
        name="panel-sitting-list",
    ),
    path(
        "meetings/panel-sittings/new/",
        meetings.PanelSittingCreateView.as_view(),
        name="panel-sitting-create",
    ),
    path(
        "meetings/panel-sittings/<int:pk>/",
        meetings.PanelSittingDetailView.as_view(),
        name="panel-sitting-detail",
    ),
    path(
        "meetings/escalate/<int:child_pk>/",
        meetings.PanelEscalationCreateView.as_view(),
        name="panel-escalation-create",
    ),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/record/", meetings.MeetingRecordView.as_view(), name="meeting-record"),
    path(
        "meetings/<int:pk>/actions/<int:action_pk>/done/",
        meetings.MeetingActionDoneView.as_view(),
        name="meeting-action-done",
    ),
    path(
        "meetings/<int:pk>/papers-sent/",
        meetings.MeetingPapersSentView.as_view(),
        name="meeting-papers-sent",
    ),
    path(
        "meetings/<int:pk>/assessments/<int:assessment_pk>/done/",
        meetings.MeetingAssessmentDoneView.as_view(),
        name="meeting-assessment-done",
    ),
    path(
        "meetings/<int:pk>/matching-report/",
        meetings.MatchingReportView.as_view(),
        name="meeting-matching-report",
    ),
    path(
        "meetings/<int:pk>/bundle-index.pdf",
        meetings.MeetingBundleIndexPdfView.as_view(),
        name="meeting-bundle-index-pdf",
    ),
    path(
        "meetings/<int:pk>/decision/",
        matching.MatchDecisionView.as_view(),
        name="match-decision",
    ),
    path("meetings/<int:pk>/ratify/", matching.MatchRatifyView.as_view(), name="match-ratify"),
    path("disruptions/new/", meetings.DisruptionCreateView.as_view(), name="disruption-create"),
    path(
        "disruptions/<int:pk>/",
        meetings.DisruptionDetailView.as_view(),
        name="disruption-detail",
    ),
    path(
        "disruptions/<int:pk>/extend-fee/",
        meetings.DisruptionFeeExtendView.as_view(),
        name="disruption-extend-fee",
    ),
    path(
        "disruptions/<int:pk>/outcome/",
        meetings.DisruptionOutcomeView.as_view(),
        name="disruption-outcome",
    ),
    path("calendar/", calendar.CalendarPageView.as_view(), name="calendar"),
    path("calendar.ics", calendar.CalendarDownloadView.as_view(), name="calendar-download"),
    path("calendar/<str:token>.ics", calendar.CalendarFeedView.as_view(), name="calendar-feed"),
]
