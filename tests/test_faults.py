"""Faults a build survives: killed mid-build (the real `kg` program, in a process of its
own), a damaged cache, a full disk, a read-only output directory; and the program's exit
statuses (0 built, 1 error, 2 usage). The builds not killed run in this process (the
pipeline is loaded once), through the same click command."""
from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import CORPUS, DATA, ROOT, write
from kg.cli import main

KG = [sys.executable, "-c", "from kg.cli import run; run()"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
OUTPUTS = ["graph.html", "graph.ttl", "mentions.jsonl", "report.html"]
SMALL = DATA / "formats"  # 11 papers: a build that fits on a 2 MB disk


def kg(*args: str | Path) -> subprocess.CompletedProcess:
    """The `kg` program run in a process of its own."""
    return subprocess.run([*KG, *map(str, args)], env=ENV, capture_output=True, text=True, timeout=300)


def build(inputs: Path, out: Path) -> Result:
    """`kg build INPUTS -o OUT --no-model` in this process; an exception that is not an
    exit (a traceback, in the program) fails the test."""
    result = CliRunner().invoke(main, ["build", str(inputs), "-o", str(out), "--no-model"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def contents(out: Path) -> dict[str, bytes]:
    """Every file under `out` but the cache, by name: what a failed build must leave as it was."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".kg-cache" not in p.parts}


def assert_same_outputs(out: Path, expected: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [".kg-cache", *OUTPUTS]  # nothing left over
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name


def cached(summary: str) -> int:
    return int(re.search(r"\((\d+) more from the cache\)", summary)[1])


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The example corpus built from scratch into a directory of its own."""
    out = tmp_path_factory.mktemp("clean") / "out"
    assert build(CORPUS, out).exit_code == 0
    return out


@pytest.fixture(scope="module")
def clean_small(tmp_path_factory) -> Path:
    """The small corpus built from scratch into a directory of its own."""
    out = tmp_path_factory.mktemp("clean-small") / "out"
    assert build(SMALL, out).exit_code == 0
    return out


def first_batch_cached(out: Path) -> bool:
    """True once extraction has committed its first batch (256 papers) to the cache."""
    cache = out / ".kg-cache" / "mentions.sqlite"
    if not (cache.exists() and Path(f"{cache}-shm").exists()):
        return False
    try:
        with closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as db:
            return db.execute("SELECT count(*) FROM mentions").fetchone()[0] >= 256
    except sqlite3.Error:  # its table not made yet
        return False


def exporting(out: Path) -> bool:
    """True once the export has finished graph.ttl, and is writing the other files."""
    return any((staging / "graph.ttl").exists() for staging in out.glob(".kg-export-*"))


@pytest.mark.parametrize("when", [first_batch_cached, exporting], ids=["extracting", "exporting"])
def test_build_killed_midway_then_rebuilt_gives_the_clean_outputs(tmp_path, clean, when):
    out = tmp_path / "out"
    child = subprocess.Popen([*KG, "build", str(CORPUS), "-o", str(out), "--no-model"], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while child.poll() is None and not (out.is_dir() and when(out)) and time.monotonic() < deadline:
            time.sleep(0.002)
        assert child.poll() is None, "the build ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert not any((out / name).exists() for name in OUTPUTS)  # all or nothing: none moved into place yet

    done = build(CORPUS, out)
    assert done.exit_code == 0, done.output
    assert cached(done.stdout) >= 256  # what the killed build had extracted is kept
    assert_same_outputs(out, clean)


def truncate(cache: Path) -> None:
    os.truncate(cache, cache.stat().st_size // 2)


def garble_header(cache: Path) -> None:
    with cache.open("r+b") as f:
        f.write(b"garbage!" * 4)


def garble_an_entry(cache: Path) -> None:
    """Flip a byte inside one stored result, past its checksum: the file stays a sound database."""
    with closing(sqlite3.connect(cache)) as db, db:
        key, blob = db.execute("SELECT key, found FROM mentions LIMIT 1").fetchone()
        db.execute("UPDATE mentions SET found = ? WHERE key = ?", (blob[:40] + bytes([blob[40] ^ 1]) + blob[41:], key))


@pytest.mark.parametrize("damage, message", [
    (truncate, "damaged cache (database disk image is malformed); starting it again, its papers extracted anew"),
    (garble_header, "damaged cache (file is not a database); starting it again, its papers extracted anew"),
    (garble_an_entry, "1 damaged cache entry (checksum mismatch); extracting its paper again"),
], ids=["truncated", "garbled-header", "garbled-entry"])
def test_damaged_cache_is_reported_and_rebuilt(tmp_path, clean_small, damage, message):
    out = tmp_path / "out"
    shutil.copytree(clean_small, out)
    cache = out / ".kg-cache" / "mentions.sqlite"
    damage(cache)

    done = build(SMALL, out)
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines() == [f"Warning: {cache}: {message}"]
    assert_same_outputs(out, clean_small)
    again = build(SMALL, out)  # the cache is sound again
    assert again.exit_code == 0 and again.stderr == "" and cached(again.stdout) == 11


@pytest.fixture()
def mount(tmp_path):
    """mount(args...) mounts over a directory under tmp_path, undone afterwards; the test is
    skipped where mounting needs a privilege this run lacks."""
    mounted: list[Path] = []

    def do(*args: str | Path) -> None:
        if os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a small or read-only file system needs root")
        done = subprocess.run(["mount", *map(str, args)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mount {' '.join(map(str, args))} failed: {done.stderr.strip()}")
        if not any("remount" in str(a) for a in args):
            mounted.append(Path(args[-1]))

    yield do
    for point in reversed(mounted):
        subprocess.run(["umount", point], check=True)


def fill(disk: Path, leave: int) -> None:
    """Take the free space of `disk` but `leave` bytes (with 0, write until it refuses more)."""
    free = shutil.disk_usage(disk).free - leave
    with (disk / f"filler-{leave}").open("wb") as f:
        try:
            f.write(bytes(max(free, 0)) + (b"" if leave else bytes(1 << 20)))
        except OSError:  # no space left: what was asked for
            pass


def test_full_disk_is_one_line_error_and_earlier_outputs_stay(tmp_path, mount):
    disk = tmp_path / "disk"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", disk)
    out = disk / "out"
    assert build(SMALL, out).exit_code == 0
    before = contents(out)

    fill(disk, leave=150_000)  # room for the cache's index, not for graph.ttl (0.3 MB)
    done = build(SMALL, out)
    assert (done.exit_code, done.stderr) == (1, f"Error: {out / 'graph.ttl'}: cannot write (No space left on "
                                                 f"device); files already there are left as they were\n")
    assert contents(out) == before

    fill(disk, leave=0)
    done = build(SMALL, out)
    assert done.exit_code == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"Error: {out / '.kg-cache' / 'mentions.sqlite'}: cannot use the extraction cache (")
    assert done.stderr.endswith("; the disk is full); --no-cache builds without it\n")
    assert contents(out) == before


def test_read_only_output_directory_is_one_line_error_and_earlier_outputs_stay(tmp_path, mount, request):
    out = tmp_path / "out"
    assert build(SMALL, out).exit_code == 0
    before = contents(out)
    if os.geteuid() == 0:  # root writes through permissions: a read-only mount it is
        mount("--bind", out, out)
        mount("-o", "remount,bind,ro", out)
        why = "Read-only file system"
    else:
        out.chmod(0o555)
        request.addfinalizer(lambda: out.chmod(0o755))
        why = "Permission denied"

    done = build(SMALL, out)
    assert (done.exit_code, done.stderr) == (1, f"Error: {out}: cannot write ({why}); "
                                                 f"files already there are left as they were\n")
    assert contents(out) == before


def test_skipped_bad_records_still_exit_0_and_are_listed(tmp_path):
    papers = write(tmp_path / "papers.jsonl", '{"title": "Grid cells in the entorhinal cortex"}\n{"title": oops}\n')
    done = kg("build", papers, "-o", tmp_path / "out", "--no-model")
    assert (done.returncode, done.stderr) == (0, "")
    assert f"skipped 1 bad record(s): {papers}:2: malformed JSON (Expecting value at column 11)" in done.stdout


def test_cache_that_is_a_file_is_an_error(tmp_path):
    file = write(tmp_path / "a-file", "not a directory\n")
    result = CliRunner().invoke(main, ["build", str(SMALL), "-o", str(tmp_path / "out"), "--cache", str(file),
                                       "--no-model"])
    assert (result.exit_code, result.stderr) == (1, f"Error: {file}: is a file; the extraction cache needs a "
                                                    f"directory\n")


@pytest.mark.parametrize("args, status, message", [
    (["build", SMALL, "-o", "{file}"], 1, "Error: {file}: is a file; the outputs need a directory"),
    (["build", "{tmp}/missing", "-o", "{tmp}/out"], 1, "Error: {tmp}/missing: no such file or directory"),
    (["build"], 2, "Error: Missing argument 'INPUTS...'."),
    (["build", SMALL, "--model", SMALL, "--no-model"], 2, "Error: --model and --no-model exclude each other"),
    (["build", SMALL, "--vocab", "{tmp}", "-o", "{tmp}/out"], 1, "Error: '--vocab': File '{tmp}' is a directory."),
    (["query", "--store", "{file}", "ASK {{}}"], 1, "Error: '--store': Directory '{file}' is a file."),
], ids=["out-is-a-file", "missing-input", "no-inputs", "model-and-no-model", "vocab-is-a-directory",
        "store-is-a-file"])
def test_exit_status_is_1_for_an_error_2_for_a_malformed_command_line(tmp_path, args, status, message):
    file = write(tmp_path / "a-file", "not a directory\n")
    done = kg(*(str(a).format(file=file, tmp=tmp_path) for a in args))
    assert done.returncode == status
    assert done.stderr.splitlines()[-1] == message.format(file=file, tmp=tmp_path)
    assert "Traceback" not in done.stderr
    assert (status == 2) == done.stderr.startswith("Usage: ")
