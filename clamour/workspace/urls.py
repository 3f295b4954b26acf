from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_new, name="new"),
    path("campaigns/<slug:slug>/", views.campaign_dashboard, name="dashboard"),
    path("campaigns/<slug:slug>/retry-failed/", views.retry, name="retry"),
    path("campaigns/<slug:slug>/edit/", views.campaign_edit, name="edit"),
    path("campaigns/<slug:slug>/preview/", views.letter_preview, name="preview"),
    path("campaigns/<slug:slug>/status/", views.set_status, name="status"),
    path("campaigns/<slug:slug>/duplicate/", views.duplicate, name="duplicate"),
    path("campaigns/<slug:slug>/targets/", views.targets, name="targets"),
    path("campaigns/<slug:slug>/targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
    path("campaigns/<slug:slug>/updates/", views.updates, name="updates"),
    path("campaigns/<slug:slug>/export/", views.export, name="export"),
]
