"""Serving the page with waitress: a bounded thread pool, limits and timeouts.

waitress is a production WSGI server in pure Python.  Its threads search in
parallel (each with its own searcher, see :mod:`.pool`); a search's matching
time is bounded by :data:`fasearch.searching.search.TIME_BUDGET`, so one costly
query cannot hold a thread for long.  Requests it refuses itself (a bad
request line, oversized headers) get the page's own Persian error page.
"""

from __future__ import annotations

import errno
import ipaddress
import sys
from pathlib import Path

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from ...errors import UsageError
from ...index import open_index
from .app import SECURITY_HEADERS, create_app, error_page

THREADS = 8  # searches at once; more requests wait in line
LIMITS = dict(
    threads=THREADS,
    connection_limit=200,  # open connections; more wait in the listen backlog
    backlog=1024,
    channel_timeout=30,  # seconds a silent connection is kept
    channel_request_lookahead=1,  # keeps reading, so a client that hung up is noticed (see app.py)
    max_request_header_size=64 * 1024,  # beyond this waitress answers 431 itself
    max_request_body_size=16 * 1024,  # the page takes no uploads
    ident="",  # no Server header naming the software and its version
)


class _OwnErrorTask(ErrorTask):
    """waitress's own refusals (400, 431, …) as the page's Persian error page."""

    def execute(self):
        code = self.request.error.code
        self.status = f"{code} {self.request.error.reason}"
        self.response_headers.extend([("Content-Type", "text/html; charset=utf-8"), *SECURITY_HEADERS.items()])
        self.set_close_on_finish()
        body = _ERROR_PAGES.get(code) or _ERROR_PAGES[400]
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _OwnErrorTask


_ERROR_PAGES: dict[int, bytes] = {}


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(index_dir: Path, host: str, port: int, **overrides):
    """A waitress server for the page, bound (port 0: any free one) but not running."""
    app = create_app(index_dir, pool_size=overrides.get("threads", THREADS))
    with app.test_request_context("/"):  # url_for needs a request
        for code in (400, 413, 414, 431):
            _ERROR_PAGES[code] = error_page(code).encode("utf-8")
    try:
        server = create_server(app, host=host, port=port, **{**LIMITS, **overrides})
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} of {host} is in use; choose another with --port N") from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            raise UsageError(f"cannot serve on {host}:{port} ({error.strerror})") from None
        raise
    server.channel_class = _Channel
    return server


def serve(index_dir: Path, host: str, port: int) -> None:
    """Run the page until interrupted."""
    open_index(index_dir).close()  # fail now, with the usual message, if there is no index
    server = make_server(index_dir, host, port)
    if not is_loopback(host):
        print(f"Warning: --host {host} lets other machines reach the page; "
              "use 127.0.0.1 (the default) to keep it on this one", file=sys.stderr)
    print(f"Serving http://{host}:{server.effective_port}/ (Ctrl-C stops)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.close()
