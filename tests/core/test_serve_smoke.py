"""The README's first command: `casework serve` migrates an empty SQLite file, loads the demo, prints the
logins and serves pages on which the printed demo login works."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_first_start_with_demo_login(tmp_path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}", CASEWORK_ENV="development")
    env.pop("CASEWORK_TEST_DB", None)
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    proc = subprocess.Popen([flask, "--app", "wsgi", "casework", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                html = opener.open(base + "/login", timeout=2).read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read())
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not start")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "login": "koordynator",
                                       "password": "demo-casework-2026"}).encode()
        home = opener.open(base + "/login", data=data, timeout=5).read().decode()
        assert "Krystyna Koordynatorska" in home
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert "Demo logins" in output and "koordynator" in output
