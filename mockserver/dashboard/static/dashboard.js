// The apiframe-mock dashboard: reads and drives a running mock through its control API alone.
// `apiframe-mock proxy` serves the same page over its journal alone (no tasks, faults or webhooks of
// its own): there the journal shows each exchange's findings, drift, flakes and the app's own problems.
// Everything that comes from the mock is put on the page as text (textContent, attribute values),
// never as markup, so a request body holding <script> or <img onerror> shows as those characters.
"use strict";

(() => {
  const API = "/__mock__";
  const TOKEN_KEY = "apiframe-mock-control-token";
  const POLL_MS = 1000;
  const JOURNAL_SHOWN = 200;
  const TASKS_SHOWN = 500;

  const $ = (id) => document.getElementById(id);
  const state = { token: sessionStorage.getItem(TOKEN_KEY), timer: null, choices: null, openBodies: new Set() };

  class ControlError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // The control API's own words: the msg of its error envelope, or its 401 body.
  function wording(status, data, text) {
    const first = data && Array.isArray(data.errors) && data.errors[0];
    if (first && typeof first.msg === "string") return `${status}: ${first.msg}`;
    if (status === 401) return "401 {}: the control API refused this token";
    return `${status}: ${text.slice(0, 300) || "(no body)"}`;
  }

  async function call(method, path, body) {
    const init = { method, cache: "no-store", headers: { Authorization: `Bearer ${state.token}` } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, init);
    const text = await response.text();
    let data = null;
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    if (!response.ok) throw new ControlError(response.status, wording(response.status, data, text));
    return data;
  }

  function cell(row, value, className) {
    const td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "" : String(value);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  // A button for what the task cannot do is shown disabled, saying why, rather than offered and then refused.
  function button(label, action, cannot) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", () => act(action));
    if (cannot) {
      b.disabled = true;
      b.title = cannot;
    }
    return b;
  }

  function options(select, values, keepFirst) {
    while (select.options.length > (keepFirst ? 1 : 0)) select.remove(select.options.length - 1);
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    }
  }

  function clock(seconds) {
    if (typeof seconds !== "number") return "";
    const at = new Date(seconds * 1000);
    return `${at.toLocaleTimeString([], { hour12: false })}.${String(at.getMilliseconds()).padStart(3, "0")}`;
  }

  function replaceRows(table, rows) {
    table.tBodies[0].replaceChildren(...rows);
  }

  const path = (taskId) => `/tasks/${encodeURIComponent(taskId)}`;

  // The control API lists tasks in the order they were stored: newest first is that order reversed,
  // and a sort by a column keeps the newest first among equals.
  function sorted(items, order) {
    const newest = [...items].reverse();
    if (order === "oldest") return items;
    if (order === "newest") return newest;
    const key = (item) => String(order === "type" ? item.task.task_type : item.task[order]);
    return newest.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  function renderTasks(listed) {
    const status = $("filter-status").value;
    const type = $("filter-type").value;
    const filtered = listed.filter(
      (item) => (!status || item.task.status === status) && (!type || item.task.task_type === type),
    );
    const kept = sorted(filtered, $("sort-tasks").value);
    const rows = kept.slice(0, TASKS_SHOWN).map((item) => {
      const task = item.task;
      const row = document.createElement("tr");
      row.dataset.taskId = task.task_id;
      row.dataset.status = task.status;
      cell(row, task.task_id, "id");
      // A v2 job is the same record as a task: its model says more than the family it is kept as.
      cell(row, task.model ? `${task.model} (v2 job)` : task.task_type, "type");
      cell(row, task.status, "status");
      cell(row, task.percentage);
      cell(row, item.step === null ? "" : `${item.step + 1} / ${item.steps}`, "step");
      cell(row, item.origin, "origin");
      const actions = cell(row, "", "actions");
      const id = task.task_id;
      const atEnd = item.advances ? "" : `${task.status}: the end of its lifecycle, no next step`;
      const failed = task.status === "failed" ? "failed already" : "";
      actions.append(
        button("Next step", () => call("POST", `${path(id)}/advance`, { to: "next" }), atEnd),
        button("Finish", () => call("POST", `${path(id)}/advance`, { to: "end" }), atEnd),
        button("Fail", () => call("POST", `${path(id)}/status`, { status: "failed" }), failed),
        button("Delete", () => call("DELETE", path(id))),
      );
      return row;
    });
    replaceRows($("tasks"), rows);
    const shown = kept.length > TASKS_SHOWN ? `${TASKS_SHOWN} shown of ` : "";
    $("task-count").textContent = `${shown}${kept.length} of ${listed.length}`;
  }

  function leftOf(fault) {
    if (typeof fault.next === "number") return `${fault.next} more call${fault.next === 1 ? "" : "s"}`;
    if (typeof fault.probability === "number") return `each call with probability ${fault.probability}`;
    return "every call";
  }

  function renderFaults(plan) {
    const rows = plan.faults.map((fault) => {
      const row = document.createElement("tr");
      row.dataset.kind = fault.kind;
      const rest = Object.fromEntries(
        Object.entries(fault).filter(([key]) => !["route", "kind", "next", "probability"].includes(key)),
      );
      cell(row, fault.route);
      cell(row, fault.kind);
      cell(row, leftOf(fault), "left");
      cell(row, Object.keys(rest).length ? JSON.stringify(rest) : "");
      return row;
    });
    replaceRows($("faults"), rows);
    $("fault-seed").textContent = `seed ${plan.seed}, ${plan.faults.length} in force`;
  }

  function bodyRow(entry) {
    const row = document.createElement("tr");
    row.className = "body";
    const td = document.createElement("td");
    td.colSpan = 6;
    const pre = document.createElement("pre");
    const body = entry.json !== null ? JSON.stringify(entry.json, null, 2) : entry.body || "(empty)";
    const headers = Object.entries(entry.headers).map(([name, value]) => `${name}: ${value}`);
    const found = (entry.findings || []).map((item) => `${findingName(item)}: ${item.reason}\n${item.curl}`);
    pre.textContent = [...found, `${headers.join("\n")}\n\n${body}`].join("\n\n");
    td.appendChild(pre);
    row.appendChild(td);
    return row;
  }

  // A rule's drift names the rule and whether CONTRACT.md has it documented, assumed or guessed.
  function findingName(finding) {
    if (finding.kind === "drift") return `drift ${finding.rule} (${finding.source})`;
    return finding.kind === "app" ? "the app's own" : finding.kind;
  }

  function renderJournal(journal) {
    const filter = $("filter-path").value;
    const kept = journal.requests.filter((entry) => !filter || entry.path.includes(filter)).reverse();
    const rows = [];
    for (const entry of kept) {
      const row = document.createElement("tr");
      row.dataset.seq = String(entry.seq);
      row.dataset.answer = entry.status === null || entry.status >= 400 ? "refused" : "ok";
      cell(row, entry.seq);
      cell(row, clock(entry.at));
      cell(row, entry.method);
      cell(row, entry.path, "path");
      const status = cell(row, entry.status === null ? "no answer" : entry.status, "status");
      for (const finding of entry.findings || []) {
        const mark = document.createElement("span");
        mark.className = `finding ${finding.kind}`;
        mark.textContent = findingName(finding);
        status.append(" ", mark);
      }
      const open = state.openBodies.has(entry.seq);
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.textContent = open ? "hide" : "show";
      toggle.addEventListener("click", () => {
        if (state.openBodies.has(entry.seq)) state.openBodies.delete(entry.seq);
        else state.openBodies.add(entry.seq);
        renderJournal(journal);
      });
      const td = cell(row, "");
      td.appendChild(toggle);
      rows.push(row);
      if (open) rows.push(bodyRow(entry));
    }
    replaceRows($("journal"), rows);
    const dropped = journal.dropped ? `, ${journal.dropped} older dropped` : "";
    $("journal-count").textContent = `${kept.length} shown${dropped}`;
  }

  function renderWebhooks(webhooks) {
    const rows = webhooks.deliveries
      .slice(-JOURNAL_SHOWN)
      .reverse()
      .map((delivery) => {
        const row = document.createElement("tr");
        cell(row, clock(delivery.at));
        cell(row, delivery.task_id, "id");
        cell(row, delivery.url);
        cell(row, delivery.attempt);
        cell(row, delivery.status === null ? delivery.error : delivery.status);
        return row;
      });
    replaceRows($("webhooks"), rows);
    $("webhook-count").textContent = `${webhooks.deliveries.length}, ${webhooks.pending} pending`;
  }

  async function refresh() {
    if (state.choices === null) {
      renderJournal(await call("GET", `/journal?last=${JOURNAL_SHOWN}`));
      $("connection").textContent = `live, updated ${clock(Date.now() / 1000)}`;
      return;
    }
    const [progress, journal, faults, webhooks] = await Promise.all([
      call("GET", "/progress"),
      call("GET", `/journal?last=${JOURNAL_SHOWN}`),
      call("GET", "/faults"),
      call("GET", "/webhooks"),
    ]);
    renderTasks(progress.tasks);
    renderJournal(journal);
    renderFaults(faults);
    renderWebhooks(webhooks);
    $("connection").textContent = `live, updated ${clock(Date.now() / 1000)}`;
  }

  async function poll() {
    clearTimeout(state.timer);
    try {
      await refresh();
    } catch (error) {
      if (error instanceof ControlError && error.status === 401) {
        signOut(error.message);
        return;
      }
      $("connection").textContent = `cannot reach the mock: ${error.message}`;
    }
    if (state.token) state.timer = setTimeout(poll, POLL_MS);
  }

  async function act(action) {
    $("action-error").textContent = "";
    try {
      await action();
    } catch (error) {
      $("action-error").textContent = error.message;
    }
    await poll();
  }

  function signOut(why) {
    clearTimeout(state.timer);
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $("board").hidden = true;
    $("reset").hidden = true;
    $("sign-out").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = why || "";
    $("connection").textContent = "";
  }

  async function open() {
    try {
      state.choices = await call("GET", "/choices");
    } catch (error) {
      // The token is right but there are no choices to make: the proxy, whose journal is all there is.
      if (!(error instanceof ControlError && error.status === 404)) {
        signOut(error.message);
        return;
      }
      state.choices = null;
    }
    sessionStorage.setItem(TOKEN_KEY, state.token);
    for (const id of ["tasks-section", "faults-section", "webhooks-section", "reset"]) $(id).hidden = !state.choices;
    $("login").hidden = true;
    $("board").hidden = false;
    $("sign-out").hidden = false;
    $("login-error").textContent = "";
    if (state.choices) fillChoices(state.choices);
    await poll();
  }

  function fillChoices(choices) {
    const { task_types: types, statuses, fault_kinds: kinds, fault_routes: routes } = choices;
    options($("add-type"), types, false);
    options($("add-status"), statuses, false);
    options($("filter-status"), statuses, true);
    options($("filter-type"), types, true);
    options($("fault-route"), routes, false);
    options($("fault-kind"), kinds, false);
  }

  function faultFrom() {
    const fault = { route: $("fault-route").value, kind: $("fault-kind").value };
    const extra = $("fault-options").value.trim();
    if (extra) Object.assign(fault, JSON.parse(extra));
    if ($("fault-next").value) fault.next = Number($("fault-next").value);
    if ($("fault-probability").value) fault.probability = Number($("fault-probability").value);
    return fault;
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.token = $("token").value;
      $("token").value = "";
      open();
    });
    $("sign-out").addEventListener("click", () => signOut(""));
    $("reset").addEventListener("click", () => act(() => call("POST", "/reset")));
    $("add-task-form").addEventListener("submit", (event) => {
      event.preventDefault();
      act(() => call("POST", "/add-task", { task_type: $("add-type").value, status: $("add-status").value }));
    });
    $("fault-form").addEventListener("submit", (event) => {
      event.preventDefault();
      act(async () => {
        let fault;
        try {
          fault = faultFrom();
        } catch (error) {
          throw new Error(`Options must be a JSON object: ${error.message}`);
        }
        const plan = await call("GET", "/faults");
        // A fault whose `next` ran out shows 0, which a new plan may not hold: it is left out.
        const kept = plan.faults.filter((old) => old.next !== 0);
        try {
          await call("PUT", "/faults", { seed: plan.seed, faults: [...kept, fault] });
        } catch (error) {
          // The person set one fault: the refusal names it so, not by its place in the plan sent.
          const place = `faults[${kept.length}]`;
          throw new Error(error.message.replaceAll(`${place}.`, "the new fault: ").replaceAll(place, "the new fault"));
        }
      });
    });
    $("clear-faults").addEventListener("click", () => act(() => call("DELETE", "/faults")));
    for (const id of ["filter-status", "filter-type", "sort-tasks", "filter-path"]) {
      $(id).addEventListener("input", () => poll());
    }
    if (state.token) open();
  });
})();
