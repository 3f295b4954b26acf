from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from clamour.actions.urls import campaign_page
from clamour.campaigns import urls as campaign_urls
from clamour.core import views as core_views
from clamour.site.sitemaps import SITEMAPS
from clamour.site.urls import account_urlpatterns
from clamour.supporters import urls as supporter_urls

admin.site.site_header = _("Clamour staff")
admin.site.site_title = _("Clamour staff")

# Staff and machine addresses have no language prefix.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("clamour.staffauth.urls")),
    path("staff/mailings/", include("clamour.mailings.urls")),
    path("staff/", include("clamour.workspace.urls")),
    path("language/<str:code>/", core_views.choose_language, name="choose_language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Public pages: English at /campaigns/…, the other languages under a prefix
# (/fr/campaigns/…), so a shared link keeps its language (README, "Languages").
urlpatterns += i18n_patterns(
    # The pages a viral spike hits first: the campaign page, its count, the action.
    # The campaign page shows the action's form, so its view is the actions app's; it
    # keeps its name in the campaigns namespace (campaigns:detail).
    path("", include((campaign_urls.urlpatterns + [campaign_page], campaign_urls.app_name))),
    path("", include("clamour.actions.urls")),
    path("", include("clamour.core.urls")),
    # The account pages span apps (clamour/site); they keep their supporters:… names.
    path("", include((supporter_urls.urlpatterns + account_urlpatterns, supporter_urls.app_name))),
    path("treaties/", include("clamour.treaties.urls")),
    path("blog/", include("clamour.blog.urls")),
    path("comments/", include("clamour.comments.urls")),
    prefix_default_language=False,
)
