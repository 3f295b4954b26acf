from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("<slug:kind>/<int:pk>/post/", views.post, name="post"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/flag/", views.flag, name="flag"),
    path("received/<str:token>/", views.received, name="received"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("moderate/", views.queue, name="queue"),
    path("moderate/bulk/", views.bulk, name="bulk"),
    path("moderate/<int:pk>/", views.comment_detail, name="moderate_comment"),
    path("moderate/people/<int:pk>/", views.person, name="person"),
    path("moderate/people/<int:pk>/ban/", views.ban_person, name="ban"),
    path("moderate/people/<int:pk>/unban/", views.unban_person, name="unban"),
    path("moderate/blocklist/", views.blocklist, name="blocklist"),
    path("moderate/blocklist/<int:pk>/remove/", views.blocklist_remove, name="blocklist_remove"),
]
