"""The settings an operator reads about are the settings Clamour reads: README's table
(deployment) and docs/tuning.md (everything else) together name every environment
variable settings.py reads, each once, and nothing else in clamour reads the
environment."""

import ast
import re
from pathlib import Path

from clamour.testing.settings import READ

REPO = Path(__file__).resolve().parents[2]


def table_names(text: str) -> list[str]:
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.MULTILINE)


def readme_settings() -> list[str]:
    readme = (REPO / "README.md").read_text()
    start = readme.index("\n## Settings\n")
    return table_names(readme[start: readme.index("\n## ", start + 1)])


def test_readme_lists_the_deployment_settings_and_tuning_the_rest():
    deployment = readme_settings()
    tuning = table_names((REPO / "docs" / "tuning.md").read_text())
    assert "DATABASE_URL" in deployment and "GROUP_COMMIT" in tuning  # the tables are read
    assert len(deployment) <= 16, "README's table is for deploying; knobs go to docs/tuning.md"
    named = deployment + tuning
    assert sorted(set(named)) == sorted(named), "a variable is documented twice"
    assert set(named) == READ


def test_only_settings_reads_the_environment():
    allowed = {"clamour/settings.py", "clamour/lib/config.py",  # the readers settings.py uses
               "clamour/wsgi.py"}  # names the settings module, as Django's template does
    readers = set()
    for path in (REPO / "clamour").rglob("*.py"):
        relative = path.relative_to(REPO).as_posix()
        parts = path.relative_to(REPO).parts
        if "tests" in parts or parts[1] == "testing" or relative in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if (isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
                    and isinstance(node.value, ast.Name) and node.value.id == "os"):
                readers.add(relative)  # os.environ, os.getenv
            if isinstance(node, ast.ImportFrom) and (
                    node.module == "clamour.lib.config"
                    or node.module == "os" and {a.name for a in node.names} & {"environ", "getenv"}):
                readers.add(relative)
    assert readers == set()
