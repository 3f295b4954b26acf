import pytest

from clamour.blog.demo import load_demo
from clamour.blog.models import Post
from clamour.comments.models import Comment
from clamour.site.demo import load_demo as load_whole_demo

pytestmark = pytest.mark.django_db


def test_demo_has_posts_by_staff_and_a_volunteer_and_comments_in_every_state(client):
    load_whole_demo()
    assert load_demo() == {"posts": 0}  # loading again adds nothing
    roles = {author.role for post in Post.objects.published() for author in post.authors.all()}
    assert roles == {"staff", "volunteer"}
    assert Post.objects.filter(status=Post.Status.SUBMITTED).exists()
    assert any(post.is_scheduled() for post in Post.objects.all())
    assert {status for status, _label in Comment.Status.choices} == set(
        Comment.objects.values_list("status", flat=True)
    )
    html = client.get("/blog/why-the-ammunition-loophole-matters/").content.decode()
    assert "Thank you for explaining this so clearly" in html and "Same here." in html
    assert "idiot" not in html and "cheap-pills" not in html
    assert client.get("/campaigns/arms-trade-treaty/").status_code == 200
