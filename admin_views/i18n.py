"""Vietnamese first: our catalogs in ``translations/`` win over Flask-Admin's own.

Flask-Admin ships a Vietnamese catalog with stale and wrong entries ("Kỷ lục" for a
record, "mặt hàng" for the rows of a page); WTForms ships none.  ``translations/vi``
holds ours (``admin.po`` fixed with the glossary of REFERENCE.md §10, ``wtforms.po``
complete).  Flask-Babel merges catalogs in the order of the directories and the last one
wins, so ours must come last.

The panel speaks Vietnamese only (issue 14): an English switch translated Flask-Admin's
buttons but none of the panel's own screens, which left half-English pages.  ``register``
drops the locale selector that ``admin_app`` gives Babel (its ``?lang=`` parameter), so
every request takes ``BABEL_DEFAULT_LOCALE``, "vi".
"""
from flask_admin import babel as admin_babel
from wtforms.i18n import messages_path

from canbo import assets

TRANSLATIONS = str(assets.TRANSLATIONS)


class OwnCatalogLast(admin_babel.CustomDomain):
    """Flask-Admin's "admin" domain with ``translations/`` merged last (so it wins)."""

    @property
    def translation_directories(self):
        dirs = [d for d in super().translation_directories if d != TRANSLATIONS]
        return dirs + [TRANSLATIONS]


def register(app, admin):
    app.extensions["babel"].locale_selector = None  # Vietnamese only: no ?lang=en
    # Flask-Admin's modules captured ``domain.gettext`` at import time, so the existing
    # domain object is given the new class instead of being replaced.
    if not isinstance(admin_babel.domain, OwnCatalogLast):
        admin_babel.domain.__class__ = OwnCatalogLast
    admin_babel.wtforms_domain._translation_directories = [messages_path(), TRANSLATIONS]
    admin_babel.domain.cache.clear()
    admin_babel.wtforms_domain.cache.clear()
