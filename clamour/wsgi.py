import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clamour.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (import every view now, not on the first request)

# What is loaded by now lives as long as the process: freeze it so that the garbage
# collector's full passes stop walking it (a few per cent of the CPU under load), and
# collect the young generation less often.
gc.collect()
gc.freeze()
gc.set_threshold(5000, 20, 20)
