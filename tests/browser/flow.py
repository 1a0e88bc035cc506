"""The hosted verification flow end to end: identity-mock, the example app, and a browser.

Started by ``tests/browser/run.sh``. With ``--browser chromium`` a headless Chromium driven by
Selenium clicks through the page; with ``--browser none`` the same steps run at the HTML level
(urllib fetching pages and submitting their forms as a browser would). The flows:

1. the app creates a session whose ``return_url`` points back to it, the browser follows
   ``url``, clicks "Verify" and lands on ``return_url``; the app sees the session verified
   through the API and through signed webhooks;
2. the same with a failure code: ``requires_input`` with ``last_error``;
3. the first flow's (spent) link again: the "already used" page, HTTP 410;
4. in a browser only (it runs a script): a page calling ``stripe.verifyIdentity(client_secret)``
   with identity-mock's stand-in for Stripe.js reaches the same page and comes back verified.

Every wait is bounded by a count of short polls.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "server" / "examples" / "hosted_app.py"
KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
POLLS = 100  # of 0.05 s each: a webhook has 5 s to arrive


def start(cmd: list[str], prefix: str) -> tuple[subprocess.Popen, str]:
    """Starts a server that prints ``<prefix> <url>`` on its first line; returns it and the URL."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith(prefix):
        proc.kill()
        raise SystemExit(f"{cmd[0]} did not start: {line!r}")
    return proc, line.rsplit(" ", 1)[1]


