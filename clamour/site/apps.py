from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: what runs the whole site (the web server, the task worker, the demo)
    and work that spans apps (retention). It may import every app; no app imports it."""

    name = "clamour.site"
    label = "site"
