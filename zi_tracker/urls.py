"""Each app owns its URLs; the names (``dasbor``, ``bukti-unggah``…) are global, so a
template or test reverses them without knowing which app serves them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from zi_tracker.forms import LupaSandiForm, MasukForm


class FaviconView(RedirectView):
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the admin's).
    permanent = True

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("zi/favicon.svg")


urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, form_class=MasukForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    # Forgotten password, and the link a new account gets to set its first one.
    path(
        "sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            form_class=LupaSandiForm,
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("actionplan.urls")),
    path("", include("evidence.urls")),
    path("", include("actionplan.progress.urls")),
    path("", include("actionplan.lke.urls")),
    path("", include("actionplan.portalrb.urls")),
    path("", include("actionplan.documents.urls")),
    path("", include("actionplan.notifications.urls")),
    path("", include("actionplan.pengaturan.urls")),
    path("", include("zi_tracker.ops.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
