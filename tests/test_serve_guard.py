"""What keeps `handouts serve` the studio's own: the Host header, the CSRF token, the upload limit, the
token beyond this computer, bugs and logs without clients' names, and the newest preview winning."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from handouts.limits import MAX_ROSTER_BYTES
from handouts.project import Project
from handouts.web import create_app
from handouts.web.guard import Settings

from servedesk import export_roster, files_in, form_token, make_studio

BASE = "http://127.0.0.1:8765"


@pytest.fixture
def studio(tmp_path):
    return make_studio(tmp_path / "studio")


def open_desk(studio, settings=None, base=BASE):
    return TestClient(create_app(Project.discover(studio), settings), base_url=base)


@pytest.fixture
def desk(studio):
    with open_desk(studio) as client:
        yield client


def token(desk) -> str:
    return form_token(desk.get("/class").text)


def handout(csrf: str, **values) -> dict:
    return {"csrf": csrf, "view": "v", "content": "knee-folds.en", "template": "classic", "paper": "a4",
            "client": "Zoë Łukasz", "note": "", "class_name": "", "date": "2026-12-01", **values}


@pytest.mark.parametrize("host", ["evil.example", "attacker.example:8765", "127.0.0.1.nip.io:8765", "", "[::1"])
def test_a_request_under_another_name_is_refused(desk, studio, host):
    """DNS rebinding: a page elsewhere points its own name at 127.0.0.1; its requests carry that name."""
    for method, path in (("GET", "/"), ("POST", "/"), ("GET", "/check")):
        answer = desk.request(method, path, headers={"host": host},
                              data={"csrf": token(desk), "action": "download", **handout(token(desk))})
        assert answer.status_code == 400
        assert "this page is not served under the name" in answer.text and "http://127.0.0.1:8765/" in answer.text
    assert files_in(studio / "output") == []


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost", "127.0.0.2"])
def test_the_names_of_this_computer_are_served(desk, host):
    assert desk.get("/class", headers={"host": host}).status_code == 200


def test_beyond_this_computer_an_address_or_the_computers_name_is_served_and_no_other():
    settings = Settings.for_host("0.0.0.0", 8765)
    assert settings.token and settings.allows_host("192.168.1.20:8765") and settings.allows_host("[fe80::1]:8765")
    assert all(settings.allows_host(name) for name in settings.names)
    assert not settings.allows_host("evil.example:8765")
    assert Settings.for_host("127.0.0.1", 8765).token is None
    assert not Settings.for_host("127.0.0.1", 8765).allows_host("192.168.1.20:8765")


def post_routes(app) -> list[str]:
    return [route.path for route in app.routes if isinstance(route, Route) and "POST" in (route.methods or ())]


def test_every_form_needs_the_token_of_this_browsers_session(desk, studio):
    paths = post_routes(desk.app)
    assert set(paths) == {"/", "/preview", "/class", "/class/build", "/login"}
    csrf = token(desk)
    with open_desk(studio) as other:  # another browser: its own session, and a token that is not its own
        other.get("/class")
        for path in paths:
            for client, data in ((desk, handout("")), (desk, handout("forged")), (other, handout(csrf)),
                                 (desk, {k: v for k, v in handout(csrf).items() if k != "csrf"})):
                answer = client.post(path, data={**data, "action": "download"},
                                     files={"roster": ("r.csv", export_roster(2), "text/csv")} if path == "/class"
                                     else None)
                assert answer.status_code == 403, (path, answer.text)
                assert "the form has no valid security token, so nothing was done" in answer.text
    assert files_in(studio / "output") == []


def test_a_form_sent_from_another_sites_page_is_refused_even_with_the_token(desk, studio):
    csrf = token(desk)
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        answer = desk.post("/", data={**handout(csrf), "action": "download"}, headers=headers)
        assert answer.status_code == 403 and "a page of another site asked this page" in answer.text
    assert desk.post("/", data={**handout(csrf), "action": "download"}, follow_redirects=False,
                     headers={"origin": BASE, "sec-fetch-site": "same-origin"}).status_code == 303


def test_the_token_may_also_come_in_a_header_for_the_pages_script(desk):
    csrf = token(desk)
    data = {k: v for k, v in handout(csrf).items() if k != "csrf"}
    assert desk.post("/preview", data=data, headers={"x-csrf-token": csrf}).status_code == 200


def test_an_upload_over_the_limit_is_refused_before_it_is_read(desk, studio):
    big = b"First Name,Last Name\n" + b"Ana,Garcia\n" * ((MAX_ROSTER_BYTES + 200_000) // 11)
    answer = desk.post("/class", data={"csrf": token(desk)}, files={"roster": ("huge.csv", big, "text/csv")})
    assert answer.status_code == 413
    assert "the upload is 16.2 MB; the page takes a roster of at most 16 MB, as the command line does" in answer.text

    def chunks():  # no Content-Length to go by: counted as it comes
        for _ in range(18):
            yield b"x" * (1024 * 1024)

    answer = desk.post("/class", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 413 and "the upload is larger than that" in answer.text
    assert files_in(studio / "output") == []


def test_beyond_this_computer_every_page_asks_for_the_token(studio):
    settings = Settings.for_host("0.0.0.0", 8765)
    with open_desk(studio, settings) as desk:
        assert desk.get("/", follow_redirects=False).headers["location"] == "/login"
        assert desk.get("/files/abc", follow_redirects=False).headers["location"] == "/login"
        assert desk.get(f"/?token=wrong{settings.token}", follow_redirects=False).headers["location"] == "/login"
        refused = desk.post("/preview", data=handout("x"))
        assert refused.status_code == 401 and "asks for the token printed when" in refused.text
        login = desk.get("/login")
        assert login.status_code == 200
        wrong = desk.post("/login", data={"csrf": form_token(login.text), "token": "nope"})
        assert wrong.status_code == 401 and "that is not the token" in wrong.text
        signed = desk.get(f"/check?content=knee-folds&token={settings.token}", follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/check?content=knee-folds"
        assert desk.get("/class").status_code == 200
    with open_desk(studio, settings) as other:
        login = other.get("/login")
        typed = other.post("/login", data={"csrf": form_token(login.text), "token": settings.token},
                           follow_redirects=False)
        assert typed.status_code == 303 and other.get("/class").status_code == 200


def test_every_answer_keeps_to_itself(desk):
    page = desk.get("/")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "handouts_session=" in page.headers["set-cookie"] and "SameSite=Strict" in page.headers["set-cookie"]
    assert "HttpOnly" in page.headers["set-cookie"]


@pytest.mark.parametrize("address, status, words", [
    ("/nowhere", 404, "there is no page at this address"),
    ("/preview", 405, "this address does not answer a GET request"),
    ("/class/batches/nope", 404, "no class of that id was built here"),
    ("/class/batches/nope/clients.zip", 404, "no class of that id was built here"),
])
def test_an_address_it_does_not_have_is_told_in_words(desk, address, status, words):
    answer = desk.get(address)
    assert answer.status_code == status and words in answer.text


def test_a_bug_is_one_line_in_the_log_without_the_clients_name(desk, monkeypatch, caplog):
    def broken(project, form):
        raise KeyError(str(form.get("client")))

    monkeypatch.setattr("handouts.web.handout.render_preview", broken)
    with caplog.at_level(logging.INFO, logger="handouts.serve"):
        answer = desk.post("/preview", data=handout(token(desk)))
    assert answer.status_code == 500 and "internal error: KeyError in handout.py:" in answer.text
    assert "Zoë" not in answer.text and "Zoë" not in caplog.text and "Łukasz" not in caplog.text
    [record] = caplog.records
    assert record.getMessage().startswith("internal error: KeyError in handout.py:")


@pytest.mark.parametrize("verbose", [False, True])
def test_the_log_names_no_client_unless_verbose(studio, caplog, verbose):
    with open_desk(studio, Settings(verbose=verbose)) as desk, caplog.at_level(logging.INFO, logger="handouts.serve"):
        desk.post("/", data={**handout(token(desk)), "action": "download"})
        page = desk.post("/class", data={"csrf": token(desk)},
                         files={"roster": ("tuesday.csv", export_roster(3), "text/csv")})
        upload = page.text.split('name="upload" value="')[1].split('"')[0]
        desk.post("/class/build", data={"csrf": token(desk), "upload": upload, "content": "knee-folds.en"})
    logged = caplog.text.lower()
    assert ("zoe-lukasz" in logged) is verbose and ("class built into" in logged) is verbose
    assert "zoë" not in logged and "mei chen" not in logged  # names themselves: never


def test_the_newest_preview_wins_and_one_still_waiting_is_never_rendered(desk, monkeypatch):
    import handouts.web.handout as views

    rendered = []
    real = views.render_preview
    monkeypatch.setattr(views, "render_preview", lambda project, form: rendered.append(form.get("client"))
                        or real(project, form))
    csrf, answers = token(desk), {}
    hold = threading.Event()
    desk.app.state.desk.renderer.submit(hold.wait, 30)  # a render in hand while the client types on

    def ask(client: str):
        answers[client] = desk.post("/preview", data={**handout(csrf, client=client), "version": client}).json()

    first = threading.Thread(target=ask, args=("Zo",))
    first.start()
    time.sleep(0.5)
    second = threading.Thread(target=ask, args=("Zoë Łukasz",))
    second.start()
    time.sleep(0.5)
    hold.set()
    first.join(60)
    second.join(60)
    assert answers["Zo"] == {"version": "Zo", "superseded": True}
    assert answers["Zoë Łukasz"]["image"].startswith("data:image/png;base64,")
    assert rendered == ["Zoë Łukasz"]
