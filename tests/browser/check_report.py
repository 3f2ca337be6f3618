#!/usr/bin/python3
"""Open a local HTML report in headless Chromium and check that it really rendered.

The report is meant to be one self-contained file that works offline, so a test must
prove more than "the file exists": the charts rendered, nothing went to the console as
an error, and the page asked the network for nothing. This script drives
/usr/bin/chromium over the DevTools protocol and prints one JSON object:

  {"url": ..., "rendered": bool, "marker": <value of data-rendered>,
   "chart_selector": ..., "chart_count": n, "console_errors": [...],
   "network_requests": [...], "screenshot": path|null, "ok": bool, "failures": [...]}

It exits 0 only when the page set document.documentElement.dataset.rendered to "true"
(the report's "all charts finished" marker), logged no console error or uncaught
exception, made no request other than the page itself and data:/blob: URLs, and shows at
least --min-charts elements matching --chart-selector. Otherwise it exits 1 and says why
on stderr.

It talks to Chromium over --remote-debugging-pipe (NUL-separated JSON on fds 3 and 4)
rather than a TCP port: no port to pick or race for, nothing listening on the machine,
and no WebSocket client needed, so the standard library is enough. Requests to http(s)
are failed before they leave the browser, so a report that references a CDN fails fast
and the test never depends on the network. Chromium gets a fresh profile in a temp dir;
the process group and the dir are removed on every exit path, and an overall deadline
bounds every wait.

Usage: check_report.py REPORT.html [--min-charts N] [--chart-selector CSS]
                       [--screenshot OUT.png] [--timeout S] [--render-timeout S]
"""

import argparse
import base64
import fcntl
import json
import os
import pathlib
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
SETUP_HINT = "install it with scripts/setup.sh (Debian package 'chromium')"
# Fixed viewport so screenshots are comparable between runs and machines.
VIEWPORT = (1280, 900)
# Screenshots of very long pages are cut here; the report is not meant to be that long.
SCREENSHOT_HEIGHT_MAX = 8000


class HarnessError(Exception):
    """The harness itself could not do its job (browser missing, died, timed out)."""


class ProtocolError(HarnessError):
    """The browser answered a DevTools command with an error."""


