from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clamour.core"
    label = "core"
