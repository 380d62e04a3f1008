"""Check what bench/reporters.py was told against the database.

    DATABASE_URL=... SECRET_KEY=... .venv/bin/python bench/check_reports.py OUT.jsonl

Passes (exit 0) when every acknowledged report is in the database exactly once, with its text and the
receipt the reporter was given; no report of the run is stored twice; and no reporter was left without
either an acknowledgement or their text back ("lost"). Reports that were shown back ("kept") may or may
not be stored: the reporter still holds the text, and sending it again (same key) cannot store it twice.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from incidents.models import Disclosure  # noqa: E402


def main() -> None:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    runs = {row["run"] for row in rows}
    stored: dict[str, list[Disclosure]] = {}
    keys = [row["key"] for row in rows]
    for start in range(0, len(keys), 1000):
        for disclosure in Disclosure.objects.filter(idempotency_key__in=keys[start : start + 1000]).only(
            "code", "idempotency_key", "what_was_said"
        ):
            stored.setdefault(str(disclosure.idempotency_key), []).append(disclosure)
    problems = []
    outcomes = Counter(row["outcome"] for row in rows)
    kept_stored = 0
    for row in rows:
        found = stored.get(row["key"], [])
        if len(found) > 1:
            problems.append(f"{row['key']}: stored {len(found)} times")
        if row["outcome"] == "acknowledged":
            if not found:
                problems.append(f"{row['key']}: acknowledged ({row['receipt']}) but not in the database")
            elif row["key"] not in found[0].what_was_said:
                problems.append(f"{row['key']}: stored with another text")
            elif str(found[0].code) not in row["receipt"]:
                problems.append(f"{row['key']}: receipt {row['receipt']} is not the stored report {found[0].code}")
        elif row["outcome"] == "kept" and found:
            kept_stored += 1
        elif row["outcome"] == "lost":
            problems.append(f"{row['key']}: the reporter got neither an acknowledgement nor their text back")
    twice = 0
    for run in runs:
        twice += (
            Disclosure.objects.filter(what_was_said__startswith=f"Benchmark report {run} ")
            .values("what_was_said")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
    if twice:
        problems.append(f"{twice} texts of this run are stored more than once")
    retried = sum(1 for row in rows if len(row["attempts"]) > 1)
    # Every answer counts, not only the last: a refusal must always show the text back.
    lost_answers = sum(1 for row in rows for attempt in row["attempts"] if attempt["outcome"] == "lost")
    if lost_answers:
        problems.append(f"{lost_answers} answers showed the reporter neither a receipt nor their text")
    statuses = Counter(attempt["status"] for row in rows for attempt in row["attempts"])
    stored_ok = not [problem for problem in problems if "answers showed" not in problem]
    print(
        f"CHECK reports={len(rows)} acknowledged={outcomes['acknowledged']} kept={outcomes['kept']} "
        f"(of which stored={kept_stored}) lost={outcomes['lost']} resent={retried} lost_answers={lost_answers} "
        f"statuses={dict(sorted(statuses.items()))} stored_twice={twice} "
        f"missing={sum(1 for p in problems if 'not in the database' in p)} "
        f"every-acknowledged-stored-once={'PASS' if stored_ok else 'FAIL'} "
        f"every-answer-a-receipt-or-the-text={'PASS' if not lost_answers else 'FAIL'}"
    )
    for problem in problems[:20]:
        print("  " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
