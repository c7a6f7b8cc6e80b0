"""The search page: HTTP tests against the real server (waitress) on a free port of
127.0.0.1, the index pool across updates, and a real browser (Debian's chromium)."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.searching import search as searching
from fasearch.searching.search import search
from fasearch.serve.output import as_dict
from fasearch.serve.web.pool import IndexPool
from fasearch.serve.web.server import make_server

PAYLOAD = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
HOSTILE = f"---\ntitle: {PAYLOAD}\n---\n\n## {PAYLOAD}\n\nزنبورستان {PAYLOAD} پایان.\n"
# A second article with a section named like one of the first («مقدمه»).
SECOND = ("---\ntitle: اعتصاب معلمان\nauthor: نویسنده دیگر\n---\n\n## مقدمه\n\n"
          "معلمان و کارگران در سراسر کشور برای دستمزد بیشتر اعتصاب کردند.\n")
ARTICLE_ID = ARTICLE.stem
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LATIN_DIGIT = re.compile(r"[0-9]")


def start(index: Path, **limits):
    server = make_server(index, "127.0.0.1", 0, **limits)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    (corpus / "hostile.md").write_text(HOSTILE, "utf-8")
    (corpus / "teachers.md").write_text(SECOND, "utf-8")
    build_index(corpus, folder / "index")
    httpd, base = start(folder / "index")
    yield base, folder / "index"
    httpd.close()


def get(base, path, headers=None, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def text_of(html: str, css_class: str) -> str:
    """The text inside elements of a class (tags removed), for language checks."""
    found = re.findall(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", inner) for _, inner in found)


# --- the page ------------------------------------------------------------------------

def test_start_page_says_what_is_indexed_with_examples(server):
    status, headers, html = get(server[0], "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="fa" dir="rtl">' in html and "<h1>" in html
    assert '<label for="q">' in html and 'role="search"' in html and '<main id="main">' in html
    assert "۳ مقاله و ۱۵ پاراگراف" in html  # 13 + 1 + 1, in Persian digits
    assert html.count('<li><a href="/?q=') >= 3  # example queries


def test_hits_link_to_their_paragraph_with_persian_digits(server):
    status, _, html = get(server[0], "/", q="هفت‌تپه")
    assert status == 200
    assert "<mark>هفت تپه</mark>" in html  # both words, whole, in one highlight
    assert html.count('<li class="hit">') == 3
    assert "پاراگراف ۴" in html and "پاراگراف 4" not in html
    assert f'href="/article/{ARTICLE_ID}?q=%D9%87%D9%81%D8%AA%E2%80%8C%D8%AA%D9%BE%D9%87#p4"' in html
    assert "۱ تا ۳ از ۳ پاراگراف" in html and 'role="status"' in html
    assert "<h3>" in html and "score" not in html and "10.64" not in html  # no raw score
    assert not LATIN_DIGIT.search(text_of(html, "hit") + text_of(html, "status"))


def test_sections_of_different_articles_stay_apart_and_articles_have_a_facet(server):
    _, _, html = get(server[0], "/", q="کارگران")
    intro = re.findall(r'<a href="([^"]+)">مقدمه</a>', html)
    assert len(intro) == 2 and len(set(intro)) == 2  # one per article
    assert any("teachers.md" in link for link in intro) and any(ARTICLE.name in link for link in intro)
    assert "<h2>مقاله‌ها</h2>" in html and ">اعتصاب معلمان</a>" in html
    _, _, only = get(server[0], "/", q="کارگران", article="teachers.md", section="مقدمه")
    assert only.count('<li class="hit">') == 1 and "معلمان و <mark>کارگران</mark>" in only


def test_paging_has_previous_next_and_the_range(server):
    _, _, first = get(server[0], "/", q="کارگر")
    assert first.count('<li class="hit">') == 10 and 'rel="next"' in first and 'rel="prev"' not in first
    total = re.search(r"۱ تا ۱۰ از ([۰-۹]+) پاراگراف", first)[1]
    _, _, second = get(server[0], "/", q="کارگر", page="2")
    assert 'rel="prev"' in second and 'rel="next"' not in second and '<ol start="11">' in second
    assert f"۱۱ تا {total} از {total} پاراگراف" in second


def test_a_new_search_does_not_keep_the_section_filter(server):
    _, _, filtered = get(server[0], "/", q="کارگر", section="خانواده")
    assert filtered.count('<li class="hit">') == 3 and "برداشتن فیلتر" in filtered
    assert 'name="section"' not in filtered  # the form starts a search in every section


def test_notices_are_persian_with_a_way_back_to_the_original(server):
    _, _, html = get(server[0], "/", q="کمونیزم")
    notices = text_of(html, "notice")
    assert "نتیجه‌ها برای «" in notices and "کمونیسم" in notices and not LATIN_WORD.search(notices)
    back = re.search(r'<a href="([^"]+)">جستجو برای «کمونیزم» به جای آن</a>', html)[1]
    _, _, original = get(server[0], back.replace("&amp;", "&"))
    assert "هیچ پاراگرافی پیدا نشد" in original and '<li class="hit">' not in original
    _, _, html = get(server[0], "/", q="نفت تلویزیون")
    notices = text_of(html, "notice")
    assert "بیشتر واژه‌ها" in notices and not LATIN_WORD.search(notices)
    _, _, html = get(server[0], "/", q="نفت فوتبال")  # فوتبال: in no paragraph
    notices = text_of(html, "notice")
    assert "«فوتبال» را به هیچ شکلی ندارد" in notices and not LATIN_WORD.search(notices)


def test_no_results_page_has_tips_and_single_word_links(server):
    _, _, html = get(server[0], "/", q="زرافه کرگدن", exact="1")
    assert "هیچ پاراگرافی پیدا نشد" in html and "چه کنید؟" in html
    assert '<a href="/?q=%D8%B2%D8%B1%D8%A7%D9%81%D9%87">زرافه</a>' in html


def test_timed_out_result_is_said_in_persian(server, monkeypatch):
    from flask import render_template

    from fasearch.serve.web.app import create_app

    app = create_app(server[1])
    result = searching.SearchResult("کارگر", 0, [], timed_out=True)
    with app.test_request_context("/?q=کارگر"):
        html = render_template("page.html", q="کارگر", section=None, article=None, page=1, result=result,
                               error=None, page_url=lambda **k: "/", catalog={}, did_you_mean=None, hits=[],
                               first=1, last_shown=0, last_page=1, pages=[1], articles=[], sections=[], words=[])
    assert "بیش از اندازه طول کشید" in html


# --- the article view ----------------------------------------------------------------

def test_article_view_has_every_paragraph_and_marks_the_words(server):
    status, _, html = get(server[0], f"/article/{ARTICLE_ID}", q="هفت‌تپه")
    assert status == 200
    assert "<h1>حزب کمونیست کارگری و جنبش کارگری</h1>" in html and "اصغر کریمی" in html
    assert all(f'id="p{n}"' in html for n in range(1, 14))
    assert "<h2>نقش خانواده ها</h2>" in html and "<mark>هفت تپه</mark>" in html
    assert 'href="/?q=' in html  # back to the results


@pytest.mark.parametrize("article_id", ["nothing", "..%2f..%2fetc%2fpasswd", "%00", ARTICLE.name])
def test_unknown_article_is_a_persian_404(server, article_id):
    status, _, html = get(server[0], f"/article/{article_id}")
    assert status == 404 and "خطای ۴۰۴" in html and "این صفحه پیدا نشد" in html
    assert not LATIN_WORD.search(text_of(html, "error"))


def test_article_view_and_suggestions_escape_user_strings(server):
    status, _, html = get(server[0], "/article/hostile", q=PAYLOAD)
    assert status == 200 and "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    status, headers, body = get(server[0], "/api/suggest", q="زنبور" + PAYLOAD)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(body)["query"] == "زنبور" + PAYLOAD


# --- completions ---------------------------------------------------------------------

def test_suggest_completes_the_last_word_in_any_spelling(server):
    _, _, body = get(server[0], "/api/suggest", q="اعتصاب كارگ")  # Arabic kaf
    found = json.loads(body)["suggestions"]
    assert "اعتصاب کارگران" in found and "اعتصاب کارگر" in found
    assert all(s.startswith("اعتصاب کارگ") for s in found) and len(found) <= 8
    assert json.loads(get(server[0], "/api/suggest", q="")[2])["suggestions"] == []
    assert json.loads(get(server[0], "/api/suggest", q="ژژژژ")[2])["suggestions"] == []


def test_suggestions_show_words_as_written(server):
    # The fold field holds «بين» as «بین»; the reader sees the written form.
    found = json.loads(get(server[0], "/api/suggest", q="بين")[2])["suggestions"]
    assert "بین" in found and all("ي" not in s for s in found)


# --- the API -------------------------------------------------------------------------

def test_api_returns_the_very_bytes_of_the_cli(server):
    status, headers, body = get(server[0], "/api/search", q="کارگران نفت")
    assert status == 200 and headers["Content-Type"] == "application/json"
    cli = subprocess.run([sys.executable, "search.py", "کارگران نفت", "--json", "--index", str(server[1])],
                         cwd=ROOT, capture_output=True, env=os.environ)
    assert body.encode("utf-8") == cli.stdout
    assert "\\u" not in body and list(json.loads(body)) == list(as_dict(search(open_index(server[1]), "x")))


def test_long_query_is_refused_in_persian(server):
    status, _, html = get(server[0], "/", q="ک" * 2500)  # 15 KB of URL: under the 414 limit
    assert status == 400 and "۲٬۵۰۰ نویسه" in html and not LATIN_WORD.search(text_of(html, "error"))
    status, _, body = get(server[0], "/api/search", q="ک" * 2500)
    assert status == 400 and "error" in json.loads(body)


# --- headers and the server's own refusals ---------------------------------------------

@pytest.mark.parametrize("path", ["/", "/?q=کارگر", "/api/search?q=کارگر", "/api/suggest?q=ک",
                                  "/static/page.css", "/nothing-here", f"/article/{ARTICLE_ID}"])
def test_security_headers_and_no_server_version(server, path):
    _, headers, _ = get(server[0], urllib.parse.quote(path, safe="/?=&"))
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers.get("Server") is None and "Werkzeug" not in str(headers)


def raw(base: str, request: bytes) -> tuple[int, str]:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        data = b""
        try:  # a server that refuses a request early may reset the connection after answering
            s.sendall(request)
            while chunk := s.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1") + "\n" + body.decode("utf-8")


@pytest.mark.parametrize("code,request_bytes", [
    (400, b"NOT A REQUEST\r\n\r\n"),  # refused by waitress itself
    (414, b"GET /?q=" + b"%D8%A7" * 5000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    (431, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\nConnection: close\r\n\r\n"),
    (431, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\nConnection: close\r\n\r\n"),  # waitress
])
def test_refusals_are_the_projects_own_persian_pages(server, code, request_bytes):
    status, response = raw(server[0], request_bytes)
    assert status == code
    assert f"خطای {str(code).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}" in response
    assert "waitress" not in response.lower() and "nosniff" in response


# --- the server under load, and across index updates -----------------------------------

def test_concurrent_requests_all_get_their_own_answer(server):
    queries = ["کارگران نفت", "هفت‌تپه", "کمپین*", '"طبقه کارگر"', "اعتصاب -نفت", "معلمان"]
    expected = {q: get(server[0], "/api/search", q=q)[2] for q in queries}

    def ask(i):
        q = queries[i % len(queries)]
        return q, get(server[0], "/api/search", q=q)

    with ThreadPoolExecutor(max_workers=24) as pool:  # bounded: 24 clients, 120 requests
        answers = list(pool.map(ask, range(120)))
    assert all(status == 200 and body == expected[q] for q, (status, _, body) in answers)


def test_a_request_whose_client_hung_up_is_not_searched(server):
    from fasearch.serve.web.app import create_app
    from fasearch.serve.web.server import LIMITS

    assert LIMITS["channel_request_lookahead"] > 0  # waitress then sets waitress.client_disconnected
    client = create_app(server[1]).test_client()
    for path in ("/?q=کارگر", "/api/search?q=کارگر"):
        left = client.get(path, environ_base={"waitress.client_disconnected": lambda: True})
        assert left.status_code == 400 and left.data == b""
        still = client.get(path, environ_base={"waitress.client_disconnected": lambda: False})
        assert still.status_code == 200 and "کارگر".encode() in still.data


def deleted_handles() -> list[str]:
    fds = Path("/proc/self/fd")
    links = []
    for fd in fds.iterdir():
        try:
            links.append(os.readlink(fd))
        except OSError:
            pass
    maps = Path("/proc/self/maps").read_text().splitlines()
    return [x for x in links + maps if "(deleted)" in x]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_index_updates_leave_no_handle_on_deleted_generations(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    build_index(corpus, tmp_path / "index")
    pool = IndexPool(tmp_path / "index", size=4)
    held = []
    for round_ in range(6):
        with pool.borrow() as a, pool.borrow() as b:  # two requests at once
            assert search(a, "کارگر").total and search(b, "نفت").total
            held.append(a.path.name)
        (corpus / "extra.md").write_text(f"## بخش {round_}\n\nکارگران نفت در دور {'۰۱۲۳۴۵'[round_]} اعتصاب کردند.\n", "utf-8")  # noqa: E501
        build_index(corpus, tmp_path / "index")  # a new generation; the one before the last is deleted
    with pool.borrow() as ix:  # the latest generation, with the latest text
        assert ix.path.name == (tmp_path / "index" / "CURRENT").read_text().strip()
        assert "دور ۵" in search(ix, "اعتصاب کردند", article="extra").hits[0].text
    assert len(set(held)) == 6
    assert [x for x in deleted_handles() if str(tmp_path) in x] == []
    pool.close()


def test_a_search_over_its_time_budget_stops_and_says_so(make_index, monkeypatch):
    text = ARTICLE.read_text("utf-8")
    ix = make_index({f"copy{i}.txt": text for i in range(12)})  # 156 paragraphs
    if ix.meta.get("engine") == "tantivy":
        pytest.skip("tantivy has no timer: its searches take milliseconds (docs/scale.md)")
    prefixes = " ".join(f"{letter}*" for letter in "ابپتجچحخدرزسشصطعفقکگلمنوهی")
    assert not search(ix, prefixes, limit=5).timed_out
    monkeypatch.setattr(searching, "TIME_BUDGET", 0.0)
    engine, passes = ix.searcher(), []

    def counted(*args, **kwargs):
        passes.append(args)
        return type(engine).top(engine, *args, **kwargs)

    monkeypatch.setattr(engine, "top", counted)
    result = search(ix, prefixes, limit=5)
    assert result.timed_out and as_dict(result)["timed_out"] is True
    assert (result.total, result.hits) == (0, [])
    assert len(passes) == 1  # no any-word fallback after a pass that ran out of time


def test_port_in_use_is_one_error_line(server):
    port = int(server[0].rsplit(":", 1)[1])
    run = subprocess.run([sys.executable, "search.py", "--serve", "--port", str(port), "--index", str(server[1])],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "Serving" not in run.stdout
    assert run.stderr.startswith("Error: port ") and "in use" in run.stderr and run.stderr.count("\n") == 1


def test_serving_beyond_this_machine_warns(server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "search.py", "--serve", "--host", "0.0.0.0", "--port", str(port),
                                "--index", str(server[1])], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        warning = process.stderr.readline()
        assert warning.startswith("Warning: --host 0.0.0.0 lets other machines reach the page")
        assert process.stdout.readline().startswith(f"Serving http://0.0.0.0:{port}/")
    finally:
        process.terminate()
        process.wait(10)


def test_font_is_served_locally(server):
    status, headers, _ = get(server[0], "/font.ttf")
    if Path("/usr/share/fonts/truetype/farsiweb/nazli.ttf").exists():
        assert (status, headers["Content-Type"]) == (200, "font/ttf")
    else:
        assert status == 404


@pytest.mark.parametrize("path", ["/static/../web.py", "/static/%2e%2e/web.py", "/static/..%2fweb.py",
                                  "/static//etc/passwd", "/nothing-here"])
def test_no_escape_from_the_static_folder(server, path):
    status, _, html = get(server[0], path)
    assert status == 404 and "Traceback" not in html and "import" not in html


# --- a real browser -----------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and chromium-driver (.ci/run installs them)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def width(browser, px: int):
    """Set the page's viewport (not the window) to ``px`` CSS pixels wide."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": px, "height": 900, "deviceScaleFactor": 1, "mobile": px < 500})