class DevTools:
    """Minimal DevTools-protocol client over Chromium's --remote-debugging-pipe."""

    def __init__(self, to_browser, from_browser, deadline):
        self._out = to_browser
        self._in = from_browser
        self.deadline = deadline
        self._buffer = b""
        self._last_id = 0
        self._replies = {}  # id -> reply that arrived while waiting for another one

    def send(self, method, params=None, session=None):
        """Sends a command without waiting; returns its id."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._out, data):]
        except OSError as error:
            raise HarnessError(f"cannot send {method} to the browser: {error}") from error
        return self._last_id

    def call(self, method, params=None, session=None):
        """Sends a command and returns its result, dispatching events that come first."""
        wanted = self.send(method, params, session)
        while wanted not in self._replies:
            message = self._read_message()
            if "id" in message:
                self._replies[message["id"]] = message
            elif "method" in message:
                self.on_event(message["method"], message.get("params", {}),
                              message.get("sessionId"))
        reply = self._replies.pop(wanted)
        if "error" in reply:
            raise ProtocolError(f"DevTools {method} failed: {reply['error']}")
        return reply.get("result", {})

    def on_event(self, method, params, session):
        """Called for each event; may send() but must not call()."""

    def _read_message(self):
        while b"\0" not in self._buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise HarnessError("overall timeout: no answer from the browser in time "
                                   "(a script on the page may be stuck)")
            ready, _, _ = select.select([self._in], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise HarnessError("the browser closed the DevTools pipe (it exited or crashed)")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)


class ReportSession(DevTools):
    """Collects console errors and network requests for one page while it loads."""

    def __init__(self, to_browser, from_browser, deadline, page_url):
        super().__init__(to_browser, from_browser, deadline)
        self.page_url = page_url
        self.session = None
        self.console_errors = []
        self.network_requests = []

    def on_event(self, method, params, session):
        if method == "Fetch.requestPaused":
            # Only http(s) is intercepted (see open_page); none of it may leave the browser.
            self.send("Fetch.failRequest",
                      {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                      session=session)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(_remote_object_text(a) for a in params.get("args", []))
            self.console_errors.append({"source": "console", "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            text = exception.get("description") or details.get("text", "")
            self.console_errors.append({"source": "exception", "text": text,
                                        "line": details.get("lineNumber")})
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.console_errors.append({"source": entry.get("source", "log"),
                                        "text": entry.get("text", ""),
                                        "url": entry.get("url")})
        elif method == "Network.requestWillBeSent":
            self._note_request(params.get("request", {}).get("url", ""))
        elif method == "Network.webSocketCreated":
            self._note_request(params.get("url", ""))

    def _note_request(self, url):
        if url.split("#", 1)[0] == self.page_url:
            return
        if url.startswith(("data:", "blob:", "about:")):
            return
        if url not in self.network_requests:
            self.network_requests.append(url)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True},
                           session=self.session)
        if "exceptionDetails" in result:
            raise HarnessError(f"evaluating {expression!r} failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")


def _remote_object_text(obj):
    if "value" in obj:
        return obj["value"] if isinstance(obj["value"], str) else json.dumps(obj["value"])
    return obj.get("description", obj.get("type", ""))


def make_profile_dir():
    """A fresh dir for Chromium's profile and temp files, short enough for a socket.

    Chromium puts a Unix socket at $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket
    and dies if that path exceeds the 107-byte socket limit, which a deep $TMPDIR (a
    ctest build tree) easily does; fall back to /tmp then.
    """
    base = tempfile.gettempdir()
    if len(base) > 40:
        base = "/tmp"
    return tempfile.mkdtemp(prefix="flchrome-", dir=base)


def start_chromium(profile_dir, log_file):
    """Starts Chromium in its own process group, DevTools on fds 3 (in) and 4 (out)."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    # The child's ends go above fd 9 so that moving them onto 3 and 4 in the shell
    # below cannot overwrite one with the other.
    child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
    child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
    for fd in (to_child_r, from_child_w):
        os.close(fd)
    # bash (dash takes only one-digit fds) places the pipe on 3/4 and execs the browser:
    # no preexec_fn, which is unsafe once threads exist.
    wire = f'exec 3<&{child_in} 4>&{child_out} {child_in}<&- {child_out}>&-; exec "$@"'
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile_dir}", "--remote-debugging-pipe",
        # /dev/shm in containers is often tiny; Chromium crashes when it fills up.
        "--disable-dev-shm-usage",
        "--disable-extensions", "--disable-default-apps", "--mute-audio",
        "--hide-scrollbars", "--no-default-browser-check",
        f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank",
    ]
    try:
        process = subprocess.Popen(
            ["/bin/bash", "-c", wire, "bash"] + command, stdin=subprocess.DEVNULL,
            stdout=log_file, stderr=log_file, pass_fds=(child_in, child_out),
            start_new_session=True,
            # Everything Chromium writes (profile, shared-memory files standing in for
            # /dev/shm) lands in profile_dir, which is removed even if Chromium is killed.
            env=dict(os.environ, HOME=profile_dir, TMPDIR=profile_dir))
    finally:
        os.close(child_in)
        os.close(child_out)
    return process, to_child_w, from_child_r


