from django.urls import path

from . import views

urlpatterns = [
    path("letter/", views.letter),
    path("letter/thanks/", views.thanks),
    path("trivial", views.trivial),
]
