"""What the README and the code's comments say about the project is true of it."""

import re
from pathlib import Path

from django.core.management import get_commands

from clamour.testing.factories import make_campaign

REPO = Path(__file__).resolve().parents[2]


def documents():
    yield REPO / "README.md"
    yield REPO / "Makefile"
    yield from (REPO / "clamour").rglob("*.py")


def test_every_manage_py_command_mentioned_exists():
    commands = set(get_commands())
    for path in documents():
        for name in re.findall(r"manage\.py ([a-z_]+)", path.read_text()):
            assert name in commands, f"{path.relative_to(REPO)} mentions manage.py {name}"


def test_readme_says_what_the_campaign_form_does_with_country(client, db):
    readme = " ".join((REPO / "README.md").read_text().split())
    assert "does not read `country`" not in readme
    assert "?country=XX#act`, where the form starts with that country chosen" in readme
    campaign = make_campaign()
    html = client.get(campaign.get_absolute_url() + "?country=FR").content.decode()
    assert '<option value="FR" selected>' in html
