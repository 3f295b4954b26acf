from django.urls import path

from . import staff, views

app_name = "treaties"
urlpatterns = [
    # Analysts (staff). Listed first: "staff" cannot be a treaty's address.
    path("staff/", staff.index, name="staff_index"),
    path("staff/drafts/<int:pk>/", staff.draft, name="staff_draft"),
    path("staff/drafts/<int:pk>/original/", staff.draft_source, name="staff_draft_source"),
    path("staff/drafts/<int:pk>/alignment/", staff.alignment, name="staff_alignment"),
    path("staff/drafts/<int:pk>/alignment/correct/", staff.correct, name="staff_correct"),
    path("staff/drafts/<int:pk>/verdicts/", staff.verdicts, name="staff_verdicts"),
    path("staff/drafts/<int:pk>/publish/", staff.publish, name="staff_publish"),
    path("staff/provisions/<int:pk>/", staff.provision_edit, name="staff_provision"),
    path("staff/provisions/<int:pk>/merge/", staff.provision_merge, name="staff_provision_merge"),
    path("staff/provisions/<int:pk>/split/", staff.provision_split, name="staff_provision_split"),
    path(
        "staff/corrections/<int:pk>/delete/",
        staff.correction_delete,
        name="staff_correction_delete",
    ),
    path("staff/asks/<int:pk>/", staff.ask, name="staff_ask"),
    path("staff/asks/<int:pk>/attach/", staff.attach, name="staff_attach"),
    path("staff/attachments/<int:pk>/detach/", staff.detach, name="staff_detach"),
    path(
        "staff/attachments/<int:pk>/reviewed/",
        staff.attachment_reviewed,
        name="staff_attachment_reviewed",
    ),
    path("staff/positions/<int:pk>/", staff.position_edit, name="staff_position"),
    path("staff/<slug:slug>/", staff.treaty, name="staff_treaty"),
    path("staff/<slug:slug>/edit/", staff.treaty_edit, name="staff_treaty_edit"),
    path("staff/<slug:slug>/upload/", staff.upload, name="staff_upload"),
    path("staff/<slug:slug>/asks/", staff.asks, name="staff_asks"),
    path("staff/<slug:slug>/positions/", staff.positions, name="staff_positions"),
    path(
        "staff/<slug:slug>/positions/import/", staff.positions_import, name="staff_positions_import"
    ),
    # Public.
    path("", views.treaty_list, name="index"),
    path("feed/", views.BreakdownFeed(), name="feed"),
    path(
        "subscriptions/confirm/<str:token>/",
        views.confirm_subscription,
        name="confirm_subscription",
    ),
    path("<slug:slug>/", views.treaty_detail, name="treaty"),
    path("<slug:slug>/feed/", views.BreakdownFeed(), name="treaty_feed"),
    path("<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:slug>/subscribe/check-your-email/", views.subscribed, name="subscribed"),
    path("<slug:slug>/compare/", views.compare, name="compare"),
    path("<slug:slug>/positions/", views.positions, name="positions"),
    path("<slug:slug>/positions/<str:code>/", views.country, name="country"),
    path("<slug:slug>/drafts/<slug:draft_slug>/", views.breakdown, name="breakdown"),
]
