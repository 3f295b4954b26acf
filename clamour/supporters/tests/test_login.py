"""Supporters log in by a link sent by email: single use, short-lived, POST-confirmed,
rate-limited, and the same answer whether or not the address has an account."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clamour.supporters.accounts import make_login_token
from clamour.supporters.models import LoginToken, Supporter
from clamour.testing.supporters import log_in_by_email, login_links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam():
    return Supporter.objects.create(email="sam@example.net", name="Sam Supporter")


def path_of(link):
    return link.split("127.0.0.1:8000", 1)[1]


def test_every_page_offers_log_in(client):
    html = client.get(reverse("campaigns:home")).content.decode()
    assert f'href="{reverse("supporters:login")}"' in html
    assert "My account" not in html


def test_log_in_by_email_link(client, sam, run_tasks):
    client.post(reverse("supporters:login"), {"email": " Sam@Example.NET "})
    assert mail.outbox == []  # sent by the worker, not in the request
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["sam@example.net"]
    link = login_links_in(mail.outbox, "sam@example.net")[0]
    # Opening the link (as a mail scanner would) logs nobody in.
    response = client.get(path_of(link))
    assert response.status_code == 200 and "Press the button" in response.content.decode()
    assert client.get(reverse("supporters:account")).status_code == 302
    response = client.post(path_of(link))
    assert response["Location"] == reverse("supporters:account")
    page = client.get(reverse("supporters:account")).content.decode()
    assert "Logged in as sam@example.net" in page
    home = client.get(reverse("campaigns:home")).content.decode()
    assert "My account" in home and "Log out" in home


def test_link_works_once(client, sam):
    token = make_login_token(sam)
    url = reverse("supporters:login_link", args=[token])
    assert client.post(url).status_code == 302
    other = Client()
    response = other.post(url)
    assert response.status_code == 400 and "already been used" in response.content.decode()
    assert other.get(reverse("supporters:account")).status_code == 302


def test_using_one_link_retires_the_others(client, sam):
    first, second = make_login_token(sam), make_login_token(sam)
    client.post(reverse("supporters:login_link", args=[second]))
    assert Client().post(reverse("supporters:login_link", args=[first])).status_code == 400


def test_link_expires(client, sam, settings):
    settings.LOGIN_LINK_MAX_AGE_MINUTES = 20
    token = make_login_token(sam, now=timezone.now() - timedelta(minutes=21))
    response = client.post(reverse("supporters:login_link", args=[token]))
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert client.get(reverse("supporters:account")).status_code == 302


@pytest.mark.parametrize("token", ["nonsense", "x" * 300, "%3Cscript%3E", "a-b_c"])
def test_tampered_or_made_up_links_do_not_log_in(client, sam, token):
    real = make_login_token(sam)
    for attempt in [token, real[:-1] + ("A" if real[-1] != "A" else "B")]:
        response = client.post(reverse("supporters:login_link", args=[attempt]))
        assert response.status_code == 400
        assert client.get(reverse("supporters:account")).status_code == 302


def test_only_a_hash_of_the_token_is_stored(sam):
    token = make_login_token(sam)
    stored = LoginToken.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_no_account_enumeration(client, sam, run_tasks, django_assert_max_num_queries):
    """Known and unknown addresses get the same answer and the same database work;
    only the background task differs, and the unknown address gets no email."""
    responses, queries = [], []
    for email in ["sam@example.net", "nobody@example.net"]:
        with django_assert_max_num_queries(3) as captured:  # queue the task, no look-up
            responses.append(Client().post(reverse("supporters:login"), {"email": email}))
        queries.append([re.sub(r'"s\d+_x\d+"', "SP", q["sql"].split(" VALUES")[0])
                        for q in captured.captured_queries])
    assert queries[0] == queries[1]
    assert not any("supporters_supporter" in sql for sql in queries[0])
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    sent = Client().get(responses[0]["Location"]).content.decode()
    assert "If we have an account for that address" in sent
    run_tasks()
    assert [m.to for m in mail.outbox] == [["sam@example.net"]]  # nothing to the unknown address


def test_rate_limit_per_email(client, sam, settings, run_tasks):
    settings.LOGIN_RATE_PER_EMAIL = (3, 3600)
    for _ in range(3):
        assert Client().post(reverse("supporters:login"), {"email": "sam@example.net"}).status_code == 302
    response = Client().post(reverse("supporters:login"), {"email": "SAM@example.net"})
    assert response.status_code == 429
    # The same for an address with no account: the limit reveals nothing.
    for _ in range(3):
        Client().post(reverse("supporters:login"), {"email": "nobody@example.net"})
    assert Client().post(reverse("supporters:login"), {"email": "nobody@example.net"}).status_code == 429
    run_tasks()
    assert len(mail.outbox) == 3


def test_rate_limit_per_address(client, settings):
    settings.LOGIN_RATE_PER_IP = (5, 3600)
    codes = [client.post(reverse("supporters:login"), {"email": f"p{i}@example.net"},
                         REMOTE_ADDR="198.51.100.4").status_code for i in range(7)]
    assert codes == [302] * 5 + [429] * 2
    # Another address is not affected.
    assert client.post(reverse("supporters:login"), {"email": "q@example.net"},
                       REMOTE_ADDR="198.51.100.5").status_code == 302


@pytest.mark.parametrize("email", ["", "not an email", "a@b", "<script>@x.org", "x" * 400 + "@example.org"])
def test_bad_addresses_are_form_errors(client, email):
    response = client.post(reverse("supporters:login"), {"email": email})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_log_out_is_a_post(client, sam, run_tasks):
    log_in_by_email(client, "sam@example.net", run_tasks)
    assert client.get(reverse("supporters:logout")).status_code == 405
    response = client.post(reverse("supporters:logout"))
    assert response.status_code == 302
    assert client.get(reverse("supporters:account")).status_code == 302


def test_login_email_has_unsubscribe_headers(client, sam, run_tasks):
    client.post(reverse("supporters:login"), {"email": "sam@example.net"})
    run_tasks()
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body
