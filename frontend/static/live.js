// The few live parts: progress that follows a job, select/unselect all filtered, template preview,
// the ops event stream. Pages work without it, only without live updates.
(function () {
  "use strict";
  var csrf = function () { return document.querySelector('meta[name="csrf-token"]').content; };

  function follow(box) {
    var done = (box.dataset.done || "").split(",");
    function update(state) {
      box.querySelectorAll("[data-field]").forEach(function (el) {
        var v = state[el.dataset.field];
        if (v !== undefined && v !== null) { el.textContent = v; }
      });
      box.querySelectorAll("progress[data-bar]").forEach(function (bar) {
        var of = state[bar.dataset.of] || state.rows_read || 1;
        bar.max = Math.max(of, 1); bar.value = state[bar.dataset.bar] || 0;
        bar.textContent = bar.value;
      });
      var finished = done.indexOf(state.status || state.state) >= 0;
      if (finished) { box.querySelectorAll("[data-when-done]").forEach(function (el) { el.hidden = false; }); }
      return finished;
    }
    function poll() {
      fetch(box.dataset.follow, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (state && update(state)) {
            if (!box.dataset.reloaded) { box.dataset.reloaded = "1"; setTimeout(function () { location.reload(); }, 300); }
            return;
          }
          setTimeout(poll, 500);
        })
        .catch(function () { setTimeout(poll, 2000); });
    }
    var initial = box.querySelector('[data-field="status"], [data-field="state"]');
    if (initial && done.indexOf(initial.textContent.trim()) >= 0) { update({}); box.querySelectorAll("[data-when-done]").forEach(function (el) { el.hidden = false; }); return; }
    poll();
  }

  // "Select all filtered" means every filtered customer, on every page, not only the rows shown.
  function selectAll(button, on) {
    var name = button.dataset.selectAll || button.dataset.unselectAll, form = button.form;
    form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) { box.checked = on; });
    var all = form.querySelector("[data-all-filtered]"), note = form.querySelector("[data-all-filtered-note]");
    if (all) { all.value = on ? "1" : ""; }
    if (note) { note.hidden = !on; }
  }

  // Choosing a contact for a new portal user fills in its e-mail and a free firstname.lastname username.
  function newUser(form) {
    var select = form.querySelector("select[name=contact_id]");
    select.addEventListener("change", function () {
      var option = select.selectedOptions[0];
      if (!option || !option.value) { return; }
      form.emails.value = option.dataset.email;
      var q = new URLSearchParams({ first_name: option.dataset.firstName, last_name: option.dataset.lastName });
      fetch(form.dataset.newUser + "?" + q.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) { if (answer && answer.username) { form.username.value = answer.username; } });
    });
  }

  function preview(form) {
    var out = document.querySelector("[data-preview-output]"), timer;
    function render() {
      fetch(form.dataset.preview, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), Accept: "application/json" },
        body: JSON.stringify({ subject: form.subject.value, text: form.text.value, html: form.html.value || null }) })
        .then(function (r) { return r.json(); })
        .then(function (p) { out.textContent = p.detail ? "Cannot render: " + p.detail : "Subject: " + p.subject + "\n\n" + p.text; });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 300); });
    render();
  }

  function eventStream(form) {
    var list = document.querySelector("[data-events]"), state = form.querySelector("[data-stream-state]"), source;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (source) { source.close(); }
      var q = new URLSearchParams();
      if (form.topic.value) { q.append("topic", form.topic.value); }
      if (form.type.value) { q.append("type", form.type.value); }
      source = new EventSource(form.dataset.eventStream + "?" + q.toString());
      state.textContent = "connecting";
      source.addEventListener("ready", function () { state.textContent = "following"; });
      source.onmessage = function (m) {
        var ev = JSON.parse(m.data), li = document.createElement("li");
        li.textContent = (ev.time || "") + "  " + ev.type + "  " + (ev.subject || "") + "  " + JSON.stringify(ev.data);
        list.insertBefore(li, list.firstChild);
      };
      source.onerror = function () { state.textContent = "reconnecting"; };
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-follow]").forEach(follow);
    document.querySelectorAll("[data-select-all]").forEach(function (b) { b.addEventListener("click", function () { selectAll(b, true); }); });
    document.querySelectorAll("[data-unselect-all]").forEach(function (b) { b.addEventListener("click", function () { selectAll(b, false); }); });
    document.querySelectorAll("form[data-preview]").forEach(preview);
    document.querySelectorAll("form[data-new-user]").forEach(newUser);
    document.querySelectorAll("[data-all-filtered]").forEach(function (all) {
      all.form.addEventListener("change", function (e) {  // unticking one means "these", no longer "all filtered"
        if (e.target.type === "checkbox" && !e.target.checked && all.value) {
          all.value = ""; all.form.querySelector("[data-all-filtered-note]").hidden = true;
        }
      });
    });
    document.querySelectorAll("form[data-event-stream]").forEach(eventStream);
  });
})();
