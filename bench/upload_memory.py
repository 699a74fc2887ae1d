"""The memory of a gunicorn worker while a member uploads a 20 MB document (issue 18: at most
50 MB more than at rest).

    python bench/upload_memory.py [--members 1000] [--items 5000] [--megabytes 20]

One sync worker serves the bench database; the bench member (the lead of the bench group)
logs in, opens the group space a few times (the worker at rest, warmed up), then uploads a PDF
of the given size as a browser does (multipart, sent in chunks). The worker's resident memory
(VmRSS) and its peak (VmHWM, from /proc; reset to the resident memory just before the upload by
writing 5 to /proc/<pid>/clear_refs) are read before and after; the peak is what the upload
cost at most. The file goes to bench/out/uploads and is deleted again."""

import argparse
import http.client
import re
import shutil
import sys
from pathlib import Path

from benchdata import BENCH_EMAIL, BENCH_PASSWORD, OUT, bench_config, ensure_database
from httpload import HOST, Gunicorn, log_in, request

BAR_MB = 50
CHUNK = 256 * 1024


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def upload(port: int, cookie: str, path: str, megabytes: int) -> int:
    """POST a PDF of ``megabytes`` MB as multipart, streamed in chunks; the status."""
    boundary = "benchgrens"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench upload\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="groot.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + b"%PDF-1.7\n"
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = megabytes * 1024 * 1024 - len(b"%PDF-1.7\n")
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Cookie", cookie)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(len(head) + size + len(tail)))
        connection.endheaders()
        connection.send(head)
        block = b"0" * CHUNK
        sent = 0
        while sent < size:
            part = block[: min(CHUNK, size - sent)]
            connection.send(part)
            sent += len(part)
        connection.send(tail)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--megabytes", type=int, default=20)
    args = parser.parse_args(argv)
    database = ensure_database(args.members, args.items, args.seed)
    from alliance import create_app
    from alliance.extensions import db

    app = create_app(bench_config(database))
    with app.app_context():
        from benchdata import bench_group

        group_id = bench_group()
        db.session.remove()
        db.engine.dispose()
    uploads = Path(bench_config(database)["UPLOAD_DIR"])
    with Gunicorn(database, 1, OUT / "upload-memory-gunicorn.log") as server:
        cookie = log_in(server.port, BENCH_EMAIL, BENCH_PASSWORD)
        for _ in range(20):
            status, _response = request(server.port, f"/werkgroepen/{group_id}", cookie)
            assert status == 200, status
        (pid,) = server.worker_pids()
        # The peak so far is from the worker's start: reset it to now (Linux: clear_refs 5).
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        rest = memory_kb(pid)
        status = upload(server.port, cookie, f"/werkgroepen/{group_id}/documenten", args.megabytes)
        after = memory_kb(pid)
    stored = [p for p in uploads.rglob("*.pdf")] if uploads.exists() else []
    peak_growth = (after["VmHWM"] - rest["VmRSS"]) / 1024
    print(f"upload of {args.megabytes} MB: HTTP {status}, stored {len(stored)} file(s)")
    print(
        f"worker {pid}: at rest RSS {rest['VmRSS'] / 1024:.1f} MB (peak reset to "
        f"{rest['VmHWM'] / 1024:.1f} MB); after the upload RSS {after['VmRSS'] / 1024:.1f} MB, "
        f"peak {after['VmHWM'] / 1024:.1f} MB"
    )
    verdict = "within" if peak_growth <= BAR_MB else "OVER"
    print(f"peak above rest: {peak_growth:.1f} MB ({verdict} the bar of {BAR_MB} MB)")
    shutil.rmtree(uploads, ignore_errors=True)
    return 0 if status == 303 and re.match(r"within", verdict) else 1


if __name__ == "__main__":
    sys.exit(main())
