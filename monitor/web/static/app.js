/* complaint-monitor review pages: keyboard navigation and the live reply checks.
 * Plain JavaScript, no build step, nothing loaded from elsewhere. Never uses innerHTML:
 * text from the server is set with textContent, so mention data cannot become markup. */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function toggleHelp(show) {
    var help = document.getElementById("help");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function go(href) { if (href) window.location.assign(href); }

  function submitWith(form, button) {
    if (!form) return;
    if (form.dataset.sent === "1") return;  // one keypress, one request
    form.dataset.sent = "1";
    if (button && form.requestSubmit) form.requestSubmit(button);
    else if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  /* ---- the queue page ---------------------------------------------------------------- */
  var rows = Array.prototype.slice.call(document.querySelectorAll("#queue tr.row"));
  var selected = -1;

  function select(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (selected >= 0 && rows[selected]) rows[selected].classList.remove("selected");
    selected = i;
    rows[i].classList.add("selected");
    rows[i].setAttribute("aria-selected", "true");
    rows[i].scrollIntoView({ block: "nearest" });
  }

  rows.forEach(function (row, i) {
    row.addEventListener("click", function (ev) {
      if (ev.target.tagName === "A") return;
      select(i);
      go(row.dataset.href);
    });
  });

  function quickApprove(row) {
    var form = document.getElementById("quick-approve");
    if (!form || !row || row.dataset.status !== "pending") return;
    form.action = "/items/" + row.dataset.id + "/approve";
    form.elements.version.value = row.dataset.version;
    var back = document.createElement("input");
    back.type = "hidden"; back.name = "return_to"; back.value = "queue";
    form.appendChild(back);
    submitWith(form);
  }

  function queueKey(key) {
    var row = rows[selected];
    switch (key) {
      case "j": select(selected + 1); return true;
      case "k": select(selected < 0 ? 0 : selected - 1); return true;
      case "Enter": case "o": if (row) go(row.dataset.href); return !!row;
      case "a": if (row) quickApprove(row); return !!row;
      case "e": if (row) go(row.dataset.href + "#edit"); return !!row;
      case "r": if (row) go(row.dataset.href + "#reject"); return !!row;
    }
    return false;
  }

  /* ---- the item page ----------------------------------------------------------------- */
  var editor = document.getElementById("draft-text");
  var draftForm = document.getElementById("draft-form");
  var reason = document.getElementById("reject-reason");

  function focusEditor() {
    if (!editor) return false;
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
    return true;
  }

  /* f / v / q / p / n: the label buttons carry their key; the current label's is disabled. */
  function relabelKey(key) {
    var form = document.getElementById("relabel-form");
    if (!form) return false;
    var button = form.querySelector('button[data-key="' + key + '"]');
    if (!button || button.disabled) return false;
    submitWith(form, button);
    return true;
  }

  function approveKey() {
    // While a check fails, "a" does not approve: it points at the explicit override.
    var button = document.getElementById("approve-btn");
    if (!draftForm || !button) return false;
    if (button.disabled) {
      var anyway = document.getElementById("approve-anyway-btn");
      if (anyway && !anyway.hidden) anyway.focus();
      return true;
    }
    submitWith(draftForm, button);
    return true;
  }

  function itemKey(key) {
    var link;
    switch (key) {
      case "j": link = document.getElementById("next-link"); if (link) go(link.href); return true;
      case "k": link = document.getElementById("prev-link"); if (link) go(link.href); return true;
      case "u": link = document.getElementById("back-link"); if (link) go(link.href); return true;
      case "a": return approveKey();
      case "e": return focusEditor();
      case "r": if (reason) { reason.focus(); return true; } return false;
      case "w": submitWith(document.getElementById("redraft-form")); return true;
      case "f": case "v": case "q": case "p": case "n": return relabelKey(key);
    }
    return false;
  }

  /* ---- live length and checks while typing ------------------------------------------- */
  var timer = null;
  var seq = 0;

  function showChecks(data) {
    var count = document.getElementById("count");
    var limit = document.getElementById("limit");
    var counter = document.getElementById("counter");
    var list = document.getElementById("checks");
    if (count) count.textContent = String(data.count);
    if (limit) limit.textContent = String(data.limit);
    if (counter) counter.classList.toggle("over", data.count > data.limit);
    var problems = data.violations || [];
    var approve = document.getElementById("approve-btn");
    var anyway = document.getElementById("approve-anyway-btn");
    var named = document.getElementById("failing-check");
    if (approve) approve.disabled = problems.length > 0;
    if (anyway) anyway.hidden = problems.length === 0;
    if (named) {
      named.textContent = problems.length ? problems[0] +
        (problems.length > 1 ? " (and " + (problems.length - 1) + " more)" : "") : "";
    }
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!problems.length) {
      var ok = document.createElement("li");
      ok.className = "good"; ok.textContent = "All checks pass";
      list.appendChild(ok);
    }
    problems.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "bad"; li.textContent = p;
      list.appendChild(li);
    });
  }

  function check() {
    var mine = ++seq;
    fetch("/api/check", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ item_id: Number(editor.dataset.itemId), text: editor.value })
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) showChecks(data); })
      .catch(function () { /* the server re-checks on save anyway */ });
  }

  if (editor) {
    editor.addEventListener("input", function () {
      var counter = document.getElementById("counter");
      if (counter) counter.classList.add("pending");
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (counter) counter.classList.remove("pending");
        check();
      }, 200);
    });
    editor.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        submitWith(draftForm, document.getElementById("save-btn"));
      }
    });
  }

  /* ---- one key handler for every page ------------------------------------------------- */
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var key = ev.key;
    if (key === "Escape") {
      toggleHelp(false);
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    if (key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (key === "/") {
      var search = document.getElementById("search");
      ev.preventDefault();
      if (search) { search.focus(); search.select(); } else { go("/#search"); }
      return;
    }
    /* Incident banner and page: i opens the incident; c / x / r only move the focus (to the
       summary, dismiss, resolve), so one stray key never changes anything. */
    var incidentTarget = document.querySelector('[data-incident-key="' + key + '"]');
    if (incidentTarget) {
      ev.preventDefault();
      if (incidentTarget.tagName === "A") { go(incidentTarget.getAttribute("href")); } else { incidentTarget.focus(); }
      return;
    }
    var handled = rows.length ? queueKey(key) : (document.querySelector(".item-nav") ? itemKey(key) : false);
    if (handled) ev.preventDefault();
  });

  document.querySelectorAll("[data-help-toggle]").forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(); });
  });
  var helpBox = document.getElementById("help");
  if (helpBox) helpBox.addEventListener("click", function (ev) { if (ev.target === helpBox) toggleHelp(false); });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () { form.dataset.sent = "1"; });
  });

  /* Where a link asked for it: open the editor, the reject reason or the search box. */
  if (location.hash === "#edit") focusEditor();
  else if (location.hash === "#reject" && reason) reason.focus();
  else if (location.hash === "#search") {
    var s = document.getElementById("search"); if (s) s.focus();
  }
  if (rows.length) select(0);
})();
