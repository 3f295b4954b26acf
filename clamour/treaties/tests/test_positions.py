"""Government positions: recording, CSV import (all or nothing, clear errors), the
server-rendered map with its table, and country pages leading to the action."""

import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clamour.lib.countries import COUNTRIES
from clamour.testing.factories import add_target, make_campaign
from clamour.testing.treaties import make_treaty
from clamour.treaties import worldmap
from clamour.treaties.models import Ask, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def treaty_with_asks():
    treaty = make_treaty(campaign=make_campaign("arms-trade-treaty"))
    ammunition = Ask.objects.create(treaty=treaty, title="All ammunition", order=1)
    human_rights = Ask.objects.create(treaty=treaty, title="A binding human-rights test", order=2)
    return treaty, ammunition, human_rights


def import_csv(client, treaty, text: str | bytes, ask=None, name="positions.csv"):
    data = {"file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)}
    if ask is not None:
        data["ask"] = ask.pk
    return client.post(reverse("treaties:staff_positions_import", args=[treaty.slug]), data)


GOOD = """country,position,date,source_url,note,ask
FR,supports,2013-03-20,https://example.org/fr,,All ammunition
Egypt,opposes,2013-03-22,,Wants ammunition out,All ammunition
us,Oppose,2013-03-22,https://example.org/us,,{hr}
Brazil,undecided,,,,{hr}
"""


def test_csv_import_stores_every_row(analyst_client, treaty_with_asks):
    treaty, ammunition, human_rights = treaty_with_asks
    response = import_csv(analyst_client, treaty, GOOD.format(hr=human_rights.pk))
    assert response.status_code == 302
    rows = {(p.country, p.ask_id): p for p in Position.objects.all()}
    assert set(rows) == {
        ("FR", ammunition.pk),
        ("EG", ammunition.pk),
        ("US", human_rights.pk),
        ("BR", human_rights.pk),
    }
    assert rows[("US", human_rights.pk)].stance == "opposes"
    assert rows[("EG", ammunition.pk)].note == "Wants ammunition out"
    assert rows[("BR", human_rights.pk)].date is not None
    # Importing again updates the same positions rather than duplicating them.
    response = import_csv(
        analyst_client,
        treaty,
        GOOD.format(hr=human_rights.pk).replace("FR,supports", "FR,undecided"),
    )
    assert response.status_code == 302 and Position.objects.count() == 4
    assert Position.objects.get(country="FR").stance == "undecided"
    page = analyst_client.get(reverse("treaties:staff_positions", args=[treaty.slug]), follow=True)
    assert "Egypt" in page.content.decode()


def test_csv_with_semicolons_and_a_default_ask(analyst_client, treaty_with_asks):
    treaty, ammunition, _ = treaty_with_asks
    response = import_csv(
        analyst_client, treaty, "\ufeffCountry;Stance\nDE;supports\nIndia;opposes\n", ask=ammunition
    )
    assert response.status_code == 302
    assert set(Position.objects.values_list("country", "stance", "ask")) == {
        ("DE", "supports", ammunition.pk),
        ("IN", "opposes", ammunition.pk),
    }


@pytest.mark.parametrize(
    "content, messages",
    [
        (
            "country,position\nAtlantis,supports\nFR,maybe\n",
            [
                "Row 2: “Atlantis” is not a country we know",
                "Row 3: the position must be supports, opposes",
            ],
        ),
        (
            "country,position,date\nFR,supports,20/03/2013\n",
            ["Row 2: the date must look like 2013-03-28"],
        ),
        (
            "country,position,source_url\nFR,supports,javascript:alert(1)\n",
            ["Row 2: the source must be a web address"],
        ),
        (
            "country,position,ask\nFR,supports,Nonexistent ask\n",
            ["Row 2: no ask “Nonexistent ask” in this treaty"],
        ),
        ("country,position\nFR,supports\n", ["must name the columns ask"]),
        ("nation,view\nFR,supports\n", ["must name the columns country, position"]),
        ("country,position,ask\nFR,supports,1,extra,cells\n", ["Row 2: more cells than columns"]),
        (
            "country,position,ask,date\nFR,supports,{a},2013-01-01\nFrance,opposes,{a},2013-01-01\n",
            ["Row 3: repeats row 2"],
        ),
        ("", ["The submitted file is empty."]),
        ("country,position,ask\n", ["has a header but no rows"]),
        (b"\x00\x01\x02\x03" * 50, ["binary"]),
        ("country,position,ask\nCôte d'Ivoire,supports,1\n".encode("latin-1"), ["not UTF-8"]),
    ],
)
def test_csv_errors_are_clear_and_nothing_is_stored(
    analyst_client, treaty_with_asks, content, messages
):
    treaty, ammunition, _ = treaty_with_asks
    if isinstance(content, str):
        content = content.replace("{a}", str(ammunition.pk))
    has_ask_column = (
        isinstance(content, bytes)
        or ",ask" in content
        or "must name the columns ask" in messages[0]
    )
    response = import_csv(
        analyst_client, treaty, content, ask=None if has_ask_column else ammunition
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page or "Please check the form" in page
    for message in messages:
        assert message in page, page[page.find("import-errors") :][:800]
    assert not Position.objects.exists()


def test_one_bad_row_among_good_ones_stores_nothing(analyst_client, treaty_with_asks):
    treaty, ammunition, _ = treaty_with_asks
    rows = "\n".join(f"{code},supports" for code in list(COUNTRIES)[:50])
    response = import_csv(
        analyst_client, treaty, f"country,position\n{rows}\nNarnia,opposes\n", ask=ammunition
    )
    assert response.status_code == 400 and "Row 52" in response.content.decode()
    assert not Position.objects.exists()


def test_recording_editing_and_deleting_a_position(analyst_client, treaty_with_asks):
    treaty, ammunition, _ = treaty_with_asks
    url = reverse("treaties:staff_positions", args=[treaty.slug])
    response = analyst_client.post(
        url,
        {
            "ask": ammunition.pk,
            "country": "KE",
            "stance": "supports",
            "date": "2013-03-20",
            "source_url": "example.org/ke",
            "note": "",
        },
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert position.source_url == "https://example.org/ke"
    response = analyst_client.post(
        url, {"ask": ammunition.pk, "country": "XX", "stance": "supports", "date": "2013-03-20"}
    )
    assert response.status_code == 400
    edit = reverse("treaties:staff_position", args=[position.pk])
    assert analyst_client.get(edit).status_code == 200
    response = analyst_client.post(
        edit,
        {
            "ask": ammunition.pk,
            "country": "KE",
            "stance": "opposes",
            "date": "2013-03-21",
            "source_url": "",
            "note": "Changed",
        },
    )
    assert response.status_code == 302 and Position.objects.get().stance == "opposes"
    assert analyst_client.post(edit, {"delete": "1"}).status_code == 302
    assert not Position.objects.exists()


def test_map_table_and_one_click_to_the_action(client, treaty_with_asks):
    treaty, ammunition, human_rights = treaty_with_asks
    add_target(treaty.campaign, country="US", name="Jordan Example", title="Secretary of State")
    Position.objects.create(ask=ammunition, country="FR", stance="supports", date=date(2013, 3, 20))
    Position.objects.create(ask=ammunition, country="US", stance="undecided", date=date(2013, 3, 1))
    Position.objects.create(
        ask=ammunition,
        country="US",
        stance="opposes",
        date=date(2013, 3, 22),
        source_url="https://example.org/us",
    )
    Position.objects.create(
        ask=ammunition, country="SG", stance="opposes", date=date(2013, 3, 22)
    )  # too small to draw
    Position.objects.create(
        ask=human_rights, country="US", stance="supports", date=date(2013, 3, 22)
    )
    page = client.get(reverse("treaties:positions", args=[treaty.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<path class="pos-opposes" data-country="US"' in svg
    assert '<path class="pos-supports" data-country="FR"' in svg
    assert "<title>United States: Opposes</title>" in svg
    assert 'role="group"' in svg and 'aria-labelledby="map-title"' in svg
    assert svg.count("<path") > 170 and "<script" not in html
    # The latest position counts; the table says the same in words, in a <table>.
    table = html[html.index("<table") : html.index("</table>")]
    assert (
        "United States" in table
        and "Opposes" in table
        and "Undecided" not in table
        and "Singapore" in table
    )
    action = treaty.action_url("US")
    assert action == "/campaigns/arms-trade-treaty/?country=US#act"
    assert f'href="{action}"' in table  # one click from an opposing government to the action
    # Singapore opposes too, but the action has no contact for it: no button that would
    # promise a letter to a government it cannot reach.
    assert "?country=SG" not in table and "Write to Singapore" not in table
    # Another ask, chosen in the form.
    page = client.get(reverse("treaties:positions", args=[treaty.slug]) + f"?ask={human_rights.pk}")
    assert '<path class="pos-supports" data-country="US"' in page.content.decode()
    assert (
        client.get(reverse("treaties:positions", args=[treaty.slug]) + "?ask=999").status_code
        == 404
    )

    country = client.get(reverse("treaties:country", args=[treaty.slug, "us"]))
    assert country.status_code == 200
    html = country.content.decode()
    assert "Write to the government of United States" in html and f'href="{action}"' in html
    assert "Jordan Example, Secretary of State" in html and "Earlier:" in html
    assert client.get(reverse("treaties:country", args=[treaty.slug, "QQ"])).status_code == 404
    # The campaign page it leads to exists.
    assert client.get(action.split("#")[0]).status_code == 200


def test_world_map_data_is_complete_and_well_formed():
    data = worldmap.shapes()
    assert re.fullmatch(r"0 0 10000 \d+", data["viewBox"])
    codes = set(data["countries"])
    assert len(codes) >= 170 and codes <= set(COUNTRIES)
    assert {"FR", "US", "RU", "CN", "BR", "IN", "EG", "KE", "GB", "NZ", "FJ"} <= codes
    for shape in data["countries"].values():
        assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", shape["d"]), shape["name"]
    assert json.loads(json.dumps(data)) == data


def test_no_positions_yet(client):
    treaty = make_treaty()
    assert client.get(reverse("treaties:positions", args=[treaty.slug])).status_code == 200
    Ask.objects.create(treaty=treaty, title="Anything")
    page = client.get(reverse("treaties:positions", args=[treaty.slug]))
    assert page.status_code == 200 and "No positions recorded yet." in page.content.decode()


def test_positions_and_country_pages_query_counts_are_flat(client, treaty_with_asks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    treaty, ammunition, _ = treaty_with_asks
    codes = [c for c in COUNTRIES if worldmap.on_map(c)]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    positions_url = reverse("treaties:positions", args=[treaty.slug])
    country_url = reverse("treaties:country", args=[treaty.slug, "FR"])
    for code in codes[:3]:
        Position.objects.create(ask=ammunition, country=code, stance="opposes", date=date(2013, 3, 1))
    small = count(positions_url), count(country_url)
    for code in codes[3:60]:
        Position.objects.create(ask=ammunition, country=code, stance="supports", date=date(2013, 3, 1))
        Position.objects.create(ask=ammunition, country=code, stance="opposes", date=date(2013, 3, 2))
    large = count(positions_url), count(country_url)
    print(f"\npositions page: {large[0]} queries; country page: {large[1]}")
    assert small == large and large[0] <= 4 and large[1] <= 5
