from django.urls import path

from . import views

# The campaign page itself (campaigns:detail) is the actions app's: clamour/urls.py adds it.
app_name = "campaigns"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<slug:slug>/count.json", views.count_json, name="count"),
]
