from django.urls import path

from . import views

app_name = "supporters"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/", views.account, name="account"),
    path("account/login/", views.login, name="login"),
    path("account/login/sent/", views.login_sent, name="login_sent"),
    path("account/login/<str:token>/", views.login_link, name="login_link"),
    path("account/logout/", views.logout, name="logout"),
    path("account/email/", views.email_preferences, name="email_preferences"),
    path("account/export/", views.export, name="export"),
    path("account/erase/", views.erase, name="erase"),
    path("account/erased/", views.erased, name="erased"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
