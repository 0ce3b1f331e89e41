"""The Dask executor against a real local cluster (worker processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed")

from onelegion.core.executors import dask_executor
from onelegion.core.runtime import Runtime
from onelegion.core.store import EventRecord


@pytest.mark.timeout(180)
def test_runs_execute_on_a_local_dask_cluster(home: Path) -> None:
    executor = dask_executor(
        None, n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
    )
    rt = Runtime.open(home, executor=executor)
    try:
        seen: list[EventRecord] = []
        result = rt.runner.run("util.wait", {"seconds": 0.3, "steps": 3}, listener=seen.append)
        assert result.status == "succeeded" and result.output == {"waited": 0.3}
        rec = rt.store.get_run(result.run_id)
        assert rec is not None
        events = rt.store.events(result.run_id)
        assert events[0].kind == "started" and events[-1].kind == "finished"
        assert [e.kind for e in seen if e.kind == "finished"] == ["finished"]
        many = [rt.runner.submit("util.echo", {"message": str(i)}) for i in range(4)]
        assert [h.wait(timeout=60).output for h in many] == [{"message": str(i)} for i in range(4)]
    finally:
        executor.shutdown(wait=True)
        client = getattr(executor, "_client", None)
        if client is not None:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
        rt.store.close()
