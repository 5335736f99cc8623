"""The panel's response headers: no framing, no sniffing, a Content-Security-Policy that
runs only the panel's own scripts and styles, and Secure cookies over HTTPS.

- ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: no page of the panel
  inside another site's frame (clickjacking);
- ``X-Content-Type-Options: nosniff``: a download is what its type says;
- CSP: scripts and style sheets from the panel's own origin (Flask-Admin's static files,
  no CDN) and the inline ``<script>``/``<style>`` blocks its templates mark with the
  request's nonce (``admin_csp_nonce_attribute``).  Style *attributes* (a progress bar's
  width) are allowed; inline event handlers are not, except the two Flask-Admin's own
  list templates write (``return false;`` and its delete confirmation), allowed by hash
  (``'unsafe-hashes'``), so an injected ``onclick`` never runs.
- Secure cookies: ``SECURE_COOKIES`` (``$CANBO_SECURE_COOKIES``): ``auto`` (the default
  outside ``--demo`` and debug) marks every cookie ``Secure`` when the request came over
  HTTPS (behind a proxy that says so, ``X-Forwarded-Proto``, see ``canbo serve``);
  ``on`` always, ``off`` never (the default of ``--demo``, debug and tests).
"""
import base64
import hashlib
import html
import os
import re
import secrets

from flask import g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

#: The inline event handlers Flask-Admin's own list, filter and inline-form templates
#: write ("Thêm" of an inline list such as a person's qualifications).
ALLOWED_HANDLER = re.compile(
    r"""\son(?:click|submit)="(return false;|return faHelpers\.safeConfirm\('[^"<>&\\]*'\);"""
    r"""|faForm\.addInlineField\(this, '[\w-]+'\);)\"""")
SECURE_COOKIE_MODES = ("auto", "on", "off")


def nonce():
    """This request's CSP nonce (Flask-Admin's ``csp_nonce_generator``)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _hash(source):
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def policy(body=""):
    """The Content-Security-Policy of a response whose HTML is ``body``."""
    handlers = sorted({_hash(html.unescape(m)) for m in ALLOWED_HANDLER.findall(body)})
    scripts = " ".join(["'self'", f"'nonce-{nonce()}'"]
                       + (["'unsafe-hashes'", *handlers] if handlers else []))
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        f"style-src 'self' 'nonce-{nonce()}'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def secure_cookies_mode(app, environ=os.environ):
    mode = (app.config.get("SECURE_COOKIES") or environ.get("CANBO_SECURE_COOKIES")
            or ("off" if app.debug or app.testing or app.config.get("DEMO") else "auto"))
    if mode not in SECURE_COOKIE_MODES:
        from admin_app import ConfigurationError

        raise ConfigurationError(f"CANBO_SECURE_COOKIES «{mode}» không hợp lệ; cho phép: "
                                 + ", ".join(SECURE_COOKIE_MODES) + ".")
    return mode


class _Sessions(SecureCookieSessionInterface):
    """Flask's cookie sessions, the cookie ``Secure`` when ``_secure()`` says so (the
    session cookie is written after every ``after_request``)."""

    def get_cookie_secure(self, app):
        return _secure(app)


def _secure(app):
    mode = app.config["SECURE_COOKIES"]
    return mode == "on" or (mode == "auto" and has_request_context() and request.is_secure)


def init(app):
    mode = secure_cookies_mode(app)
    app.config["SECURE_COOKIES"] = mode
    app.session_interface = _Sessions()

    @app.after_request
    def _headers(response):
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        body = ""
        if response.mimetype == "text/html" and not response.is_streamed:
            body = response.get_data(as_text=True)
        response.headers["Content-Security-Policy"] = policy(body)
        if _secure(app):  # the other cookies (Flask-Login's remember_token)
            cookies = response.headers.getlist("Set-Cookie")
            if cookies:
                response.headers.remove("Set-Cookie")
                for cookie in cookies:
                    if not re.search(r";\s*Secure\b", cookie, re.I):
                        cookie += "; Secure"
                    response.headers.add("Set-Cookie", cookie)
        return response
