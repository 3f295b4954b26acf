from django.apps import AppConfig


class CalappConfig(AppConfig):
    name = "bench.calibration.calapp"
    label = "calapp"
