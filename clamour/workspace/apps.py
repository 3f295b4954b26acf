from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "clamour.workspace"
    verbose_name = "Campaigner's workspace"
