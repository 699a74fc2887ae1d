"""Security headers, the content security policy and proxy handling."""

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from alliance.core import uploads

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def configure_security(app: Flask) -> None:
    """Add the security headers to every response; trust one proxy when told to."""
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.before_request
    def drop_nul_characters():
        """NUL is never meaningful text and PostgreSQL refuses it: drop it from the input once,
        here, so that no form or query anywhere can turn it into a 500. (An upload too large
        for its view is not read at all: the view refuses it.)"""
        names = ("args", "form") if uploads.prepare_upload_request() else ("args",)
        for name in names:
            data = getattr(request, name)
            if any(
                "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
            ):
                request.__dict__[name] = ImmutableMultiDict(
                    [
                        (key.replace("\x00", ""), value.replace("\x00", ""))
                        for key, values in data.lists()
                        for value in values
                    ]
                )

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "text/html" in headers.get("Content-Type", "") and request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response
