from django import template

from ..publishing import campaign_posts as cached_campaign_posts

register = template.Library()


@register.inclusion_tag("blog/_campaign_posts.html")
def campaign_posts(campaign):
    """The campaign's latest blog posts, from a cache that every post change clears."""
    return {"posts": cached_campaign_posts(campaign.pk), "campaign": campaign}