def stop_chromium(process, devtools):
    """Asks the browser to quit, then kills its whole process group if it lingers."""
    if process.poll() is None and devtools is not None:
        try:
            devtools.deadline = time.monotonic() + 3
            devtools.call("Browser.close")
        except (HarnessError, OSError, ValueError):
            pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    # Renderer and zygote processes share the group; make sure none survive.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def open_page(devtools, url):
    target = devtools.call("Target.createTarget", {"url": "about:blank"})
    attached = devtools.call("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True})
    devtools.session = session = attached["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        devtools.call(f"{domain}.enable", session=session)
    devtools.call("Fetch.enable", {"patterns": [{"urlPattern": "http*"}]}, session=session)
    devtools.call("Emulation.setDeviceMetricsOverride",
                  {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
                   "mobile": False}, session=session)
    navigation = devtools.call("Page.navigate", {"url": url}, session=session)
    if navigation.get("errorText"):
        raise HarnessError(f"cannot open {url}: {navigation['errorText']}")


def wait_for_marker(devtools, render_deadline):
    marker = None
    while time.monotonic() < render_deadline:
        try:
            marker = devtools.evaluate("document.documentElement"
                                       " ? document.documentElement.dataset.rendered ?? null"
                                       " : null")
        except ProtocolError:
            pass  # the page was between documents (navigation in progress); ask again
        if marker == "true":
            return marker
        time.sleep(0.1)
    return marker


def take_screenshot(devtools, path):
    metrics = devtools.call("Page.getLayoutMetrics", session=devtools.session)
    size = metrics.get("cssContentSize") or metrics.get("contentSize")
    width = max(1, min(int(size["width"]), VIEWPORT[0] * 2))
    height = max(1, min(int(size["height"]), SCREENSHOT_HEIGHT_MAX))
    shot = devtools.call("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
        session=devtools.session)
    pathlib.Path(path).write_bytes(base64.b64decode(shot["data"]))


def check(args, result):
    """Fills `result` as far as it gets, so a HarnessError still leaves what was seen."""
    report = pathlib.Path(args.report).resolve()
    url = result["url"] = report.as_uri()
    if not report.is_file():
        raise HarnessError(f"no such file: {report}")
    if not os.access(CHROMIUM, os.X_OK):
        raise HarnessError(f"{CHROMIUM} not found; {SETUP_HINT}")
    deadline = time.monotonic() + args.timeout

    profile_dir = make_profile_dir()
    process = devtools = None
    log_path = os.path.join(profile_dir, "chromium.log")
    try:
        with open(log_path, "wb") as log_file:
            process, to_browser, from_browser = start_chromium(profile_dir, log_file)
        devtools = ReportSession(to_browser, from_browser, deadline, url)
        try:
            open_page(devtools, url)
            render_deadline = min(deadline - 5, time.monotonic() + args.render_timeout)
            result["marker"] = wait_for_marker(devtools, render_deadline)
            result["rendered"] = result["marker"] == "true"
            # Errors from the last rendering steps can arrive just after the marker.
            settle_end = time.monotonic() + args.settle_ms / 1000
            while time.monotonic() < settle_end:
                time.sleep(0.05)
                devtools.evaluate("0")
            result["chart_count"] = devtools.evaluate(
                f"document.querySelectorAll({json.dumps(args.chart_selector)}).length")
            if args.screenshot:
                take_screenshot(devtools, args.screenshot)
                result["screenshot"] = str(pathlib.Path(args.screenshot).resolve())
        except HarnessError as error:
            if process.poll() is None:
                raise
            # The browser died: its own log usually says why (the dbus lines are noise).
            tail = pathlib.Path(log_path).read_text(errors="replace").splitlines()[-5:]
            raise HarnessError(f"{error}\nlast chromium log lines:\n  " + "\n  ".join(tail))
        finally:
            result["console_errors"] = devtools.console_errors
            result["network_requests"] = devtools.network_requests
            stop_chromium(process, devtools)
            os.close(to_browser)
            os.close(from_browser)
    finally:
        if process is not None and process.poll() is None:
            stop_chromium(process, None)
        shutil.rmtree(profile_dir, ignore_errors=True)


def verdict(result, min_charts):
    failures = []
    if not result["rendered"]:
        failures.append(f"render marker not set (data-rendered={result['marker']!r})")
    if result["console_errors"]:
        failures.append(f"{len(result['console_errors'])} console error(s): "
                        + "; ".join(e["text"][:200] for e in result["console_errors"]))
    if result["network_requests"]:
        failures.append(f"{len(result['network_requests'])} network request(s): "
                        + ", ".join(result["network_requests"]))
    if result["chart_count"] < min_charts:
        failures.append(f"{result['chart_count']} element(s) match "
                        f"{result['chart_selector']!r}, expected at least {min_charts}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="HTML file to open")
    parser.add_argument("--chart-selector", default=".chart svg, .chart canvas")
    parser.add_argument("--min-charts", type=int, default=1)
    parser.add_argument("--screenshot", metavar="FILE", help="write a PNG of the full page")
    parser.add_argument("--timeout", type=float, default=60,
                        help="overall limit in seconds, browser start to exit")
    parser.add_argument("--render-timeout", type=float, default=30,
                        help="how long to wait for the data-rendered marker")
    parser.add_argument("--settle-ms", type=int, default=250,
                        help="how long to keep collecting errors after the marker")
    args = parser.parse_args()

    # SIGTERM (ctest timeout) must still run the cleanup in check()'s finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("check_report: terminated"))
    # Last-resort bound in case something blocks outside the deadline-aware reads.
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("check_report: overall timeout"))
    signal.alarm(int(args.timeout) + 20)

    result = {"url": None, "rendered": False, "marker": None,
              "chart_selector": args.chart_selector, "chart_count": 0,
              "console_errors": [], "network_requests": [], "screenshot": None}
    try:
        check(args, result)
        failures = verdict(result, args.min_charts)
    except HarnessError as error:
        failures = [str(error)]
    result["ok"] = not failures
    result["failures"] = failures
    print(json.dumps(result, indent=2))
    if failures:
        for failure in failures:
            print(f"check_report: FAIL: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
