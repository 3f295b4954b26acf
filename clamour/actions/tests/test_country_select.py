"""The country <select> written out directly is Django's Select, option for option."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation

from clamour.actions.forms import CountrySelect, SubmissionForm
from clamour.lib.countries import COUNTRY_CHOICES
from clamour.testing.factories import make_campaign

CHOICES = [("", "Choose your country")] + COUNTRY_CHOICES


@pytest.mark.parametrize("value", [None, "", "FR", "CI", "XX"])
def test_the_same_html_as_djangos_select(value):
    attrs = {"id": "id_country", "autocomplete": "country", "required": True,
             "aria-invalid": "true", "data-x": "\"<&>"}
    ours = CountrySelect(choices=CHOICES).render("country", value, attrs)
    django = forms.Select(choices=CHOICES).render("country", value, attrs)
    assert parse_html(ours) == parse_html(django)
    assert ours.count("selected") == (1 if value in (None, "", "FR", "CI") else 0)


def test_each_language_gets_its_own_labels():
    lazy = [("", translation.gettext_lazy("Choose your country")), ("FR", "France")]
    widget = CountrySelect(choices=lazy)
    for language in ("en", "fr", "en"):
        with translation.override(language):
            assert parse_html(widget.render("country", "FR")) == parse_html(
                forms.Select(choices=lazy).render("country", "FR"))
    assert {key[0] for key in CountrySelect._options if key[1] == id(widget.choices)} == {"en", "fr"}


@pytest.mark.django_db
def test_the_action_form_renders_the_chosen_country():
    action = make_campaign().action
    form = SubmissionForm(initial={"country": "KE"}, action=action)
    html = str(form["country"])
    assert '<option value="KE" selected>Kenya</option>' in html
    assert html.count(" selected") == 1 and 'autocomplete="country"' in html


@pytest.mark.django_db
def test_the_countries_are_named_and_sorted_in_the_pages_language():
    action = make_campaign().action
    with translation.override("fr"):
        html = str(SubmissionForm(initial={"country": "DE"}, action=action)["country"])
    assert '<option value="DE" selected>Allemagne</option>' in html
    # Sorted in French: “Égypte” among the E's, not after “Zimbabwe”.
    assert html.index(">Allemagne<") < html.index(">Égypte<") < html.index(">Équateur<") \
        < html.index(">Zimbabwe<")
    with translation.override("ar"):
        html = str(SubmissionForm(action=action)["country"])
    assert '<option value="EG">مصر</option>' in html and "Egypt" not in html
