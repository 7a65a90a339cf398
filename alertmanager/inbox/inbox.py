#!/usr/bin/env python3
"""The alert inbox: the receiver Alertmanager posts to out of the box (compose service alert-inbox).

Alertmanager's webhook sends JSON (version 4) to http://alert-inbox:8080/<receiver>: /page, /ticket,
/watchdog (the dead man's switch). The inbox
  - logs one JSON line per alert (timestamp, level, message, receiver, status, alertname, service,
    severity, summary): `docker compose logs alert-inbox`, and Loki through Alloy ({service="alert-inbox"});
  - keeps the last INBOX_KEEP notifications (200) in memory and shows them on GET / (newest first, with
    how long ago the last Watchdog heartbeat came) and as JSON on GET /api/notifications (oldest first);
  - answers GET /-/healthy for the container's healthcheck (`inbox.py --check`).

It is no pager: it proves that alerts leave Alertmanager and shows them on this host. Real receivers
and the outside dead man's switch are configured in Alertmanager (alertmanager/README.md). It sits on
the internal observability network only, with no port published; it stores nothing on disk.
Python standard library only, so Debian's python3 runs it as well as the python image.
"""
import argparse
import collections
import datetime
import html
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1024 * 1024
RECEIVER = re.compile(r"/([a-z0-9][a-z0-9_-]{0,39})/?")
# The receiver the Watchdog is routed to (alertmanager.yml: deadmansswitch -> /watchdog).
HEARTBEAT = "watchdog"
LEVELS = {"page": "error", "ticket": "warn"}


class Inbox:
    """The notifications received, newest last, bounded; safe to use from the server's threads."""

    def __init__(self, keep, stale_after_s):
        self.lock = threading.Lock()
        self.notifications = collections.deque(maxlen=keep)
        self.last_heartbeat = None
        self.stale_after_s = stale_after_s

    def add(self, receiver, payload, now=None):
        """Records one webhook call and returns one log record per alert in it."""
        now = time.time() if now is None else now
        alerts = payload.get("alerts")
        if not isinstance(alerts, list):
            raise ValueError("no list of alerts: not an Alertmanager webhook payload")
        kept = []
        for alert in alerts:
            if not isinstance(alert, dict):
                raise ValueError("an alert that is not an object")
            kept.append({"status": str(alert.get("status", "")), "labels": strings(alert.get("labels")),
                         "annotations": strings(alert.get("annotations")), "startsAt": str(alert.get("startsAt", ""))})
        notification = {"received_at": now, "receiver": receiver, "status": str(payload.get("status", "")),
                        "group_labels": strings(payload.get("groupLabels")), "alerts": kept}
        with self.lock:
            self.notifications.append(notification)
            if receiver == HEARTBEAT:
                self.last_heartbeat = now
        return [log_record(now, receiver, alert) for alert in kept]

    def snapshot(self):
        with self.lock:
            return list(self.notifications), self.last_heartbeat

    def heartbeat_line(self, now=None):
        """'Watchdog: ...' in words, and whether it is stale (no heartbeat within stale_after_s)."""
        now = time.time() if now is None else now
        _, last = self.snapshot()
        if last is None:
            return "Watchdog: no heartbeat received since the inbox started", True
        age = now - last
        stale = age > self.stale_after_s
        return (f"Watchdog: last heartbeat {age:.0f} s ago ({iso(last)})"
                + (f", more than {self.stale_after_s} s: Prometheus, Alertmanager or the way between them is down"
                   if stale else ""), stale)

    def page(self, now=None):
        notifications, _ = self.snapshot()
        line, stale = self.heartbeat_line(now)
        rows = []
        for notification in reversed(notifications):
            for alert in notification["alerts"]:
                labels = alert["labels"]
                rows.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in (
                    iso(notification["received_at"]), notification["receiver"], alert["status"],
                    labels.get("alertname", ""), labels.get("service", ""), labels.get("severity", ""),
                    alert["annotations"].get("summary", ""))) + "</tr>")
        return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Alert inbox</title>"
                "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}"
                ".stale{color:#b00;font-weight:bold}</style></head><body><h1>Alert inbox</h1>"
                f"<p class=\"{'stale' if stale else 'ok'}\">{html.escape(line)}</p>"
                f"<p>{len(rows)} alert(s) in the last {len(notifications)} notification(s), newest first.</p>"
                "<table><tr><th>received</th><th>receiver</th><th>status</th><th>alertname</th><th>service</th>"
                "<th>severity</th><th>summary</th></tr>" + "".join(rows) + "</table></body></html>")


def strings(value):
    """A label or annotation map with string keys and values only (anything else is dropped)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float))}


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def log_record(now, receiver, alert):
    labels = alert["labels"]
    heartbeat = receiver == HEARTBEAT
    level = "info" if heartbeat or alert["status"] != "firing" else LEVELS.get(receiver, "warn")
    return {"timestamp": iso(now), "level": level,
            "message": "Watchdog heartbeat" if heartbeat else f"alert {alert['status']}",
            "receiver": receiver, "status": alert["status"], "alertname": labels.get("alertname", ""),
            "service": labels.get("service", ""), "severity": labels.get("severity", ""),
            "summary": alert["annotations"].get("summary", "")}


def handler_for(inbox):
    class Handler(BaseHTTPRequestHandler):
        server_version = "alert-inbox"

        def do_POST(self):
            match = RECEIVER.fullmatch(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if not match:
                return self.answer(404, "text/plain", "POST to /<receiver>, e.g. /page\n")
            if length <= 0 or length > MAX_BODY:
                return self.answer(413 if length > MAX_BODY else 400, "text/plain", "a JSON body up to 1 MiB\n")
            try:
                records = inbox.add(match.group(1), json.loads(self.rfile.read(length)))
            except ValueError as error:
                return self.answer(400, "text/plain", f"{error}\n")
            for record in records:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            self.answer(200, "text/plain", "ok\n")

        def do_GET(self):
            if self.path == "/-/healthy":
                return self.answer(200, "text/plain", "ok\n")
            if self.path == "/api/notifications":
                notifications, _ = inbox.snapshot()
                return self.answer(200, "application/json", json.dumps(notifications))
            if self.path == "/":
                return self.answer(200, "text/html; charset=utf-8", inbox.page())
            self.answer(404, "text/plain", "not found\n")

        def answer(self, status, content_type, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass  # one line per alert is logged instead, not one per request

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Alertmanager's out-of-the-box receiver: logs and shows alerts.")
    parser.add_argument("--listen", default=os.environ.get("INBOX_LISTEN", "0.0.0.0:8080"), help="HOST:PORT")
    parser.add_argument("--check", action="store_true", help="exit 0 if the inbox on --listen answers /-/healthy")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    if args.check:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/healthy", timeout=3) as response:
                sys.exit(0 if response.status == 200 else 1)
        except OSError:
            sys.exit(1)
    inbox = Inbox(int(os.environ.get("INBOX_KEEP", "200")), int(os.environ.get("INBOX_HEARTBEAT_STALE_SECONDS", "300")))
    server = ThreadingHTTPServer((host, int(port)), handler_for(inbox))
    print(json.dumps({"timestamp": iso(time.time()), "level": "info",
                      "message": f"alert inbox listening on {args.listen}"}), flush=True)
    # As PID 1 in its container, SIGTERM would be ignored without a handler.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