def wait_for(browser, css):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_browser_desktop_search_with_persian_digits(server, browser):
    from selenium.webdriver.common.by import By

    width(browser, 1280)
    browser.get(server[0] + "/")
    browser.save_screenshot(str(ARTIFACTS / "start-1280.png"))
    box = browser.find_element(By.NAME, "q")
    box.send_keys("كارگران نفت")  # Arabic kaf, as a user may type it
    box.submit()
    wait_for(browser, "li.hit")
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert len(hits) == 2
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit mark")]
    assert "کارگران نفت" in marks  # words side by side: one mark
    count = browser.find_element(By.CSS_SELECTOR, ".count").text
    assert "۱ تا ۲ از ۲" in count and not LATIN_DIGIT.search(count)
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    facets = browser.find_element(By.CSS_SELECTOR, ".facets")
    assert facets.get_attribute("open") is not None and facets.rect["width"] < 0.4 * 1280
    assert browser.save_screenshot(str(ARTIFACTS / "results-1280.png"))


def test_browser_phone_hits_use_the_width_and_facets_fold(server, browser):
    from selenium.webdriver.common.by import By

    width(browser, 390)
    browser.get(server[0] + "/?" + urllib.parse.urlencode({"q": "کارگر"}))
    wait_for(browser, "li.hit")
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert viewport == 390
    hit = browser.find_element(By.CSS_SELECTOR, "li.hit")
    assert hit.rect["width"] >= 0.8 * viewport
    facets = browser.find_element(By.CSS_SELECTOR, "details.facets")
    assert facets.get_attribute("open") is None  # folded, above the hits
    assert facets.rect["y"] < hit.rect["y"]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport  # no sideways scroll
    browser.save_screenshot(str(ARTIFACTS / "results-390.png"))
    browser.find_element(By.CSS_SELECTOR, "details.facets summary").click()
    browser.save_screenshot(str(ARTIFACTS / "facets-open-390.png"))
    width(browser, 1280)


