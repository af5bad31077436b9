#!/usr/bin/env python3
"""A bounded schemathesis run against the demo server: does the OpenAPI document tell the truth?

Starts `steden serve --demo` on an empty SQLite data directory, logs in as the demo platform
administrator through the real login form, creates an API token for the Kenniscentrum with every
module in its scope (through the real token form), and runs schemathesis with all checks twice:
with the token and without one. Any finding fails the run (exit code 1).

Usage: api_fuzz.py PATH/TO/steden [--max-examples N]

Only Python's standard library is used here; schemathesis itself is installed by .ci/run
(pinned version). The demo password is read from the server's start-up banner.
"""

import argparse
import html
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

# Statuses a valid request may get besides 2XX: the API answers 401/403 to a caller without
# the right token, 404 for what the caller may not see, 409 for a conflict and 422 for data
# that is valid by the schema but refused by a rule the schema cannot express (a date range
# whose end lies before its start, an unknown organisation). Everything else (5XX, a status
# the document does not list, a response that does not match its schema) is a finding.
CONFIG = """\
[checks.positive_data_acceptance]
expected-statuses = ["2XX", "401", "403", "404", "409", "422"]
"""

ADMIN_EMAIL = "beheer@demo.stedenplatform.be"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary: str, data_dir: str, port: int, log_path: str) -> subprocess.Popen:
    log = open(log_path, "w")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [binary, "serve", "--demo", "--data-dir", data_dir, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )


def wait_for_password(server: subprocess.Popen, log_path: str, base: str) -> str:
    """The demo password from the banner, once the server answers on its port."""
    deadline = time.time() + 300
    password = None
    while time.time() < deadline:
        if server.poll() is not None:
            sys.exit(f"the demo server stopped (exit {server.returncode}):\n{open(log_path).read()}")
        text = open(log_path).read()
        match = re.search(re.escape(ADMIN_EMAIL) + r"\s+wachtwoord: (\S+)", text)
        if match:
            password = match.group(1)
            try:
                urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=5).read()
                return password
            except (urllib.error.URLError, ConnectionError):
                pass
        time.sleep(0.5)
    sys.exit(f"the demo server did not come up within 300 s:\n{open(log_path).read()}")


class Browser:
    """A cookie-keeping client that fills in forms as a person would."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def post(self, path: str, fields: list) -> str:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path,
            data=data,
            headers={
                "Origin": self.base,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode("utf-8")


def csrf(page: str) -> str:
    match = re.search(r'name="_csrf" value="([^"]+)"', page)
    if not match:
        sys.exit("no CSRF field on the page")
    return html.unescape(match.group(1))


def create_token(base: str, password: str) -> str:
    browser = Browser(base)
    login = browser.get("/aanmelden")
    browser.post(
        "/aanmelden",
        [("_csrf", csrf(login)), ("email", ADMIN_EMAIL), ("password", password), ("volgende", "")],
    )
    organisations = browser.get("/beheer/organisaties")
    # The Kenniscentrum's row: its link text names it.
    match = re.search(r'href="/beheer/organisaties/([^"/]+)">[^<]*Kenniscentrum', organisations)
    if not match:
        sys.exit("the Kenniscentrum is not in /beheer/organisaties (was the login refused?)")
    org_path = "/beheer/organisaties/" + match.group(1)
    detail = browser.get(org_path)
    modules = re.findall(r'name="token_modules" value="([^"]+)"', detail)
    if not modules:
        sys.exit("the token form offers no modules")
    fields = [("_csrf", csrf(detail)), ("token_name", "schemathesis"), ("token_role", "beheerder")]
    fields += [("token_expires", "")] + [("token_modules", m) for m in modules]
    created = browser.post(org_path + "/api-tokens", fields)
    match = re.search(r'id="nieuw-token"[^>]*value="([^"]+)"', created)
    if not match:
        sys.exit("no token shown after creating one")
    print(f"API token created for the Kenniscentrum with modules {', '.join(modules)}")
    return html.unescape(match.group(1))


def run_schemathesis(base: str, config: str, max_examples: int, token) -> bool:
    command = [
        "st",
        "--no-color",
        "--config-file",
        config,
        "run",
        base + "/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(max_examples),
        "--seed",
        "1",
    ]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    label = "with a token" if token else "without a token"
    print(f"\n---- schemathesis {label} ----", flush=True)
    return subprocess.run(command).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--max-examples", type=int, default=30)
    args = parser.parse_args()
    if shutil.which("st") is None:
        sys.exit("schemathesis (st) is not installed")

    work = tempfile.mkdtemp(prefix="steden-fuzz-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = os.path.join(work, "server.log")
    config = os.path.join(work, "schemathesis.toml")
    with open(config, "w") as f:
        f.write(CONFIG)
    server = start_server(args.binary, os.path.join(work, "data"), port, log_path)
    try:
        password = wait_for_password(server, log_path, base)
        token = create_token(base, password)
        ok_token = run_schemathesis(base, config, args.max_examples, token)
        ok_anonymous = run_schemathesis(base, config, args.max_examples, None)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if server.returncode not in (0, -15):
        print(f"server log:\n{open(log_path).read()}")
    if not (ok_token and ok_anonymous):
        print("schemathesis found mismatches between the API and its OpenAPI document")
        print(f"server log kept in {log_path}")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("schemathesis: no findings, with a token and without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
