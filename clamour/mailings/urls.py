from django.urls import path

from . import views

app_name = "mailings"
urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("new/", views.mailing_new, name="new"),
    path("<int:pk>/", views.mailing_detail, name="detail"),
    path("<int:pk>/edit/", views.mailing_edit, name="edit"),
    path("<int:pk>/test/", views.mailing_test, name="test"),
    path("<int:pk>/send/", views.mailing_send, name="send"),
    path("<int:pk>/cancel/", views.mailing_cancel, name="cancel"),
]
