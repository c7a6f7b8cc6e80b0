"""The search page: a Flask app (:mod:`.app`) served by waitress (:mod:`.server`).

:mod:`.pool` gives each request a searcher of the current index generation,
:mod:`.reading` reads whole articles and completes words, :mod:`.persian`
writes the page's Persian messages and digits.
"""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
