from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("campaigns/<slug:slug>/act/", views.submit, name="submit"),
    path("campaigns/<slug:slug>/thanks/<str:token>/", views.thanks, name="thanks"),
    path("campaigns/<slug:slug>/thanks/<str:token>/resend/", views.resend, name="resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