def test_browser_article_view_marks_and_shows_the_paragraph(server, browser):
    from selenium.webdriver.common.by import By

    width(browser, 1280)
    browser.get(server[0] + "/?" + urllib.parse.urlencode({"q": "هفت‌تپه"}))
    wait_for(browser, "li.hit h3 a").click()
    target = wait_for(browser, ".paragraph:target")
    assert target.get_attribute("id") == "p4"
    assert "هفت تپه" in [m.text for m in target.find_elements(By.TAG_NAME, "mark")]
    top = target.rect["y"]
    scrolled = browser.execute_script("return window.scrollY")
    assert scrolled > 0 and scrolled - 2 <= top < scrolled + 900  # scrolled to, its start in view
    assert target.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    browser.save_screenshot(str(ARTIFACTS / "article-1280.png"))
    width(browser, 390)
    browser.refresh()
    wait_for(browser, ".paragraph:target")
    browser.save_screenshot(str(ARTIFACTS / "article-390.png"))
    width(browser, 1280)
    browser.find_element(By.PARTIAL_LINK_TEXT, "بازگشت به نتیجه‌ها").click()
    wait_for(browser, "li.hit")


def test_browser_suggestions_by_keyboard(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    width(browser, 1280)
    browser.get(server[0] + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("اعتصاب كارگ")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#suggestions li"))
    assert box.get_attribute("aria-expanded") == "true"
    browser.save_screenshot(str(ARTIFACTS / "suggestions-1280.png"))
    box.send_keys(Keys.ARROW_DOWN)
    chosen = browser.find_element(By.CSS_SELECTOR, "#suggestions li[aria-selected=true]").text
    assert chosen.startswith("اعتصاب کارگ") and box.get_attribute("aria-activedescendant") == "suggestion-0"
    box.send_keys(Keys.ENTER)  # takes the suggestion, does not submit
    assert box.get_attribute("value") == chosen + " " and browser.current_url.rstrip("/") == server[0]
    box.send_keys(Keys.ENTER)  # now searches
    wait_for(browser, "li.hit")
    assert "q=" in browser.current_url


def test_browser_error_pages_and_notices_have_no_english(server, browser):
    from selenium.webdriver.common.by import By

    width(browser, 390)
    for path in ("/nothing-here", "/?" + urllib.parse.urlencode({"q": "ک" * 3000}),
                 "/?" + urllib.parse.urlencode({"q": "کمونیزم"}), "/?" + urllib.parse.urlencode({"q": "نفت فوتبال"})):
        browser.get(server[0] + path)
        text = browser.find_element(By.TAG_NAME, "main").text
        assert not LATIN_WORD.search(text), (path, text)
    browser.get(server[0] + "/?" + urllib.parse.urlencode({"q": "زرافه کرگدن", "exact": "1"}))
    browser.save_screenshot(str(ARTIFACTS / "no-results-390.png"))
    width(browser, 1280)


def test_a_damaged_current_is_a_clear_error_on_every_route(tmp_path):
    """CURRENT holding binary bytes: the page, the API, suggestions and the article
    view say the index is unusable (503), never a server error (500)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    build_index(corpus, tmp_path / "index")
    httpd, base = start(tmp_path / "index")
    try:
        (tmp_path / "index" / "CURRENT").write_bytes(b"\xff\xfe\x00gen")
        for path, params in (("/", {"q": "کارگر"}), ("/api/search", {"q": "کارگر"}),
                             ("/api/suggest", {"q": "کار"}), (f"/article/{ARTICLE.stem}", {})):
            status, _, body = get(base, path, **params)
            assert status == 503, (path, status, body[:200])
    finally:
        httpd.close()
