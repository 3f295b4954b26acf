"""The account pages (clamour/site/views.py), named in the supporters namespace by
clamour/urls.py: supporters:account, supporters:export, …"""

from django.urls import path

from . import views

account_urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/email/", views.email_preferences, name="email_preferences"),
    path("account/export/", views.export, name="export"),
    path("account/erase/", views.erase, name="erase"),
]
