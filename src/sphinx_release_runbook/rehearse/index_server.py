"""The local index's own program: pypiserver, answering uploads the way PyPI does.

``python -m sphinx_release_runbook.rehearse.index_server`` is started by
:mod:`.index` as a child process in its own process group.  It binds
127.0.0.1 on a port the kernel picks (no race with another program for a
"free" port), writes that port to ``--port-file`` and serves pypiserver's WSGI
application until it is stopped.

Two answers differ from pypiserver's, so that what a guide's troubleshooting
entries match on PyPI matches here too:

* an upload of a file that already exists is ``400 File already exists``
  (pypiserver says ``409 Conflict`` to every client but twine);
* an upload without valid credentials is ``403 Invalid or non-existent
  authentication information`` (pypiserver says ``401``, which makes some
  clients ask for a password instead of failing).

And one more rule: a name given with ``--local-only`` (the package being
released) never falls through to the upstream index, so the released version
can only come from the local one.  Every upload is recorded, one JSON line
each, in ``--log``.
"""

from __future__ import annotations

import argparse
import base64
import importlib
import importlib.abc
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from socketserver import ThreadingMixIn
from types import FrameType, ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

FILE_EXISTS = "400 File already exists. See https://pypi.org/help/#file-name-reuse"
INVALID_AUTH = (
    "403 Invalid or non-existent authentication information. "
    "See https://pypi.org/help/#invalid-auth for more information."
)
#: The user name of uploads with a user and a password.
USER = "rehearsal"
#: The user name API tokens are sent with (PyPI's convention, used by Poetry and twine).
TOKEN_USER = "__token__"
_SIMPLE_PAGE = re.compile(r"^/simple/(?P<name>[^/]+)/?$")


def normalise(name: str) -> str:
    """A project name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


class PyPIAnswers:
    """WSGI middleware: PyPI's status lines for upload failures, local-only names, a log."""

    def __init__(self, app: WSGIApp, local_only: Sequence[str], log: Path, upstream: str) -> None:
        self.app = app
        self.upstream = upstream
        self.local_only = {normalise(name) for name in local_only}
        self.log = log

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = str(environ.get("PATH_INFO", "/"))
        upload = method == "POST"
        page = _SIMPLE_PAGE.match(path)
        local_only = bool(page and normalise(page["name"]) in self.local_only)
        seen: dict[str, str] = {}

        def answer(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            code = status.split(" ", 1)[0]
            if upload and code == "409":
                status = FILE_EXISTS
            elif upload and code in ("401", "403"):
                status = INVALID_AUTH
                headers = [(k, v) for k, v in headers if k.lower() != "www-authenticate"]
            elif local_only and code.startswith("3") and self._upstream(headers):
                # The released package must not come from the upstream index.
                status = "404 Not Found"
                headers = [(k, v) for k, v in headers if k.lower() != "location"]
            seen["status"] = status
            return start_response(status, headers, exc_info)

        body = self.app(environ, answer)
        if upload:
            self._record(environ, seen.get("status", ""))
        return body

    def _upstream(self, headers: list[tuple[str, str]]) -> bool:
        """Whether a redirect leads to the upstream index (not a page of this one)."""
        location = next((v for k, v in headers if k.lower() == "location"), "")
        return location.startswith(self.upstream)

    def _record(self, environ: dict[str, Any], status: str) -> None:
        entry = {
            "time": time.time(),
            "status": status.split(" ", 1)[0],
            "user": _basic_user(str(environ.get("HTTP_AUTHORIZATION", ""))),
            "client": str(environ.get("HTTP_USER_AGENT", "")),
        }
        with self.log.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry) + "\n")


def _basic_user(header: str) -> str:
    """The user name of an HTTP Basic ``Authorization`` header ("" without one)."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(encoded.strip()).decode("utf-8").partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return ""


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not printed: the rehearsal's own report says what reached the index."""


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="index_server")
    parser.add_argument("--packages", type=Path, required=True)
    parser.add_argument("--passwords", type=Path, required=True)
    parser.add_argument("--password-variable", required=True)
    parser.add_argument("--fallback-url", required=True)
    parser.add_argument("--local-only", action="append", default=[])
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    return parser.parse_args(list(argv))


class _WithoutBcrypt(importlib.abc.MetaPathFinder):
    """Makes ``import bcrypt`` fail, as if it were not installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] == "bcrypt":
            raise ImportError("bcrypt is not used by the rehearsal's index")
        return None


def write_passwords(path: Path, password: str) -> None:
    """An htpasswd file with both upload users (``0600``: it is a credential)."""
    if not password:
        raise SystemExit("index_server: no upload password given")
    apache = importlib.import_module("passlib.apache")
    htpasswd = apache.HtpasswdFile(str(path), new=True, default_scheme="apr_md5_crypt")
    for user in (USER, TOKEN_USER):
        htpasswd.set_password(user, password)
    htpasswd.save()
    path.chmod(0o600)


def _stop_with_parent(server: WSGIServer) -> None:
    """Shut the server down when the rehearsal that started it is gone (even by SIGKILL)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    # passlib's bcrypt probe fails on import with current bcrypt releases (a ValueError
    # about 72 bytes) and no upload user here uses bcrypt: keep passlib from loading it.
    sys.meta_path.insert(0, _WithoutBcrypt())
    write_passwords(args.passwords, os.environ.pop(args.password_variable, ""))
    # Imported as a module object: pypiserver ships no type information.
    pypiserver = importlib.import_module("pypiserver")
    app: WSGIApp = pypiserver.app(
        roots=[args.packages],
        password_file=str(args.passwords),
        authenticate=["update"],
        fallback_url=args.fallback_url,
        disable_fallback=False,
        overwrite=False,
    )
    wrapped = PyPIAnswers(app, args.local_only, args.log, args.fallback_url)
    server = make_server(
        "127.0.0.1", 0, wrapped, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    signal.signal(signal.SIGTERM, _stop)
    _stop_with_parent(server)
    temporary = args.port_file.with_suffix(".tmp")
    temporary.write_text(str(server.server_port), encoding="utf-8")
    temporary.replace(args.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