def api(mock: str, path: str) -> dict:
    req = urllib.request.Request(mock + path, headers={"Authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_for_webhooks(app: str, session_id: str, wanted: list[str]) -> list[str]:
    types: list[str] = []
    for _ in range(POLLS):
        with urllib.request.urlopen(f"{app}/events.json?session={session_id}", timeout=10) as resp:
            got = json.load(resp)
        assert got["rejected"] == 0, "a webhook failed its signature check"
        types = got["types"]
        if all(t in types for t in wanted):
            return types
        time.sleep(0.05)
    raise AssertionError(f"webhooks {wanted} not received for {session_id}; got {types}")


class Forms(HTMLParser):
    """The forms of a page: action, method, fields, and the ids of their buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.texts: dict[str, str] = {}
        self._select: str | None = None
        self._open: list[tuple[str, str]] = []  # (tag, id) of the elements with an id we are in

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "buttons": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "select" and self.forms:
            self._select = a["name"]
        elif tag == "option" and self._select and self.forms:
            self.forms[-1]["fields"].setdefault(self._select, a.get("value", ""))
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(a.get("id", ""))
        if "id" in a and tag not in ("input", "br", "img", "meta"):
            self._open.append((tag, a["id"]))
            self.texts.setdefault(a["id"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open[-1][1]] += data


class HtmlBrowser:
    """Fetches pages and submits their forms with urllib, following redirects as a browser does."""

    def __init__(self) -> None:
        self.url = ""
        self.html = ""
        self.chosen: dict[str, str] = {}

    def _load(self, req: urllib.request.Request) -> None:
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                self.url, self.html = resp.url, resp.read().decode()
        except urllib.error.HTTPError as e:
            self.url, self.html = e.url, e.read().decode()

    def open(self, url: str) -> None:
        self.chosen = {}
        self._load(urllib.request.Request(url))

    def _parsed(self) -> Forms:
        forms = Forms()
        forms.feed(self.html)
        return forms

    def select(self, element_id: str, value: str) -> None:
        self.chosen[element_id] = value

    def click(self, button_id: str) -> None:
        form = next(f for f in self._parsed().forms if button_id in f["buttons"])
        fields = dict(form["fields"])
        fields.update({k: v for k, v in self.chosen.items() if k in fields})
        action = urllib.parse.urljoin(self.url, form["action"] or self.url)
        self.chosen = {}
        self._load(urllib.request.Request(action, data=urllib.parse.urlencode(fields).encode()))

    def text(self, element_id: str) -> str:
        return self._parsed().texts.get(element_id, "").strip()

    def page_text(self) -> str:
        return self.html

    def screenshot(self, path: Path) -> None:
        pass

    def check_focus_order(self) -> None:
        pass

    def quit(self) -> None:
        pass


class ChromiumBrowser:
    """Headless Chromium from Debian's packages, through chromedriver and Selenium."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=900,1180",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ):
            options.add_argument(arg)
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(20)

    @property
    def url(self) -> str:
        return self.driver.current_url

    def open(self, url: str) -> None:
        self.driver.get(url)

    def select(self, element_id: str, value: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        Select(self.driver.find_element(By.ID, element_id)).select_by_value(value)

    def click(self, button_id: str) -> None:
        """Clicks a form's button and waits (a bounded count of polls) for the next page."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By

        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.ID, button_id).click()
        for _ in range(POLLS):
            try:
                old.get_attribute("lang")
            except StaleElementReferenceException:  # the next page has replaced it
                if self.driver.execute_script("return document.readyState") == "complete":
                    return
            time.sleep(0.05)
        raise AssertionError(f"clicking {button_id} loaded no new page (still at {self.url})")

    def text(self, element_id: str) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.ID, element_id).text.strip()

    def page_text(self) -> str:
        return self.driver.page_source

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        assert self.driver.save_screenshot(str(path)), "the screenshot was not written"

    def check_focus_order(self) -> None:
        """Tab from the top reaches Verify, then the failure code, Fail, then Leave."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        order = []
        for _ in range(4):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            order.append(self.driver.switch_to.active_element.get_attribute("id"))
        assert order == ["verify", "code", "fail", "abandon"], order

    def quit(self) -> None:
        self.driver.quit()


def run(browser_kind: str, mock_bin: str, shots: Path) -> None:
    mock_proc, mock = start(
        [mock_bin, "--port", "0", "--webhook-retry-ms", "50"], "identity-mock listening on"
    )
    app_proc = None
    browser = None
    try:
        app_proc, app = start(
            [sys.executable, str(APP), "--mock", mock, "--port", "0"], "example app listening on"
        )
        browser = ChromiumBrowser() if browser_kind == "chromium" else HtmlBrowser()

        # 1. Verify: the browser goes to url, clicks Verify, lands back on return_url.
        browser.open(app + "/")
        browser.click("start")
        assert browser.url.startswith(mock + "/start/test_"), browser.url
        first_link = browser.url
        browser.screenshot(shots / "hosted-page.png")
        browser.check_focus_order()
        browser.click("verify")
        assert browser.url == app + "/return?order=1", browser.url
        assert browser.text("status") == "verified", browser.page_text()
        session_id = browser.text("session")
        assert api(mock, f"/v1/identity/verification_sessions/{session_id}")["status"] == "verified"
        types = wait_for_webhooks(
            app,
            session_id,
            [
                "identity.verification_session.created",
                "identity.verification_session.processing",
                "identity.verification_session.verified",
            ],
        )
        print(f"verify: {session_id} verified; webhooks {types}")

        # 2. A failure code: back on return_url with requires_input and last_error.
        browser.open(app + "/")
        browser.select("type", "document")
        browser.click("start")
        assert browser.url.startswith(mock + "/start/test_"), browser.url
        browser.select("code", "document_expired")
        browser.click("fail")
        assert browser.url == app + "/return?order=2", browser.url
        assert browser.text("status") == "requires_input"
        assert browser.text("last-error") == "document_expired"
        session_id = browser.text("session")
        s = api(mock, f"/v1/identity/verification_sessions/{session_id}")
        assert (s["status"], s["last_error"]["code"]) == ("requires_input", "document_expired"), s
        wait_for_webhooks(app, session_id, ["identity.verification_session.requires_input"])
        print(f"fail: {session_id} requires_input, last_error document_expired; webhook received")

        # 3. The first link again: spent.
        browser.open(first_link)
        assert "already been used" in browser.page_text()
        assert status_of(first_link) == 410
        print("spent link: 410, 'already been used'")

        # 4. A front end calling stripe.verifyIdentity(client_secret) with identity-mock's
        # stand-in for Stripe.js: the same page, and back to return_url.
        if browser_kind == "chromium":
            browser.open(app + "/js")
            browser.click("js-verify")
            assert browser.url.startswith(mock + "/start/test_"), browser.url
            browser.click("verify")
            assert browser.url == app + "/return?order=3", browser.url
            assert browser.text("status") == "verified"
            print("stripe.js verifyIdentity: the same page, then return_url with the session verified")
        else:
            print("stripe.js verifyIdentity: needs a browser that runs scripts, skipped at the HTML level")
    finally:
        if browser is not None:
            browser.quit()
        for proc in (app_proc, mock_proc):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", choices=["chromium", "none"], required=True)
    parser.add_argument("--mock-bin", required=True)
    parser.add_argument("--shots", type=Path, required=True, help="folder for the screenshot")
    args = parser.parse_args()
    run(args.browser, args.mock_bin, args.shots)
    return 0


if __name__ == "__main__":
    sys.exit(main())
