from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from onelegion.core.config import Settings
from onelegion.core.errors import PathNotAllowed, UserError
from onelegion.core.registry import Registry
from onelegion.core.runtime import Runtime
from onelegion.core.store import EventRecord
from tests.core import sample_skills


@pytest.fixture
def rt(home: Path):  # type: ignore[no-untyped-def]
    reg = Registry.from_entry_points()
    for s in sample_skills.SKILLS:
        reg.register(s)
    runtime = Runtime.open(home, registry=reg)
    yield runtime
    runtime.close()


def test_run_records_params_events_and_output(rt: Runtime) -> None:
    seen: list[EventRecord] = []
    result = rt.runner.run("util.echo", {"message": "你好"}, surface="cli", listener=seen.append)
    assert result.status == "succeeded"
    assert result.output == {"message": "你好"}
    rec = rt.store.get_run(result.run_id)
    assert rec is not None and rec.params == {"message": "你好"} and rec.surface == "cli"
    kinds = [e.kind for e in rt.store.events(result.run_id)]
    assert kinds == ["started", "finished"]
    assert [e.kind for e in seen] == ["started", "finished"]


def test_cache_hit_and_refresh(rt: Runtime, tmp_path: Path) -> None:
    f = tmp_path / "in.txt"
    f.write_text("a\nb\nc\n")
    sample_skills.CALLS.clear()
    first = rt.runner.run("testing.count", {"path": str(f)}, allowed_roots=[f])
    second = rt.runner.run("testing.count", {"path": str(f)}, allowed_roots=[f])
    assert first.output == second.output == {"lines": 3, "artifacts": first.output["artifacts"]}  # type: ignore[index]
    assert second.cached and second.cached_from == first.run_id
    assert [a.name for a in second.artifacts] == ["count.txt"]
    assert len(sample_skills.CALLS) == 1
    third = rt.runner.run("testing.count", {"path": str(f)}, allowed_roots=[f], refresh=True)
    assert not third.cached and len(sample_skills.CALLS) == 2
    # a changed input is a miss
    f.write_text("a\n")
    fourth = rt.runner.run("testing.count", {"path": str(f)}, allowed_roots=[f])
    assert not fourth.cached and fourth.output["lines"] == 1  # type: ignore[index]
    # a deleted artifact is a miss too
    Path(fourth.artifacts[0].path).unlink()
    fifth = rt.runner.run("testing.count", {"path": str(f)}, allowed_roots=[f])
    assert not fifth.cached


