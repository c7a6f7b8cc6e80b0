"""The search page: server-rendered, right to left, on Flask and Jinja2.

Jinja2 escapes every value by default; a snippet reaches the template as
(text, highlighted) pieces, never as HTML, so neither a query nor a paragraph
can inject markup.  JavaScript only enhances a page that works without it.

    python search.py --serve [--port N] [--host 127.0.0.1]
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, abort, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException

from .errors import FasearchError
from .highlight import segments, snippet_window
from .indexing import CURRENT, open_index
from .output import as_dict, notices
from .searching import MAX_QUERY_CHARS, Hit, search

PER_PAGE = 10
MAX_PAGE = 100
FACET_DEPTH = 1000  # hits whose sections are counted for the facet
# A Persian font from the system (Debian's fonts-farsiweb); none is fetched
# from the network.  The page falls back to the browser's fonts without it.
FONT_CANDIDATES = [Path("/usr/share/fonts/truetype/farsiweb/nazli.ttf"),
                   Path("/usr/share/fonts/truetype/farsiweb/homa.ttf")]


def pieces_of_snippet(hit: Hit) -> list[tuple[str, bool]]:
    """The snippet as (text, highlighted) pieces, for the template to escape."""
    return segments(hit.text, hit.matches, *snippet_window(hit.text, hit.matches))


def font_path() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


def create_app(index_dir: Path) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024

    lock = threading.Lock()  # one search at a time: a Whoosh searcher is not shared safely
    opened: dict[str, object] = {}

    def index():
        """The open index, opened again when a build switched generations."""
        current = (index_dir / CURRENT).read_text().strip() if (index_dir / CURRENT).exists() else ""
        if opened.get("name") != current or "index" not in opened:
            opened.clear()
            opened.update(name=current, index=open_index(index_dir))
        return opened["index"]

    def status(error: FasearchError) -> int:
        return 400 if error.exit_status == 2 else 503

    @app.get("/")
    def page():
        q = request.args.get("q", "").strip()
        section = request.args.get("section") or None
        try:
            number = min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
        except ValueError:
            number = 1
        context = {"q": q, "section": section, "page": number, "result": None, "error": None,
                   "facets": [], "pages": 0, "has_font": font_path() is not None}
        if q:
            try:
                with lock:
                    ix = index()
                    result = search(ix, q, limit=number * PER_PAGE, section=section, facet_depth=FACET_DEPTH)
            except FasearchError as error:
                context["error"] = str(error)
                return render_template("page.html", **context), status(error)
            context.update(
                result=result, hits=[(h, pieces_of_snippet(h)) for h in result.hits[(number - 1) * PER_PAGE:]],
                notices=notices(result), facets=result.facets,
                pages=min(MAX_PAGE, -(-result.total // PER_PAGE)),
            )
        return render_template("page.html", **context)

    @app.get("/api/search")
    def api():
        q = request.args.get("q", "").strip()
        try:
            limit = min(1000, max(1, int(request.args.get("limit", "10"))))
        except ValueError:
            return jsonify({"query": q, "error": "limit must be a whole number"}), 400
        try:
            with lock:
                result = search(index(), q, limit=limit, section=request.args.get("section") or None)
        except FasearchError as error:
            return jsonify({"query": q, "error": str(error)}), status(error)
        return jsonify(as_dict(result))

    @app.get("/font.ttf")
    def font():
        path = font_path()
        if path is None:
            abort(404)
        return send_file(path, mimetype="font/ttf", max_age=86400)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_template("error.html", code=error.code, name=error.name), error.code

    @app.errorhandler(Exception)
    def server_error(error):  # a bug: a plain page, never a traceback
        app.logger.error("unexpected error", exc_info=error)
        return render_template("error.html", code=500, name="Internal Server Error"), 500

    app.jinja_env.globals["MAX_QUERY_CHARS"] = MAX_QUERY_CHARS
    return app


def serve(index_dir: Path, host: str, port: int) -> None:
    """Run the page until interrupted (Werkzeug's threaded server)."""
    from werkzeug.serving import run_simple

    open_index(index_dir)  # fail now, with the usual message, if there is no index
    print(f"Serving http://{host}:{port}/ (Ctrl-C stops)")
    run_simple(host, port, create_app(index_dir), threaded=True)
