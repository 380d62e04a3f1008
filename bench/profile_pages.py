"""Every query each hot page runs against a load database, with its time and (optionally) its plan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ysi_bench SECRET_KEY=bench DEBUG=1 \
        .venv/bin/python bench/profile_pages.py [--explain DIR] [--user gen00001-dsl]

Signs in with Django's test client (a session made directly, so no password hashing is timed),
fetches the incident list (plain, searched, filtered, a deep page), the DSL dashboard, the incident
with the long chronology, the disclosure form and the record PDF, and prints each page's query count and
its slowest queries. With --explain, writes `EXPLAIN (ANALYZE, BUFFERS)` of each page's slowest
queries to DIR/<page>.txt (bench/plans/ keeps the national-size ones).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from sessions import session_for  # noqa: E402 # bench/sessions.py, beside this file

from incidents.loadgen import DEFAULT_PASSWORD, LONG_CHRONOLOGY_MARKER  # noqa: E402
from incidents.models import Incident, User  # noqa: E402


def pages(user: User) -> list[tuple[str, str, dict | None]]:
    long_incident = Incident.objects.filter(summary__startswith=LONG_CHRONOLOGY_MARKER).order_by("id").first()
    some = (
        Incident.objects.filter(setting_id=user.memberships.first().setting_id, involvements__isnull=False)
        .order_by("-id")
        .first()
    )
    person = some.involvements.select_related("young_person").first().young_person
    result = [
        ("dashboard", "/dashboard/", None),
        ("list", "/incidents/", None),
        ("list-page-3", "/incidents/?page=3", None),
        ("list-search-name", f"/incidents/?q={person.last_name}", None),
        ("list-search-reference", f"/incidents/?q={some.reference}", None),
        ("list-filter", "/incidents/?status=open&classification=aggravated", None),
        ("list-search-filter", f"/incidents/?q={person.last_name}&status=closed", None),
        ("report-get", "/report/", None),
    ]
    if long_incident:
        result.append(("detail-long", f"/incidents/{long_incident.code}/", None))
        result.append(("record-pdf", f"/incidents/{long_incident.code}/record/", {"password": DEFAULT_PASSWORD}))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="gen00001-dsl")
    parser.add_argument("--explain", help="directory for EXPLAIN (ANALYZE, BUFFERS) of each page's slow queries")
    parser.add_argument("--slowest", type=int, default=4, help="queries shown per page")
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    client = Client()
    # Signed in as bench/run signs its users in: second factor passed, session stamped.
    client.cookies[settings.SESSION_COOKIE_NAME] = session_for(user)
    only = set(args.only.split(",")) if args.only else None
    for name, path, post in pages(user):
        if only and name not in only:
            continue
        client.get(path)  # warm caches and connections, as a server would be
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(path, post) if post else client.get(path)
            elapsed = time.perf_counter() - started
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{name:24} {response.status_code} {len(queries):3} queries {elapsed * 1000:8.1f} ms "
              f"(SQL {sql_ms:.1f} ms)  {path}")
        ranked = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)
        for query in ranked[: args.slowest]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:220]}")
        if args.explain:
            out = Path(args.explain)
            out.mkdir(parents=True, exist_ok=True)
            with (out / f"{name}.txt").open("w") as handle:
                handle.write(f"-- {name}: GET {path} as {args.user}, {len(queries)} queries\n")
                for query in ranked[: args.slowest]:
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                    handle.write(f"\n-- {float(query['time']) * 1000:.1f} ms in the page\n{sql};\n\n{plan}\n")


if __name__ == "__main__":
    main()
