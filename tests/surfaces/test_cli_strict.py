"""The CLI refuses what it does not understand, names what it knows, and says what happened."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.surfaces.test_cli import legion


def test_no_arguments_prints_the_help(home: Path) -> None:
    for args in ((), ("runs",)):
        r = legion(home, "--lang", "en", *args)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"Usage: legion {' '.join(args)}".rstrip() + " [OPTIONS]")
        assert r.stderr == ""


def test_timeout_has_its_own_status_and_exit_code(home: Path) -> None:
    r = legion(
        home, "--lang", "en", "util", "wait", "--seconds", "60", "--steps", "1", "--timeout", "0.5"
    )
    assert r.returncode == 124
    assert r.stderr.strip() == "error: timed out after 0.5 s"
    listed = legion(home, "--lang", "en", "runs", "list", "--status", "timed_out", "--json")
    assert '"status": "timed_out"' in listed.stdout


def test_runs_list_refuses_unknown_status_and_skill(home: Path) -> None:
    r = legion(home, "--lang", "en", "runs", "list", "--status", "bogus")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.strip() == (
        "error: unknown status 'bogus' — known: queued, running, succeeded, failed, cancelled, "
        "timed_out, interrupted"
    )
    r = legion(home, "--lang", "en", "runs", "list", "--skill", "clean.tabel")
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: no skill named 'clean.tabel' — did you mean 'clean.table'? see `legion skills`"
    )
    r = legion(home, "--lang", "en", "runs", "list", "--since", "yesterday")
    assert r.returncode == 2
    assert "--since 'yesterday' is not a time" in r.stderr


def test_runs_list_filters_by_time_and_text(home: Path) -> None:
    for msg in ("苹果 apple", "香蕉 banana"):
        assert legion(home, "util", "echo", "--message", msg).returncode == 0
    found = legion(home, "--lang", "en", "runs", "list", "--search", "香蕉", "--json")
    assert found.stdout.count('"skill": "util.echo"') == 1 and "banana" in found.stdout
    assert legion(home, "runs", "list", "--since", "1h", "--json").stdout.count('"id"') == 2
    none = legion(home, "--lang", "en", "runs", "list", "--until", "2000-01-01")
    assert (none.returncode, none.stdout.strip()) == (0, "no runs match these filters")


def test_ambiguous_prefix_lists_the_runs(home: Path) -> None:
    for _ in range(2):
        assert legion(home, "util", "echo", "--refresh").returncode == 0
    r = legion(home, "--lang", "en", "runs", "show", "20")
    assert r.returncode == 2
    assert r.stderr.startswith("error: '20' is the start of several runs — give more of the id: 20")


def test_runs_open_prints_the_report_path(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    assert legion(home, "clean", "table", str(data), "--json").returncode == 0
    r = legion(home, "runs", "open", "last", "--path")
    assert r.returncode == 0
    path = r.stdout.strip()
    assert path.endswith("/report.html") and Path(path).is_file()


def test_long_paths_are_never_cut(home: Path, tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "data.csv"
    deep.parent.mkdir()
    deep.write_text("a,b\n1,2\n", encoding="utf-8")
    out = deep.parent / "cleaned-output-with-a-long-name.csv"
    r = legion(home, "clean", "table", str(deep), "-o", str(out))  # COLUMNS=120
    assert r.returncode == 0, r.stderr
    assert f"  {out}" in r.stdout.splitlines()
    arts = legion(home, "runs", "artifacts", "last")
    assert f"  {out}" in arts.stdout.splitlines()


def test_serve_on_a_taken_port_is_one_line(home: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = legion(home, "--lang", "en", "serve", "--port", str(port))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"error: port {port} on 127.0.0.1 is already in use (another `legion serve`?) — "
        f"choose another with --port {port + 1}, or stop what is listening there"
    )


def test_mcp_in_a_terminal_says_what_it_is(home: Path) -> None:
    master, slave = os.openpty()
    env = {**os.environ, "LEGION_HOME": str(home), "LEGION_LANGUAGE": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "onelegion", "mcp"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    os.close(slave)
    line = proc.stderr.readline() if proc.stderr else ""
    os.close(master)  # end of input: the server stops
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    assert line.startswith("legion mcp speaks MCP (JSON-RPC) on stdin/stdout")


def test_bad_output_names_are_refused_before_any_work(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    r = legion(home, "--lang", "en", "clean", "table", str(data), "-o", str(tmp_path / "o.txt.gz"))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: invalid parameters: output: cannot write a .gz file (use an output name ending "
        "in .csv, .tsv, .xlsx, .json, .jsonl or .parquet) — see `legion skills show clean.table`"
    )
    r = legion(home, "--lang", "en", "radar", "export", "--output", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "end the file name with .parquet, .csv or .jsonl" in r.stderr
    assert legion(home, "runs", "list", "--json").stdout.strip() == "[]"
    assert not (tmp_path / "o.txt.gz").exists()
