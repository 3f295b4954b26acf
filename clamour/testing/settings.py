"""Settings for the test suite: clamour.settings as a fresh installation would have them.

The suite must pass whatever the caller has exported (a hosting platform sets PORT;
someone may have SITE_URL, DEBUG or EMAIL_URL set for their own server). So before the
real settings are read, every environment variable they read is removed, except those
that choose where the tests run: the database (DATABASE_URL, TEST_DATABASE_NAME) and
the directory for local files (CLAMOUR_VAR_DIR). Subprocesses the tests start inherit
the same cleaned environment.
"""

import os
import re
from pathlib import Path

KEPT = {"DATABASE_URL", "TEST_DATABASE_NAME", "CLAMOUR_VAR_DIR", "LOG_LEVEL"}

_SETTINGS = Path(__file__).resolve().parent.parent / "settings.py"
# Every name settings.py reads: env.env_str("NAME", ...), env.env_int("NAME", ...), ...
READ = set(re.findall(r"env\.\w+\(\s*['\"]([A-Z][A-Z0-9_]*)['\"]", _SETTINGS.read_text()))
READ |= {"SECRET_KEY", "EMAIL_URL"}  # read inside env.secret_key() and env.parse_email_url()

for _name in sorted(READ - KEPT):
    os.environ.pop(_name, None)

from clamour.settings import *  # noqa: E402,F403
