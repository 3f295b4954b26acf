import pytest

from clamour.actions.models import Delivery, Submission
from clamour.site.demo import load_demo
from clamour.workspace.demo import DEMO_DOMAIN, seed_demo_actions

pytestmark = pytest.mark.django_db


def test_demo_actions_are_labelled_spread_and_added_once(campaigners_client):
    load_demo()
    assert seed_demo_actions(count=300, days=4) == 600
    assert seed_demo_actions(count=300, days=4) == 0  # running again adds nothing
    demo = Submission.objects.filter(email__endswith="@" + DEMO_DOMAIN)
    assert demo.count() == 600
    assert all(name.startswith("Demo supporter ") for name in demo.values_list("name", flat=True))
    assert demo.values("country").distinct().count() >= 8
    assert Delivery.objects.filter(submission__in=demo, status="queued").count() == 0
    numbers = campaigners_client.get("/staff/campaigns/arms-trade-treaty/").context
    assert numbers["numbers"].submitted >= 300
    assert len([row for row in numbers["rows"] if row["count"]]) >= 3  # several days
