"""The search page: server-rendered, right to left, in Persian, on Flask and Jinja2.

Jinja2 escapes every value by default; a snippet reaches the template as
(text, highlighted) pieces, never as HTML, so neither a query nor a paragraph
can inject markup.  JavaScript only enhances a page that works without it
(completions as you type, the facets folded on a phone).

    python search.py --serve [--port N] [--host 127.0.0.1]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException

from ...errors import FasearchError, UsageError
from ...searching.search import MAX_QUERY_CHARS, Hit, SearchResult, search
from ...searching.snippets import segments
from ..output import as_json, json_line
from . import persian
from .pool import IndexPool
from .reading import complete, indexed_counts, read_article

PER_PAGE = 10
MAX_PAGE = 100
FACET_DEPTH = 1000  # hits whose sections are counted for the facets
MAX_URL = 16 * 1024  # a 2,000-character Persian query, percent-encoded, fits
MAX_HEADERS = 16 * 1024
EXAMPLES = ["کارگران نفت", "هفت‌تپه", '"طبقه کارگر"', "کمپین*", "اعتصاب -نفت"]
PACKAGE = Path(__file__).resolve().parent  # templates/ and static/ beside this module
# A Persian font from the system (Debian's fonts-farsiweb); none is fetched
# from the network.  The page falls back to the browser's fonts without it.
FONT_CANDIDATES = [Path("/usr/share/fonts/truetype/farsiweb/nazli.ttf"),
                   Path("/usr/share/fonts/truetype/farsiweb/homa.ttf")]
# Nothing but this server's own files; no framing; queries stay out of Referer.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def pieces_of_snippet(hit: Hit) -> list[tuple[str, bool]]:
    """The snippet as (text, highlighted) pieces, for the template to escape."""
    return segments(hit.text, hit.highlights, *hit.window)


def font_path() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


def error_page(code: int, message: str | None = None) -> str:
    """The Persian error page (needs an application context)."""
    return render_template("error.html", code=code, message=message or persian.reason(code))


def _status(error: FasearchError) -> int:
    return 400 if isinstance(error, UsageError) else 503


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(request.args.get(name, default))))
    except ValueError:
        return default


def _facets(result: SearchResult, catalog: dict) -> tuple[list, list]:
    """Articles with their hit counts, and sections kept apart per article."""
    per_article: dict[str, int] = {}
    for (file, _), count in result.facets:
        per_article[file] = per_article.get(file, 0) + count
    title = {name: info["title"] for name, info in catalog.items()}
    articles = sorted(((file, title.get(file, file), n) for file, n in per_article.items()), key=lambda a: -a[2])
    several = len(per_article) > 1
    sections = [(file, section, title.get(file, file) if several else "", n) for (file, section), n in result.facets]
    return articles, sections


def _pages(current: int, last: int) -> list[int | None]:
    """Page numbers around the current one; None stands for a gap."""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def create_app(index_dir: Path, pool_size: int = 8) -> Flask:
    app = Flask(__name__, template_folder=str(PACKAGE / "templates"), static_folder=str(PACKAGE / "static"))
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024
    pool = IndexPool(index_dir, pool_size)
    app.extensions["fasearch.pool"] = pool

    def page_url(**params) -> str:
        if params.get("page") == 1:
            del params["page"]
        return url_for("page") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def gone() -> bool:
        """The client hung up (waitress tells, with channel_request_lookahead)."""
        check = request.environ.get("waitress.client_disconnected")
        return bool(check and check())

    @app.before_request
    def limits():
        if gone():  # waited in line and nobody wants the answer any more: no search
            return Response("", 400)
        if len(request.environ.get("QUERY_STRING", "")) + len(request.path) > MAX_URL:
            abort(414)
        if sum(len(k) + len(v) for k, v in request.headers.items()) > MAX_HEADERS:
            abort(431)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        response.headers.pop("Server", None)
        return response

    @app.get("/")
    def page():
        q = request.args.get("q", "").strip()
        section = request.args.get("section") or None
        article = request.args.get("article") or None
        number = _int_arg("page", 1, 1, MAX_PAGE)
        exact = request.args.get("exact") == "1"  # the query as typed, not corrected
        context: dict[str, Any] = {"q": q, "section": section, "article": article, "page": number,
                                   "result": None, "error": None, "page_url": page_url}
        try:
            with pool.borrow() as ix:
                catalog = ix.meta.get("catalog", {})
                context["catalog"] = catalog
                if not q:
                    context["counts"] = indexed_counts(ix)
                    context["examples"] = EXAMPLES
                    return render_template("page.html", **context)
                if gone():
                    return Response("", 400)
                if len(q) > MAX_QUERY_CHARS:  # refused before any work
                    raise UsageError(f"the query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}")
                result = search(ix, q, limit=number * PER_PAGE, section=section, article=article,
                                facet_depth=FACET_DEPTH, correct=not exact)
        except FasearchError as error:
            context["error"] = persian.error_message(error)
            return render_template("page.html", **context), _status(error)
        last = max(1, min(MAX_PAGE, -(-result.total // PER_PAGE)))
        first_shown = (number - 1) * PER_PAGE
        top = result.hits[0].score if result.hits else 1.0
        articles, sections = _facets(result, catalog)
        context.update(
            result=result, did_you_mean=getattr(result, "did_you_mean", None),
            hits=[(h, pieces_of_snippet(h), h.score / top if top else 0) for h in result.hits[first_shown:]],
            first=first_shown + 1, last_shown=min(result.total, first_shown + PER_PAGE), last_page=last,
            pages=_pages(number, last), articles=articles, sections=sections,
            words=[w for w in q.split() if len(q.split()) > 1],
        )
        return render_template("page.html", **context)

    @app.get("/article/<article_id>")
    def article_view(article_id: str):
        q = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
        with pool.borrow() as ix:
            found = read_article(ix, article_id)
            if found is None:
                abort(404)
            marks: dict[int, list] = {}
            if q:
                try:
                    hits = search(ix, q, limit=len(found.paragraphs), article=found.file).hits
                except FasearchError:
                    hits = []
                marks = {h.paragraph: h.highlights for h in hits if h.article == found.id}
        paragraphs = [(p, segments(p["text"], marks.get(p["paragraph"], []), 0, len(p["text"])))
                      for p in found.paragraphs]
        back = page_url(q=q) if q else url_for("page")
        return render_template("article.html", article=found, paragraphs=paragraphs, q=q, back=back)

    @app.get("/api/search")
    def api():
        q = request.args.get("q", "").strip()
        limit = _int_arg("limit", 10, 1, 1000)
        try:
            with pool.borrow() as ix:
                result = search(ix, q, limit=limit, section=request.args.get("section") or None,
                                article=request.args.get("article") or None)
        except FasearchError as error:
            body = json_line({"query": q, "error": str(error)})
            return Response(body + "\n", _status(error), mimetype="application/json")
        # The very bytes of `search.py --json`: UTF-8, no \u escapes, the same key order.
        return Response(as_json(result) + "\n", mimetype="application/json")

    @app.get("/api/suggest")
    def suggest():
        q = request.args.get("q", "")[:MAX_QUERY_CHARS]
        with pool.borrow() as ix:
            found = complete(ix, q)
        body = json_line({"query": q, "suggestions": found})
        return Response(body + "\n", mimetype="application/json")

    @app.get("/font.ttf")
    def font():
        path = font_path()
        if path is None:
            abort(404)
        return send_file(path, mimetype="font/ttf", max_age=86400)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_page(error.code), error.code

    @app.errorhandler(FasearchError)
    def fasearch_error(error):  # the index missing or damaged, met outside a search (article view, suggestions)
        return error_page(_status(error), persian.error_message(error)), _status(error)

    @app.errorhandler(Exception)
    def server_error(error):  # a bug: a plain page, never a traceback
        app.logger.error("unexpected error", exc_info=error)
        return error_page(500), 500

    app.jinja_env.globals.update(MAX_QUERY_CHARS=MAX_QUERY_CHARS, fa=persian.digits, fa_number=persian.number)
    return app
