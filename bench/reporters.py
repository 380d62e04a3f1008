"""Many reporters sending reports at once, each judging the answer as a person at the form would.

    python3 bench/reporters.py BASE_URL REPORTERS_FILE OUT.jsonl [--reports 10000] [--concurrency 50]
                               [--retries 3]

REPORTERS_FILE has one "session_key setting_id username" line per reporter (bench/sessions.py).
Each of `--concurrency` threads is one reporter (its own session) sending reports one after another,
each with a fresh idempotency key and a text that carries that key. Every answer is sorted into:

- acknowledged: the redirect to the receipt (/report/<code>/), i.e. the app said it is saved;
- kept: any other answer that shows the reporter's text back (the form with an error, or the
  page a server error gives): nothing is lost, the reporter can send it again;
- lost: an answer without the text (a proxy error page, a dropped connection).

After "kept" or "lost" the reporter sends the same report again (same key) up to --retries times,
a second apart, as a person pressing "Send it again" would. Each report's attempts and its final
outcome go to OUT.jsonl; bench/check_reports.py then checks them against the database. Standard
library only, so it runs outside the app's virtualenv.
"""

import argparse
import html
import http.client
import json
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime

TOKEN = "Bench0123456789abcdefghijklmnopq"  # noqa: S105 - a CSRF secret: the cookie and the form carry the same one


class Reporter(threading.Thread):
    def __init__(self, base: str, session: str, setting: str, reports: int, retries: int, run: str, sink, lock):
        super().__init__(daemon=True)
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.session, self.setting, self.reports, self.retries = session, setting, reports, retries
        self.run_id, self.sink, self.lock = run, sink, lock
        self.conn = None

    def post(self, body: str) -> tuple[int, str, str]:
        for attempt in range(2):  # a kept-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request("POST", "/report/", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={TOKEN}; sessionid={self.session}",
                })
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, response.getheader("Location") or "", text
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, "", type(error).__name__
            except OSError as error:  # refused, timed out
                if self.conn:
                    self.conn.close()
                self.conn = None
                return 0, "", type(error).__name__
        return 0, "", "no answer"

    def run(self) -> None:
        for _ in range(self.reports):
            key = str(uuid.uuid4())
            text = f"Benchmark report {self.run_id} {key}: a friend said a picture of a Year 9 pupil is being shared."
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": TOKEN,
                "setting": self.setting,
                "idempotency_key": key,
                "source": "friend",
                "disclosed_at": datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M"),
                "young_people_named": "A pupil in Year 9 (benchmark)",
                "what_was_said": text,
                "imagery_known": "",
                "devices": "",
                "reporter_saw_imagery": "no",
            })
            attempts = []
            outcome = "lost"
            receipt = ""
            for _ in range(self.retries + 1):
                started = time.monotonic()
                status, location, page = self.post(body)
                took = time.monotonic() - started
                if status == 302 and "/report/" in location:
                    outcome, receipt = "acknowledged", location
                elif status and html.escape(text) in page:
                    outcome = "kept"
                else:
                    outcome = "lost"
                attempts.append({"status": status, "outcome": outcome, "seconds": round(took, 3),
                                 "at": time.time(), "detail": "" if status else page})
                if outcome == "acknowledged":
                    break
                time.sleep(1)
            line = json.dumps({"run": self.run_id, "key": key, "setting": self.setting, "outcome": outcome,
                               "receipt": receipt, "attempts": attempts})
            with self.lock:
                self.sink.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("reporters_file")
    parser.add_argument("out")
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--retries", type=int, default=3)
    args = parser.parse_args()
    reporters = [line.split() for line in open(args.reporters_file) if line.strip()]  # noqa: SIM115
    if len(reporters) < args.concurrency:
        raise SystemExit(f"{args.reporters_file} has {len(reporters)} reporters; --concurrency {args.concurrency}")
    run = uuid.uuid4().hex[:8]
    lock = threading.Lock()
    started = time.monotonic()
    with open(args.out, "w") as sink:
        per = [args.reports // args.concurrency + (i < args.reports % args.concurrency)
               for i in range(args.concurrency)]
        threads = [Reporter(args.base, r[0], r[1], n, args.retries, run, sink, lock)
                   for r, n in zip(reporters, per, strict=False)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - started
    outcomes: dict[str, int] = {}
    first_try: dict[str, int] = {}
    for line in open(args.out):  # noqa: SIM115
        row = json.loads(line)
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
        first = row["attempts"][0]["outcome"]
        first_try[first] = first_try.get(first, 0) + 1
    total = sum(outcomes.values())
    print(f"REPORTERS run={run} reports={total} concurrency={args.concurrency} seconds={elapsed:.1f} "
          f"rps={total / elapsed:.1f} final={json.dumps(outcomes, sort_keys=True)} "
          f"first_try={json.dumps(first_try, sort_keys=True)}")


if __name__ == "__main__":
    main()
