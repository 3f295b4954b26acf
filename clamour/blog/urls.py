from django.urls import path

from . import feeds, views

app_name = "blog"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.LatestPostsAtom(), name="feed"),
    path("rss/", feeds.LatestPostsRss(), name="rss"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("images/<int:pk>/", views.image, name="image"),
    path("<slug:slug>/", views.post, name="post"),
]
