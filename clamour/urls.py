from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from clamour.blog.sitemaps import SITEMAPS

admin.site.site_header = _("Clamour staff")
admin.site.site_title = _("Clamour staff")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("clamour.staffauth.urls")),
    path("staff/mailings/", include("clamour.mailings.urls")),
    path("staff/", include("clamour.workspace.urls")),
    # The pages a viral spike hits first: the campaign page, its count, the action.
    path("", include("clamour.campaigns.urls")),
    path("", include("clamour.actions.urls")),
    path("", include("clamour.core.urls")),
    path("", include("clamour.supporters.urls")),
    path("treaties/", include("clamour.treaties.urls")),
    path("blog/", include("clamour.blog.urls")),
    path("comments/", include("clamour.comments.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
