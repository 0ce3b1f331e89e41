// Live progress of a run page: the run's server-sent events (/api/runs/{id}/events) fill the
// progress bar and the log; at 'finished' the status panel is fetched again with htmx.
(function () {
  function start() {
    var live = document.getElementById("live");
    if (!live || !window.EventSource) return;
    var bar = document.getElementById("bar"), text = document.getElementById("progress-text");
    var log = document.getElementById("log"), wasFinal = live.dataset.final === "true";
    var es = new EventSource(live.dataset.events);
    function line(s) { log.textContent += s + "\n"; log.scrollTop = log.scrollHeight; }
    function data(e) { try { return JSON.parse(e.data); } catch (x) { return {}; } }
    function running() {  // the page may have been rendered while the run was still queued
      var st = document.getElementById("status");
      if (st && st.textContent === "queued") { st.textContent = "running"; st.className = "status s-running"; }
    }
    es.addEventListener("started", function (e) { line("started"); running(); });
    es.addEventListener("progress", function (e) {
      running();
      var d = data(e).data || {};
      if (d.total) { bar.max = d.total; bar.value = d.done || 0; } else { bar.removeAttribute("value"); }
      text.textContent = (d.total ? (d.done || 0) + " / " + d.total + " " : "") + (d.message || "");
      if (d.message) line(d.message);
    });
    es.addEventListener("log", function (e) { var d = data(e).data || {}; line("[" + (d.level || "info") + "] " + (d.message || "")); });
    es.addEventListener("artifact", function (e) { var d = data(e).data || {}; line("file: " + (d.name || "")); });
    es.addEventListener("finished", function (e) {
      var d = data(e).data || {};
      line("finished: " + (d.status || ""));
      es.close(); bar.max = 1; bar.value = 1;
      if (!wasFinal && window.htmx) {
        htmx.ajax("GET", live.dataset.panel, { target: "#panel", swap: "innerHTML" });
      }
    });
    es.onerror = function () { if (es.readyState === 2) return; };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
