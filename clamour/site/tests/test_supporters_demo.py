import pytest

from clamour.site.demo import load_demo
from clamour.site.privacy import referral_count
from clamour.site.supporters_demo import DEMO_SUPPORTER
from clamour.supporters.models import Supporter

pytestmark = pytest.mark.django_db


def test_demo_supporter_has_a_confirmed_letter_and_two_referrals(run_tasks):
    load_demo()
    load_demo()  # safe to run again
    run_tasks()
    sam = Supporter.objects.get(email=DEMO_SUPPORTER)
    assert sam.submissions.get().is_confirmed
    assert sam.submissions.get().deliveries.get().status == "sent"
    assert referral_count(sam) == 2
    assert Supporter.objects.filter(email__in=["ada@example.org", "kofi@example.org"]).count() == 2
