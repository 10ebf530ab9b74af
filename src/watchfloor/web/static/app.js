// watchfloor: the only script of the app's own pages (served from /static, allowed by the
// Content-Security-Policy). It follows a running job by its server-sent events
// (/api/jobs/<id>/events), or by polling /api/jobs/<id> where EventSource is missing or the
// stream breaks. Text from the server is written with textContent, never as HTML.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var id = box.getAttribute("data-job");
  function set(name, text) {
    var el = document.getElementById(name);
    if (el) { el.textContent = text; }
  }
  function show(job) {
    box.setAttribute("data-status", job.status);
    set("job-status", job.status);
    set("job-stage", job.stage || "");
    set("job-count", job.done + "/" + job.total);
    set("job-message", job.message || "");
    set("job-error", job.error || "");
    var bar = document.getElementById("job-progress");
    if (bar) { bar.max = job.total || 1; bar.value = job.done; }
    if (job.result && job.result.report_id) {
      var holder = document.getElementById("job-result");
      if (holder && !holder.querySelector("a")) {
        var a = document.createElement("a");
        a.href = "/reports/" + encodeURIComponent(String(job.result.report_id));
        a.textContent = "Open the report";
        a.id = "job-report-link";
        holder.appendChild(a);
      }
    }
  }
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        show(job);
        if (!job.finished) { setTimeout(poll, 500); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  function follow() {
    if (!window.EventSource) { box.setAttribute("data-follow", "polling"); poll(); return; }
    box.setAttribute("data-follow", "events");
    var source = new EventSource("/api/jobs/" + encodeURIComponent(id) + "/events");
    var finished = false;
    function onEvent(e) {
      var job = JSON.parse(e.data);
      show(job);
      if (job.finished) { finished = true; source.close(); }
    }
    source.addEventListener("progress", onEvent);
    source.addEventListener("done", onEvent);
    source.onerror = function () {
      // The stream ended or broke before the job did: fall back to polling.
      source.close();
      if (!finished) { box.setAttribute("data-follow", "polling"); poll(); }
    };
  }
  if (box.getAttribute("data-status") !== "done" && box.getAttribute("data-status") !== "failed") {
    follow();
  }
}());
