// The status page's script. It asks once for the API token, keeps it in this tab's session storage,
// and reads everything it shows from the /v1 API with it, every few seconds. It builds the DOM from
// text nodes only: the page runs under Trusted Types, which refuses any HTML string.
"use strict";

const TOKEN_KEY = "ferry.api_token";
const POLL_MS = 5000;
const SVG = "http://www.w3.org/2000/svg";
const THREAD_STATES = ["migrated", "migrating", "pending", "failed", "source_unavailable"];
const TOP_CODES = 5;
// #thread=<id> names the lookup shown, so a report's example link and the box lead to one place.
const THREAD_HASH = "#thread=";
const REFUSED = "ferry refused that token (401). Enter the API_TOKEN this ferry was deployed with.";
const EXAMPLES_SHOWN = 3;

const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat("en");
const when = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
const hourOf = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** The token was refused (401): ask for another. */
class Refused extends Error {}

/** ferry answered with an error of its own ({"error":{…}}). */
class Answered extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `ferry answered ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

async function api(path, method = "GET") {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(path, { method, headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
  if (res.status === 401) throw new Refused();
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Answered(res.status, body);
  return body;
}

/** An element with text (never markup) and attributes. */
function el(tag, text, attrs = {}) {
  const node = tag === "rect" || tag === "title" ? document.createElementNS(SVG, tag) : document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

function show(id, text) {
  $(id).textContent = text;
}

// --- the token -------------------------------------------------------------------------------

function askForToken(message) {
  stopPolling();
  sessionStorage.removeItem(TOKEN_KEY);
  $("dashboard").hidden = true;
  $("sign-out").hidden = true;
  $("notice").hidden = true;
  $("token-form").hidden = false;
  $("token-error").hidden = !message;
  show("token-error", message ?? "");
  $("token").value = "";
  $("token").focus();
}

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  void start();
});

$("sign-out").addEventListener("click", () => askForToken());

// --- refreshing ------------------------------------------------------------------------------

let timer = null;
let rounds = 0;
let shutdownAt = null;

function stopPolling() {
  clearTimeout(timer);
  timer = null;
}

async function start() {
  $("token-form").hidden = true;
  const ok = await refresh();
  if (!ok) return;
  $("dashboard").hidden = false;
  $("sign-out").hidden = false;
  lookUpFromHash();
}

/**
 * One round: status and report. Schedules the next unless the token was refused. A button starts a
 * round at once; an older one still under way then draws nothing, lest it show a state gone by.
 */
async function refresh() {
  stopPolling();
  const round = ++rounds;
  try {
    const [status, report] = await Promise.all([api("/v1/status"), api("/v1/report")]);
    if (round !== rounds) return true;
    renderStatus(status);
    renderReport(report);
    $("notice").hidden = true;
    show("updated", `updated ${when.format(new Date())}`);
  } catch (err) {
    if (err instanceof Refused) {
      askForToken(REFUSED);
      return false;
    }
    notice(err instanceof Answered ? `ferry answered: ${err.message}` : "ferry is not reachable; trying again.");
  } finally {
    if (round === rounds && sessionStorage.getItem(TOKEN_KEY) !== null) timer = setTimeout(refresh, POLL_MS);
  }
  return true;
}

function notice(text) {
  $("notice").hidden = false;
  show("notice", text);
}

// --- status ----------------------------------------------------------------------------------

function renderStatus(s) {
  for (const node of document.querySelectorAll("[data-count]")) {
    const value = node.dataset.count.split(".").reduce((o, key) => o?.[key], s);
    node.textContent = typeof value === "number" ? number.format(value) : "–";
  }
  drawThreadsBar(s.threads);

  shutdownAt = Date.parse(s.shutdown_at);
  tick();
  show("shutdown-at", when.format(shutdownAt));
  $("shutdown-at").setAttribute("datetime", s.shutdown_at);
  show("finish-at", s.projected_finish_at ? when.format(Date.parse(s.projected_finish_at)) : "not known yet (nothing migrated to set a pace)");
  const badge = $("on-track");
  badge.className = `badge ${s.on_track ? "ok" : "late"}`;
  show("on-track", s.on_track ? "on track" : "late");
  const pace = s.throughput.last_24h.threads_per_hour || s.throughput.last_run?.threads_per_hour || 0;
  show("pace", `${number.format(pace)} threads`);

  show("backfill-state", s.paused ? "Paused" : "Running");
  show("backfill-detail", backfillDetail(s));
  $("pause").disabled = s.paused;
  $("resume").disabled = !s.paused;
  show("pacing", pacing(s.pacing));

  drawHourly(s.throughput.last_24h);
  progress("assistants-progress", s.assistants.synced, s.assistants.total);
  progress("files-progress", s.files.completed, s.files.total);
}

function backfillDetail(s) {
  const parts = [];
  if (s.paused) parts.push(`paused since ${when.format(Date.parse(s.paused_since))}`);
  const run = s.last_backfill;
  if (run) {
    const state = run.drained_at ? `drained ${when.format(Date.parse(run.drained_at))}` : "still running";
    parts.push(`last run (${run.trigger}) started ${when.format(Date.parse(run.started_at))}, ${number.format(run.enqueued)} enqueued, ${state}`);
  } else parts.push("no backfill has run yet");
  return parts.join("; ");
}

function pacing(p) {
  const side = (name, pacer) =>
    pacer && `${name} ${number.format(pacer.current_rpm)}/${number.format(pacer.max_rpm)} calls a minute${pacer.paused_for_seconds > 0 ? `, held ${pacer.paused_for_seconds} s by a 429` : ""}`;
  const sides = [side("source", p?.source), side("target", p?.target)].filter(Boolean);
  return sides.length ? `pacing: ${sides.join("; ")}` : "unpaced (no *_MAX_RPM set)";
}

function progress(id, done, total) {
  $(id).max = Math.max(total, 1);
  $(id).value = done;
}

/** The countdown runs every second between refreshes, from the last shutdown_at read. */
function tick() {
  if (shutdownAt === null) return;
  const seconds = Math.floor((shutdownAt - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const d = Math.floor(abs / 86400);
  const hms = [Math.floor(abs / 3600) % 24, Math.floor(abs / 60) % 60, abs % 60].map((n) => String(n).padStart(2, "0")).join(":");
  show("countdown", seconds >= 0 ? `${d} d ${hms} left` : `shut down ${d} d ${hms} ago`);
}
setInterval(tick, 1000);

function drawThreadsBar(threads) {
  const bar = $("threads-bar");
  const rects = [];
  let x = 0;
  for (const status of THREAD_STATES) {
    const width = threads.total ? (threads[status] / threads.total) * 1000 : 0;
    const rect = el("rect", undefined, { x, y: 0, width, height: 24, class: `s-${status}` });
    rect.append(el("title", `${status}: ${number.format(threads[status])}`));
    rects.push(rect);
    x += width;
  }
  bar.replaceChildren(...rects);
}

/** Bars of threads migrated per hour, oldest first; the last is the hour under way. */
function drawHourly(last24h) {
  const hours = last24h.by_hour;
  const peak = Math.max(0, ...hours.map((h) => h.threads_migrated));
  const max = Math.max(1, peak);
  const width = 240 / hours.length;
  const bars = hours.map((h, i) => {
    const height = (h.threads_migrated / max) * 100;
    const rect = el("rect", undefined, { x: i * width + width * 0.1, y: 100 - height, width: width * 0.8, height, "data-hour": h.hour });
    rect.append(el("title", `${hourOf.format(Date.parse(h.hour))}: ${number.format(h.threads_migrated)} migrated`));
    return rect;
  });
  $("hourly").replaceChildren(...bars);
  show("hourly-total", `${number.format(last24h.threads_migrated)} threads, ${number.format(last24h.threads_per_hour)} an hour`);
  show("hourly-from", hours.length ? `from ${when.format(Date.parse(hours[0].hour))}` : "");
  show("hourly-max", `peak ${number.format(peak)} an hour`);
}

// --- report ----------------------------------------------------------------------------------

function renderReport(report) {
  issues("report-errors", report.errors, "no errors");
  issues("report-warnings", report.warnings, "no warnings");
}

function issues(id, list, none) {
  const items = list.slice(0, TOP_CODES).map((issue) => {
    const li = el("li");
    li.append(el("code", issue.code), ` — ${number.format(issue.threads)} thread${issue.threads === 1 ? "" : "s"} `);
    const examples = el("div");
    for (const threadId of issue.examples.slice(0, EXAMPLES_SHOWN)) examples.append(el("a", threadId, { href: THREAD_HASH + encodeURIComponent(threadId) }));
    li.append(examples);
    return li;
  });
  $(id).replaceChildren(...(items.length ? items : [el("li", none, { class: "muted" })]));
}

// --- backfill control ------------------------------------------------------------------------

for (const [id, path] of [
  ["pause", "/v1/backfill/pause"],
  ["resume", "/v1/backfill/resume"],
]) {
  $(id).addEventListener("click", async () => {
    $(id).disabled = true;
    try {
      await api(path, "POST");
    } catch (err) {
      if (err instanceof Refused) return askForToken(REFUSED);
      notice(`${id} failed: ${err.message}`);
    }
    await refresh();
  });
}

// --- lookup ----------------------------------------------------------------------------------

function lookUpFromHash() {
  if (!$("dashboard").hidden && location.hash.startsWith(THREAD_HASH)) void lookUp(decodeURIComponent(location.hash.slice(THREAD_HASH.length)));
}

$("lookup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const hash = THREAD_HASH + encodeURIComponent($("thread-id").value.trim());
  if (location.hash === hash) lookUpFromHash();
  else location.hash = hash;
});

window.addEventListener("hashchange", lookUpFromHash);

async function lookUp(threadId) {
  $("thread-id").value = threadId;
  const out = $("lookup-result");
  out.replaceChildren(el("p", `looking up ${threadId}…`, { class: "muted small" }));
  try {
    const t = await api(`/v1/threads/${encodeURIComponent(threadId)}`);
    const rows = [
      ["thread", t.thread_id],
      ["status", t.status],
      ["conversation", t.conversation_id ?? "none yet"],
      ["messages", number.format(t.messages_migrated)],
      ["source", t.source],
      ["updated", when.format(Date.parse(t.updated_at))],
    ];
    if (t.migrated_at) rows.push(["migrated", when.format(Date.parse(t.migrated_at))]);
    if (t.warnings.length) rows.push(["warnings", [...new Set(t.warnings.map((w) => w.code))].join(", ")]);
    if (t.error) rows.push(["error", `${t.error.code}: ${t.error.message}`]);
    const dl = el("dl", undefined, { class: "result" });
    for (const [k, v] of rows) dl.append(el("dt", k), el("dd", v, { "data-field": k }));
    out.replaceChildren(dl);
  } catch (err) {
    if (err instanceof Refused) return askForToken(REFUSED);
    const text = err instanceof Answered && err.status === 404 ? `ferry has never seen ${threadId}.` : err instanceof Answered ? err.message : "ferry is not reachable.";
    out.replaceChildren(el("p", text, { class: "error", role: "alert" }));
  }
}

if (sessionStorage.getItem(TOKEN_KEY)) void start();
else askForToken();
