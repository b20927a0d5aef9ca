from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from actionplan.access import Akses
from actionplan.enums import Peran


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar offers this user (by role). Lazy: pages that do not show
    the app's navigation (the admin) run no query for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def build() -> dict:
        akses = Akses.of(user)
        review_units = akses.review_units()
        audit_units = akses.audit_units()
        leads = akses.units_with(Peran.ADMIN, Peran.PIMPINAN, Peran.REVIEWER)
        return {
            # Without reading the watched set itself (the nation's has 500 units).
            "dasbor": leads is None or bool(leads) or akses.watches_any,
            "tugas": akses.is_member,
            "rekap": akses.superuser or akses.watches_any,
            "review": review_units is None or bool(review_units),
            "audit": audit_units is None or bool(audit_units),
            "admin": user.is_staff,
            # The unit set-up: admins of a unit (and superusers).
            "pengaturan": akses.superuser or bool(akses.units_with(Peran.ADMIN)),
        }

    return {"nav": SimpleLazyObject(build)}
