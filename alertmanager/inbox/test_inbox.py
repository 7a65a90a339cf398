"""Unit tests of the alert inbox (run by .ci/monitoring-static.sh: python3 -m unittest in this folder).
The live check (.ci/monitoring_live.py) posts to it from a real Alertmanager."""
import json
import threading
import unittest
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import inbox

FIRING = {"version": "4", "status": "firing", "receiver": "page", "groupLabels": {"alertname": "RedisDown"},
          "alerts": [{"status": "firing", "labels": {"alertname": "RedisDown", "service": "redis", "severity": "page"},
                      "annotations": {"summary": "Redis is <down>"}, "startsAt": "2026-01-01T00:00:00Z"}]}
WATCHDOG = {"status": "firing", "alerts": [{"status": "firing", "labels": {"alertname": "Watchdog"}, "annotations": {}}]}


class InboxTest(unittest.TestCase):
    def test_records_and_logs_each_alert(self):
        box = inbox.Inbox(keep=10, stale_after_s=300)
        records = box.add("page", FIRING, now=100)
        self.assertEqual([("error", "page", "firing", "RedisDown", "redis", "Redis is <down>")],
                         [(r["level"], r["receiver"], r["status"], r["alertname"], r["service"], r["summary"]) for r in records])
        notifications, heartbeat = box.snapshot()
        self.assertEqual(1, len(notifications))
        self.assertIsNone(heartbeat)

    def test_heartbeat_and_staleness(self):
        box = inbox.Inbox(keep=10, stale_after_s=300)
        self.assertTrue(box.heartbeat_line(now=0)[1])
        box.add("watchdog", WATCHDOG, now=1000)
        self.assertEqual((False, "info"), (box.heartbeat_line(now=1200)[1], box.add("watchdog", WATCHDOG, now=1200)[0]["level"]))
        line, stale = box.heartbeat_line(now=1501)
        self.assertTrue(stale, line)
        self.assertIn("301 s ago", line)

    def test_keeps_only_the_last(self):
        box = inbox.Inbox(keep=3, stale_after_s=300)
        for i in range(5):
            box.add("ticket", FIRING, now=i)
        self.assertEqual([2, 3, 4], [n["received_at"] for n in box.snapshot()[0]])

    def test_refuses_what_is_not_a_webhook(self):
        box = inbox.Inbox(keep=3, stale_after_s=300)
        for payload in ({}, {"alerts": "x"}, {"alerts": [1]}):
            with self.assertRaises(ValueError):
                box.add("page", payload)

    def test_page_escapes_what_alerts_say(self):
        box = inbox.Inbox(keep=3, stale_after_s=300)
        box.add("page", FIRING, now=100)
        page = box.page(now=100)
        self.assertIn("Redis is &lt;down&gt;", page)
        self.assertNotIn("<down>", page)

    def test_over_http(self):
        box = inbox.Inbox(keep=10, stale_after_s=300)
        server = ThreadingHTTPServer(("127.0.0.1", 0), inbox.handler_for(box))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            def post(path, body):
                request = urllib.request.Request(base + path, data=body, headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        return response.status
                except urllib.error.HTTPError as error:
                    return error.code
            self.assertEqual(200, post("/page", json.dumps(FIRING).encode()))
            self.assertEqual(400, post("/page", b"not json"))
            self.assertEqual(404, post("/../etc", b"{}"))
            with urllib.request.urlopen(base + "/api/notifications", timeout=5) as response:
                self.assertEqual(["page"], [n["receiver"] for n in json.load(response)])
            with urllib.request.urlopen(base + "/-/healthy", timeout=5) as response:
                self.assertEqual(200, response.status)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
