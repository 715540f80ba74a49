"""`handouts serve` on the command line: the address it prints, its refusals in one line, and a real
server that answers on its socket and stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
from typer.testing import CliRunner

from handouts.cli import app
from handouts.project import Project
from handouts.web.server import listen

from servedesk import make_studio

runner = CliRunner()


@pytest.fixture
def studio(tmp_path):
    return make_studio(tmp_path / "studio")


@pytest.fixture
def no_serving(monkeypatch):
    """The socket is bound as it would be; uvicorn is not started."""
    monkeypatch.setattr("uvicorn.Server.run", lambda server, sockets=None: None)


def test_serve_prints_the_address_it_listens_on(studio, no_serving):
    result = runner.invoke(app, ["serve", "--port", "0", "--project", str(studio)])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/") and "token" not in url
    assert result.stderr.splitlines() == ["press Ctrl-C to stop", "stopped"]
    [record] = [json.loads(line) for line in runner.invoke(app, ["serve", "--port", "0", "--json"]).stdout.splitlines()]
    assert record["command"] == "serve" and record["ok"] and record["details"]["url"].startswith("http://127.0.0.1:")


def test_beyond_this_computer_it_prints_a_token_even_when_quiet(studio, no_serving):
    result = runner.invoke(app, ["serve", "--port", "0", "--host", "0.0.0.0", "-q", "--project", str(studio)])
    assert result.exit_code == 0 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: the page is open to every computer on this network that has its token; ")
    assert f"http://{socket.gethostname()}:" in line and "/?token=" in line


def test_a_port_in_use_is_one_line(studio):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = runner.invoke(app, ["serve", "--port", str(port), "--project", str(studio)])
    finally:
        taken.close()
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"error: --port: port {port} is in use on 127.0.0.1 (is the page served already?) "
                             "(hint: stop the other server, or pass another port, e.g. --port 8766)\n")


@pytest.mark.parametrize("args, code, line", [
    (["--port", "eighty"], 2, "error: --port: 'eighty' is not a port number (hint: a whole number from 1 to 65535, "
                              "such as 8765 (0 picks a free one))"),
    (["--port", "70000"], 2, "error: --port: '70000' is not a port number"),
    (["--host", "no-such-host.invalid"], 1, "error: --host: 'no-such-host.invalid' is not an address of this "
                                            "computer (hint: use 127.0.0.1 (this computer only) or 0.0.0.0"),
])
def test_a_wrong_port_or_host_is_one_line(studio, args, code, line):
    result = runner.invoke(app, ["serve", *args, "--project", str(studio)])
    assert result.exit_code == code and result.stderr.startswith(line), result.output


def test_a_broken_studio_yaml_stops_it_before_it_listens(studio):
    (studio / "studio.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["serve", "--port", "0", "--project", str(studio)])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {studio / 'studio.yaml'}:")


def test_a_real_server_answers_on_its_socket_and_checks_the_host(studio):
    running = listen(Project.discover(studio), "127.0.0.1", 0)
    server = running.server()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [running.sock]})
    thread.start()
    try:
        while not server.started:
            thread.join(0.05)
        with urllib.request.urlopen(running.url + "check?content=knee-folds", timeout=60) as answer:
            assert answer.status == 200 and b"2 files checked" in answer.read()
        asked = urllib.request.Request(running.url, headers={"Host": "rebound.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(asked, timeout=30)
        assert refused.value.code == 400
    finally:
        server.should_exit = True
        thread.join(60)
        running.sock.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is a POSIX signal")
def test_ctrl_c_stops_it_and_says_so(studio):
    process = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--port", "0", "--project", str(studio)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.stdout.readline().strip()
        with urllib.request.urlopen(url + "class", timeout=60) as answer:
            assert answer.status == 200
        process.send_signal(signal.SIGINT)
        code = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    errors = process.stderr.read()
    assert code == 0, errors
    assert errors.splitlines() == ["press Ctrl-C to stop", "stopped"]
