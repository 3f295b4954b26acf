"""An RSGI app for the gateway's tests: the gateway in front of a WSGI app that answers
with the length and SHA-256 of the body it read."""

import hashlib

from clamour.gateway import Gateway


def echo(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{len(body)} {hashlib.sha256(body).hexdigest()} {environ['CONTENT_LENGTH']}".encode()]


app = Gateway(echo)
