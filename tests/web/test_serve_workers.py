"""``homeward serve --workers 2``: two server processes answer one browser in
turn, each seeing what the other wrote (the session, the case page)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from homeward.cli.web import run_app
from homeward.config import Settings
from tests.web.conftest import PASSWORD, World, csrf_of, fresh_code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def served(world: World) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "HOMEWARD_DATA_DIR": str(world.settings.data_dir),
        "HOMEWARD_DATABASE_URL": world.settings.resolved_database_url(),
    }
    command = [sys.executable, "-c", "from homeward.cli.main import main; main()"]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while len(_children(server.pid)) < 2 or not _answers(base):
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(0.3)
        yield base, server
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/signin", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_two_server_processes_serve_one_signed_in_browser(
    world: World, served: tuple[str, subprocess.Popen[bytes]]
) -> None:
    base, server = served
    workers = _children(server.pid)
    assert len(workers) >= 2  # uvicorn's supervisor and its worker processes
    # A new connection for every request, so the requests spread over the processes.
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    client.headers["Connection"] = "close"
    page = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"username": "case_worker", "password": PASSWORD, "next": "/",
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert answer.status_code == 303
    page = client.get("/signin/code")
    code = fresh_code(world, "case_worker")
    answer = client.post(
        "/signin/code", data={"code": code, "next": "/", "csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    for _ in range(12):
        page = client.get(f"/cases/{world.child_number}")
        assert page.status_code == 200 and world.child_number in page.text
    client.close()


def test_several_processes_need_the_settings_of_the_environment(tmp_path: Path) -> None:
    other = Settings(data_dir=tmp_path / "elsewhere", database_url="sqlite:///:memory:")
    with pytest.raises(ValueError, match="from the environment"):
        run_app(other, workers=2)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="the C allocator's pools are glibc's setting",
)
def test_a_server_process_keeps_the_c_allocator_to_few_pools(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each thread of a server otherwise gets a pool of its own that keeps the
    memory its requests freed: the process grew with every import it ran."""
    from homeward.cli import web

    assert web.limit_malloc_arenas() is True
    called: list[int] = []
    monkeypatch.setattr(web, "limit_malloc_arenas", lambda: called.append(1) or True)
    web.make_app(world.settings)
    assert called == [1]
