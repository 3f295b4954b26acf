from django.urls import path

from . import views

# The account page, its export and erasure span apps: clamour/site/urls.py, added to
# this namespace by clamour/urls.py.
app_name = "supporters"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/login/", views.login, name="login"),
    path("account/login/sent/", views.login_sent, name="login_sent"),
    path("account/login/<str:token>/", views.login_link, name="login_link"),
    path("account/logout/", views.logout, name="logout"),
    path("account/erased/", views.erased, name="erased"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
