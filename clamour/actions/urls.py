from django.urls import path

from . import page, views

app_name = "actions"
urlpatterns = [
    path("campaigns/<slug:slug>/act/", views.submit, name="submit"),
    path("campaigns/<slug:slug>/thanks/<str:token>/", views.thanks, name="thanks"),
    path("campaigns/<slug:slug>/thanks/<str:token>/resend/", views.resend, name="resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]

# The campaign page, named in the campaigns namespace by clamour/urls.py (campaigns:detail).
campaign_page = path("campaigns/<slug:slug>/", page.campaign_detail, name="detail")
