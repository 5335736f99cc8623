"""The admin panel's views, one module per feature.

Each module exposes ``register(app, admin)``; ``admin_app.create_app`` calls them in the
order of ``FEATURES``. The views are thin: they call the ``canbo`` library and turn its
errors into flashed messages and HTTP statuses.
"""