def test_paths_outside_allowed_roots_are_refused(rt: Runtime, tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("x")
    with pytest.raises(PathNotAllowed, match="outside the allowed folders"):
        rt.runner.run("testing.count", {"path": str(f)})
    inside = rt.workspace / "ok.txt"
    inside.write_text("1\n2\n")
    with pytest.raises(PathNotAllowed):
        rt.runner.run("testing.count", {"path": str(rt.workspace / ".." / ".." / "secret.txt")})
    assert rt.runner.run("testing.count", {"path": str(inside)}).output["lines"] == 2  # type: ignore[index]
    link = rt.workspace / "link.txt"
    link.symlink_to(f)
    with pytest.raises(PathNotAllowed):
        rt.runner.run("testing.count", {"path": str(link)})
    with pytest.raises(UserError, match="file not found"):
        rt.runner.run("testing.count", {"path": str(rt.workspace / "missing.csv")})
    (rt.workspace / "exports").mkdir()
    with pytest.raises(UserError, match="exports is a folder; this command reads one file") as e:
        rt.runner.run("testing.count", {"path": str(rt.workspace / "exports")})
    assert e.value.hint is not None and "import-dir" in e.value.hint
    assert rt.store.count_runs() == 1  # refused runs are not recorded


def test_bad_params_are_a_user_error(rt: Runtime) -> None:
    with pytest.raises(UserError, match=r"seconds: Input should be greater than or equal to 0"):
        rt.runner.run("util.wait", {"seconds": -1})


def test_errors_mark_the_run(rt: Runtime) -> None:
    bug = rt.runner.run("testing.bug", {})
    assert (bug.status, bug.error_kind, bug.error) == ("failed", "bug", "ZeroDivisionError: boom")
    assert "ZeroDivisionError" in (rt.store.traceback(bug.run_id) or "")
    bad = rt.runner.run("testing.bad", {})
    assert (bad.status, bad.error_kind) == ("failed", "user")
    assert bad.error == "the table has no header — add a header row"


def test_cancellation(rt: Runtime) -> None:
    handle = rt.runner.submit("util.wait", {"seconds": 30, "steps": 300})
    deadline = time.time() + 5
    while rt.store.get_run(handle.run_id).status != "running" and time.time() < deadline:  # type: ignore[union-attr]
        time.sleep(0.02)
    assert handle.cancel()
    result = handle.wait(timeout=10)
    assert result.status == "cancelled" and result.error == "the run was cancelled"


def test_cancellation_from_another_runtime(rt: Runtime, home: Path) -> None:
    started = threading.Event()
    handle = rt.runner.submit(
        "util.wait",
        {"seconds": 30, "steps": 300},
        listener=lambda ev: started.set() if ev.kind == "progress" else None,
    )
    assert started.wait(timeout=10)
    other = Runtime(Settings.load(home), registry=Registry.of([]))  # its own store connection
    try:
        assert other is not rt and other.store is not rt.store
        assert other.runner.cancel(handle.run_id)  # what `legion runs cancel` does elsewhere
    finally:
        other.close()
    result = handle.wait(timeout=10)
    assert (result.status, result.error) == ("cancelled", "the run was cancelled")


def test_timeout(rt: Runtime) -> None:
    result = rt.runner.run("util.wait", {"seconds": 30, "steps": 300}, timeout=0.3)
    assert (result.status, result.error) == ("timed_out", "timed out after 0.3 s")
    rec = rt.store.get_run(result.run_id)
    assert rec is not None and rec.error_kind == "timeout"
    assert [e.kind for e in rt.store.events(result.run_id)][-1] == "finished"


def test_timeout_ends_the_run_even_if_the_skill_never_checks(rt: Runtime) -> None:
    handle = rt.runner.submit("testing.stubborn", {"seconds": 3}, timeout=0.3)
    result = handle.wait()
    assert not sample_skills.STUBBORN_DONE.is_set()  # the skill is still at work
    assert (result.status, result.error) == ("timed_out", "timed out after 0.3 s")
    assert sample_skills.STUBBORN_DONE.wait(timeout=10)
    handle.wait()  # the late outcome is not recorded over the timeout
    rec = rt.store.get_run(result.run_id)
    assert rec is not None and (rec.status, rec.error_kind) == ("timed_out", "timeout")
    assert [e.kind for e in rt.store.events(result.run_id)].count("finished") == 1


def test_eight_concurrent_runs(rt: Runtime) -> None:
    handles = [
        rt.runner.submit("util.wait", {"seconds": 0.2 + i / 100, "steps": 20}) for i in range(8)
    ]
    results = [h.wait(timeout=30) for h in handles]
    assert [r.status for r in results] == ["succeeded"] * 8
    assert len({r.run_id for r in results}) == 8
    for r in results:
        events = rt.store.events(r.run_id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].kind == "started" and events[-1].kind == "finished"
        assert sum(e.kind == "progress" for e in events) >= 2


def test_eight_concurrent_processes_keep_the_store_consistent(home: Path) -> None:
    Runtime.open(home).close()
    code = textwrap.dedent(
        """
        import sys
        from onelegion.core.runtime import Runtime
        rt = Runtime.open(sys.argv[1])
        for i in range(15):
            assert rt.runner.run("util.echo", {"message": f"{sys.argv[2]}-{i}"}).ok
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(home), str(n)]) for n in range(8)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    rt = Runtime.open(home)
    runs = rt.store.list_runs(limit=1000)
    assert len(runs) == 120 and {r.status for r in runs} == {"succeeded"}
    rt.close()


def test_killed_process_leaves_an_interrupted_run(home: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from onelegion.core.runtime import Runtime
        rt = Runtime.open(sys.argv[1])
        rt.runner.run("util.wait", {"seconds": 60, "steps": 600})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(home)])
    Runtime.open(home).close()
    from onelegion.core.store import Store

    store = Store(home / "legion.db")
    deadline = time.time() + 30
    while time.time() < deadline:
        runs = store.list_runs()
        if runs and runs[0].status == "running":
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.list_runs()[0].status == "running"
    rt = Runtime.open(home)
    run = rt.store.list_runs()[0]
    assert run.status == "interrupted" and rt.interrupted == [run.id]
    assert run.error == "the process running it stopped before it finished"
    rt.close()


def test_no_llm_configured_is_one_actionable_line(rt: Runtime) -> None:
    result = rt.runner.run("testing.ask", {})
    assert result.status == "failed" and result.error_kind == "user"
    assert result.error is not None and "\n" not in result.error
    assert "llm.model" in result.error


def test_inline_and_thread_executors_record_the_same_run(home: Path) -> None:
    from onelegion.core.executors import InlineExecutor

    def recorded(rt: Runtime, run_id: str) -> tuple[object, ...]:
        rec = rt.store.get_run(run_id)
        assert rec is not None
        kinds = [e.kind for e in rt.store.events(run_id)]
        return (rec.skill, rec.params, rec.status, rec.output, rec.error, kinds)

    expected = ("util.echo", {"message": "x"}, "succeeded", {"message": "x"}, None)
    expected += (["started", "finished"],)
    a = Runtime.open(home, executor=InlineExecutor())
    ra = a.runner.run("util.echo", {"message": "x"})
    assert (ra.status, ra.output, ra.cached) == ("succeeded", {"message": "x"}, False)
    assert recorded(a, ra.run_id) == expected
    a.close()
    b = Runtime.open(home)
    assert type(b.runner.executor).__name__ == "ThreadPoolExecutor"
    rb = b.runner.run("util.echo", {"message": "x"}, refresh=True)
    assert (rb.status, rb.output, rb.cached) == ("succeeded", {"message": "x"}, False)
    assert recorded(b, rb.run_id) == expected
    b.close()


def test_run_ids_resolve_by_prefix_and_last(rt: Runtime) -> None:
    r = rt.runner.run("util.echo", {"message": "a"})
    assert rt.store.resolve_id("last") == r.run_id
    assert rt.store.resolve_id(r.run_id[:-2]) == r.run_id
    assert rt.store.resolve_id("nope") is None


def test_listener_sees_progress_from_a_thread(rt: Runtime) -> None:
    seen: list[str] = []
    lock = threading.Lock()

    def listen(ev: EventRecord) -> None:
        with lock:
            seen.append(ev.kind)

    rt.runner.run("util.wait", {"seconds": 0.3, "steps": 3}, listener=listen)
    assert seen[0] == "started" and seen[-1] == "finished" and "progress" in seen
