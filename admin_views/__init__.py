"""The admin panel's views, one module per feature.

Each module exposes ``register(app, admin)``; ``admin_app.create_app`` calls them in the
order of ``admin_app.FEATURES`` (add ONE line there for a new module).  The views are
thin: they call the ``canbo`` library and turn its errors into flashed messages and HTTP
statuses.

How a feature module plugs in (see ``admin_views/base.py``; the access helpers live in
``admin_views/access.py`` and are re-exported by ``base``)::

    from flask_admin import expose
    from .base import SecureView, SecureModelView, can, current_account, sees, scope_units

    class PrintView(SecureView):            # login required; 403 without the permission
        permission = "print"                # None = every logged-in user

        @expose("/")
        def index(self):
            query = scope_units(Rating.select(), Rating.unit)   # the user's units only
            return self.render("admin/print.html", rows=query)

        @expose("/<int:staff_id>")
        def one(self, staff_id):
            person = Staff.get_or_none(Staff.id == staff_id)
            if person is None or not sees(person.unit_id):      # outside the scope: 404
                abort(404)

    class CatalogueView(SecureModelView):   # a peewee ModelView, secured
        unit_column = Catalogue.unit        # rows are scoped to the user's units
        edit_permission = "catalogue.edit"  # None = read-only
        audit_reason = True                 # a "Lý do thay đổi" field for the audit log

    def register(app, admin):
        admin.add_view(PrintView(name="In", endpoint="print"))

- Who may do what is one table, ``canbo.records.users.PERMISSIONS`` (role → permissions,
  each permission explained there); views ask ``can("print")`` for the logged-in user,
  templates ``{% if can('cycle.decide') %}``, and the domain functions they call check
  the same table again (``users.require``), so a view never lists roles.
- ``sees(unit_id, staff_id=None, permission=None)`` is the one unit-scope check
  (``canbo.records.users.sees``): a record of the user's units, or their own.
- ``search_words(query, Staff.search_name, text)`` matches names without case or
  diacritics, by word starts; ``SecureModelView.name_search_column`` does it for a list.
- Test fixtures for panel tests are in ``tests/conftest.py`` (``app``, ``client``,
  ``login_as(role)``, ``csrf(client)``, a second unit XB for scoping tests); the helpers
  tests call directly (``PASSWORD``, ``log_in``, ``csrf_token``) in ``tests/panel_helpers.py``.
- Anonymous users are redirected to the login page; logged-in users without the
  permission get 403; a row outside the user's units is a 404 (``SecureModelView.get_one``).
- Every POST needs the CSRF token: in templates ``<input type="hidden" name="csrf_token"
  value="{{ csrf_token() }}">`` (or ``{{ form.csrf_token }}`` of a ``FlaskForm``).
- Templates extend ``admin/master.html`` (our look: ``templates/admin/canbo_base.html``);
  wrap content in ``<div class="canbo-card">`` for the white card style.
- Changes go to the audit log with ``canbo.records.audit.record(current_account(), action,
  row, changes, reason)`` in the same transaction; ``SecureModelView`` does it for its forms.
- Domain errors (``canbo.errors.CanboError``) raised in a ``SecureModelView`` hook are
  flashed; in your own views, catch them and ``flash(exc.message, "error")``.
"""
