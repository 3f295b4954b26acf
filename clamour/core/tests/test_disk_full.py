"""A really full disk under `manage.py serve`: the database on a small tmpfs (mounting
one needs root, as CI runs; elsewhere the test is skipped)."""

import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from clamour.testing.serving import serving_demo, wait_for

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs")]
SLUG = "arms-trade-treaty"


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory):
    """Write until the disk refuses (it may refuse the new file itself)."""
    try:
        with open(directory / "filler", "wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
    except OSError:
        pass


def post(port, n):
    form = urlencode({"name": f"Full {n}", "email": f"full{n}@example.net", "country": "FR",
                      "subject": "Please act on the treaty", "body": "Act now. " * 400,
                      "consent": "on", "consent_digest": "", "ref": ""}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/campaigns/{SLUG}/act/", data=form,
                                     headers={"Sec-Fetch-Site": "same-origin"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_full_disk_is_a_503_and_healthz_says_so(small_disk, tmp_path):
    with serving_demo(tmp_path / "var", small_disk / "clamour.sqlite3",
                      SUBMIT_RATE_PER_IP="0/60") as port:
        def up():
            try:
                return post(port, 0)[0] == 302
            except OSError:
                return False

        wait_for(up, 120)
        fill(small_disk)
        answers = []
        for n in range(1, 400):
            status, body = post(port, n)
            answers.append(status)
            assert status in (302, 503), (status, body[:500])
            if status == 503:
                assert b"Nothing was recorded" in body
                break
        assert answers[-1] == 503, answers  # the disk being full was noticed
        with pytest.raises(urllib.error.HTTPError) as health:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.value.code == 503
