// The manager's console (/manager). The dashboard is the server's live view
// (watch_dashboard → view_update): waiting per service, longest waits, counters, devices and
// pairing requests, computed by the server with the same estimates every screen shows. The
// other tabs ask for what they show (accounts, reports, the audit log) and send the
// protocol's manager requests. docs/protocol.md §4.8.

import { Connection, sessionToken } from "./conn.js";
import { setLang, preferredLang, t, count, names, minutes, clockTime, onLangChange, formatNumber, currentLang, useFiles } from "./i18n.js";
import { dateTimeOf, dayOf, decimal } from "./format.js";
import { h, act, ask, toast, mountHeader, showStatus, setCenter, setUser } from "./ui.js";
import { showSignIn, signedOut } from "./signin.js";
import { printersView } from "./printers.js";
import { staffingTab } from "./staffing.js";

const TABS = ["dashboard", "services", "devices", "staff", "staffing", "reports", "audit"];
const AUDIT_PAGE = 50;
const SVG = "http://www.w3.org/2000/svg";

const main = document.getElementById("main");
const tabsEl = document.getElementById("tabs");
let me = null;
let dash = null;
let tab = TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "dashboard";
/** Redraws the parts of the open tab that follow the dashboard (set by each tab). */
let onDash = null;
/** Redraws the open tab after a language change. */
let redrawTab = null;

useFiles("manager");
await setLang(preferredLang());
mountHeader(document.getElementById("header"), { titleId: "manager-title" });
onLangChange(() => {
  document.title = `${t("app-name")} — ${t("manager-title")}`;
  if (me) {
    drawTabs();
    redrawTab?.();
  }
});
document.title = `${t("app-name")} — ${t("manager-title")}`;

const conn = new Connection({
  client: "web-manager",
  onStatus: showStatus,
  onSignedOut: (code) => {
    me = null;
    tabsEl.hidden = true;
    signedOut(main, conn, code, signedIn);
  },
  onFrame: (f) => {
    if (f.type === "view_update" && f.view.view === "dashboard" && me) {
      dash = f.view;
      onDash?.();
    }
  },
  onReady: async (welcome) => {
    setCenter(welcome.center);
    publicUrl = welcome.public_url || null;
    if (welcome.role === "manager") await signedIn({ username: welcome.user });
    else if (!me) showSignIn(main, conn, signedIn);
    else signedOut(main, conn, "session_expired", signedIn);
  },
});

async function signedIn(session) {
  if (session.role && session.role !== "manager") {
    // A clerk's session is no use here.
    await conn.logout().catch(() => {});
    toast(t("error-forbidden"), "error");
    showSignIn(main, conn, signedIn);
    return;
  }
  me = session.username;
  setUser(session.display_name || session.username, async () => {
    await conn.logout().catch(() => {});
    me = null;
    tabsEl.hidden = true;
    signedOut(main, conn, null, signedIn);
  });
  const r = await act(null, t("mgr-tab-dashboard"), () => conn.request("watch_dashboard"));
  if (r) dash = r.view;
  tabsEl.hidden = false;
  drawTabs();
  openTab(tab);
}

function drawTabs() {
  tabsEl.replaceChildren(...TABS.map((name) =>
    h("button", { type: "button", id: `tab-${name}`, role: "tab", "aria-selected": String(name === tab), onclick: () => openTab(name) }, t(`mgr-tab-${name}`))));
}

function openTab(name) {
  tab = name;
  history.replaceState(null, "", `#${name}`);
  drawTabs();
  onDash = null;
  const draw = { dashboard: dashboardTab, services: servicesTab, devices: devicesTab, staff: staffTab, staffing: () => staffingTab(main, conn, serviceName), reports: reportsTab, audit: auditTab }[name];
  redrawTab = () => draw();
  draw();
}

// ---------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------

function table(id, headers, rows, { numeric = [] } = {}) {
  return h("div", { class: "table-wrap" },
    h("table", { class: "data", id },
      h("thead", {}, h("tr", {}, headers.map((x, i) => h("th", { class: numeric.includes(i) ? "num" : null }, x)))),
      h("tbody", {}, rows)));
}

function td(x, num = false) {
  return h("td", { class: num ? "num" : null }, x);
}

function waitText(secs) {
  return secs === undefined || secs === null ? t("mgr-no-estimate") : minutes(secs);
}

function dateTime(iso) {
  return dateTimeOf(iso);
}

function counterName(id) {
  const c = dash?.counters.find((x) => x.id === id);
  return c ? names(c.name) : `#${id}`;
}

function serviceName(code) {
  const s = dash?.services.find((x) => x.code === code);
  return s ? names(s.name) : code;
}

/** Horizontal bars in inline SVG; the row grows from the reading side (right in Arabic). */
function bars(id, items, { unit = (n) => formatNumber(n) } = {}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const rtl = currentLang() === "ar";
  if (!items.length) return h("div", { class: "bars", id }, h("p", { class: "empty" }, t("mgr-chart-empty")));
  return h("div", { class: "bars", id }, items.map((i) => {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 100 10");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    const rect = document.createElementNS(SVG, "rect");
    const w = Math.max(1, (i.value / max) * 100);
    rect.setAttribute("x", rtl ? String(100 - w) : "0");
    rect.setAttribute("y", "0");
    rect.setAttribute("width", String(w));
    rect.setAttribute("height", "10");
    rect.setAttribute("rx", "1.5");
    rect.setAttribute("fill", i.warn ? "#b3261e" : "#0b5d57");
    svg.append(rect);
    return h("div", { class: "bar-row", dataset: { key: i.key } },
      h("span", { class: "what", title: i.label }, i.label),
      h("span", { class: "track" }, svg),
      h("span", { class: "n" }, unit(i.value)));
  }));
}

// ---------------------------------------------------------------------------------------
// Dashboard
// ---------------------------------------------------------------------------------------

/** The center's public address (`[access] public_url`); null: receipts' QR codes cannot be
 *  opened from citizens' phones, and the dashboard says so. */
let publicUrl = null;

function dashboardTab() {
  const figures = h("div", { class: "figures", id: "figures" });
  const waitingChart = h("div");
  const longestChart = h("div");
  const counters = h("div");
  const printers = h("div");
  // The log changed outside the server (found after the start): above everything, in red.
  const breaks = h("div", { id: "chain-breaks" });
  const message = h("input", { id: "message", maxlength: "280", placeholder: t("mgr-message-placeholder"), value: dash?.message || "" });
  const save = h("button", { type: "submit", class: "primary", id: "message-save" }, t("mgr-message-save"));
  const messageForm = h("form", { class: "inline message-form" }, message, save);
  messageForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await act(save, t("mgr-message-save"), () => conn.request("set_message", { text: message.value }))) toast(t("mgr-message-saved"));
  });
  const setup = publicUrl ? null : h("div", { class: "banner warn", role: "alert", id: "no-public-url" },
    h("strong", {}, t("mgr-no-public-url")), " ", h("span", {}, t("mgr-no-public-url-what")));
  main.replaceChildren(h("div", { class: "stack", id: "dashboard" },
    breaks,
    setup,
    h("section", { class: "card" }, figures),
    // A kiosk that cannot print is the first thing a manager must see after the figures.
    h("section", { class: "card", id: "printers-card" }, h("h2", {}, t("mgr-printers")), printers),
    h("div", { class: "grid2" },
      h("section", { class: "card" }, h("h2", {}, t("mgr-chart-waiting")), waitingChart),
      h("section", { class: "card" }, h("h2", {}, t("mgr-chart-longest")), longestChart)),
    h("section", { class: "card" }, h("h2", {}, t("mgr-counters")), counters),
    h("section", { class: "card" }, h("h2", {}, t("mgr-message")), messageForm)));
  onDash = () => {
    if (!dash) return;
    const open = dash.counters.filter((c) => c.state !== "closed").length;
    figures.replaceChildren(
      figure("fig-waiting", t("mgr-waiting-now"), formatNumber(dash.waiting)),
      figure("fig-longest", t("mgr-longest-wait"), minutes(dash.longest_wait_secs), dash.longest_wait_secs >= 20 * 60),
      figure("fig-served", t("mgr-served-today"), formatNumber(dash.served_today)),
      figure("fig-open", t("mgr-counters-open"), t("ratio-of", { part: formatNumber(open), whole: formatNumber(dash.counters.length) })),
      ratingFigure(dash.ratings_today));
    const waiting = dash.services.filter((s) => s.waiting > 0).sort((a, b) => b.waiting - a.waiting);
    waitingChart.replaceChildren(bars("chart-waiting", waiting.map((s) => ({ key: s.code, label: `${s.prefix} · ${names(s.name)}`, value: s.waiting }))));
    const longest = waiting.slice().sort((a, b) => b.longest_wait_secs - a.longest_wait_secs);
    longestChart.replaceChildren(bars("chart-longest", longest.map((s) => ({ key: s.code, label: `${s.prefix} · ${names(s.name)}`, value: Math.floor(s.longest_wait_secs / 60), warn: s.longest_wait_secs >= 20 * 60 }))));
    counters.replaceChildren(countersTable());
    printers.replaceChildren(printersView(dash));
    breaks.replaceChildren(...(dash.chain_breaks || []).map((b) => h("div", { class: "banner error", role: "alert", dataset: { chain: b.chain, row: String(b.row) } },
      // What exactly is wrong (English, as verify prints it) is in the audit log and verify.
      h("strong", {}, t("mgr-chain-break", { chain: b.chain, row: formatNumber(b.row) })), " ",
      h("span", {}, t("mgr-chain-break-what")))));
    if (document.activeElement !== message && !message.dataset.edited) message.value = dash.message;
  };
  message.addEventListener("input", () => { message.dataset.edited = "1"; });
  onDash();
}

function figure(id, name, value, warn = false) {
  return h("div", { class: warn ? "figure warn" : "figure", id }, h("span", { class: "value" }, value), h("span", { class: "name" }, name));
}

// Today's ratings from the ticket pages: the mean of 5, and how many gave one.
function ratingFigure(r) {
  const n = (r && r.count) || 0;
  const mean = n ? decimal(r.sum / n) : "—";
  return h("div", { class: n && r.sum / n < 3 ? "figure warn" : "figure", id: "fig-rating" },
    h("span", { class: "value" }, n ? t("mgr-rating-value", { mean, max: formatNumber(5) }) : mean),
    h("span", { class: "name" }, `${t("mgr-rating-today")} (${count("mgr-rating-count", n)})`));
}

function countersTable() {
  const rows = dash.counters.map((c) => h("tr", { dataset: { counter: String(c.id) } },
    td(names(c.name)),
    td(h("span", { class: `badge state-${c.state}` }, t(`counter-state-${c.state}`))),
    td(c.clerk || ""),
    td(c.ticket ? h("span", { class: "label" }, c.ticket) : ""),
    td(c.since ? clockTime(c.since) : ""),
    td(formatNumber(c.queue), true),
    td(c.profile.map((p) => `${serviceName(p.service)} ×${formatNumber(p.weight)}`).join(currentLang() === "ar" ? "، " : ", ")),
    td(h("span", {},
      h("button", { type: "button", class: "edit-profile", id: `profile-${c.id}`, onclick: (e) => editProfile(e.currentTarget, c) }, t("mgr-edit-profile")),
      " ",
      c.state === "idle" || c.state === "paused"
        ? h("button", { type: "button", id: `close-${c.id}`, onclick: (e) => closeCounter(e.currentTarget, c) }, t("mgr-close-counter"))
        : null))));
  return table("counters", [t("mgr-col-counter"), t("mgr-col-state"), t("mgr-col-clerk"), t("mgr-col-ticket"), t("mgr-col-since"), t("mgr-col-queue"), t("mgr-col-services"), ""], rows, { numeric: [5] });
}

async function closeCounter(button, c) {
  if (await act(button, t("mgr-close-counter"), () => conn.request("close_counter", { counter: c.id }))) {
    toast(t("mgr-closed-counter", { counter: names(c.name) }));
  }
}

/** The counter's services and weights: checked services in profile order, then the rest. */
async function editProfile(button, c) {
  const weights = new Map(c.profile.map((p) => [p.service, p.weight]));
  const ordered = [
    ...c.profile.map((p) => dash.services.find((s) => s.code === p.service)).filter(Boolean),
    ...dash.services.filter((s) => !weights.has(s.code)),
  ];
  const rows = ordered.map((s) => h("label", { class: "profile-row", dataset: { service: s.code } },
    h("input", { type: "checkbox", name: `use-${s.code}`, checked: weights.has(s.code) }),
    h("span", {}, `${s.prefix} · ${names(s.name)}`),
    h("input", { type: "number", name: `weight-${s.code}`, min: "0.1", max: "100", step: "0.1", value: String(weights.get(s.code) ?? 1), "aria-label": s.code })));
  const data = await ask({
    title: t("mgr-profile-title", { counter: names(c.name) }),
    body: [h("p", { class: "hint" }, t("mgr-profile-hint")), h("div", { class: "profile-list", id: "profile-list" }, rows)],
  });
  if (!data) return;
  const profile = ordered
    .filter((s) => data.get(`use-${s.code}`))
    .map((s) => ({ service: s.code, weight: Number(data.get(`weight-${s.code}`)) }));
  if (await act(button, t("mgr-edit-profile"), () => conn.request("set_counter_profile", { counter: c.id, profile }))) {
    toast(t("mgr-profile-saved", { counter: names(c.name) }));
  }
}

// ---------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------

function servicesTab() {
  const holder = h("section", { class: "card", id: "services" });
  main.replaceChildren(holder);
  onDash = () => {
    if (!dash) return;
    const rows = dash.services.map((s) => h("tr", { dataset: { service: s.code } },
      td(`${s.prefix} · ${names(s.name)}`),
      td(h("span", { class: `badge ${s.open ? "on" : "off"}` }, t(s.open ? "mgr-service-open" : "mgr-service-closed"))),
      td(formatNumber(s.waiting), true),
      td(s.waiting ? minutes(s.longest_wait_secs) : "", true),
      td(waitText(s.estimated_wait_secs), true),
      td(formatNumber(s.counters_serving), true),
      td(formatNumber(s.issued_today), true),
      td(h("button", { type: "button", class: "toggle-service", id: `toggle-${s.code}`, onclick: (e) => act(e.currentTarget, t(s.open ? "mgr-close-service" : "mgr-open-service"), () => conn.request("set_service_open", { service: s.code, open: !s.open })) },
        t(s.open ? "mgr-close-service" : "mgr-open-service")))));
    holder.replaceChildren(table("services-table",
      [t("mgr-col-service"), t("mgr-col-open"), t("mgr-col-waiting"), t("mgr-longest-wait"), t("mgr-col-estimate"), t("mgr-col-serving"), t("mgr-col-issued"), ""],
      rows, { numeric: [2, 3, 4, 5, 6] }));
  };
  onDash();
}

// ---------------------------------------------------------------------------------------
// Devices: pairing by code, the registered devices
// ---------------------------------------------------------------------------------------

function devicesTab() {
  const code = h("input", { id: "pair-code", class: "code-input", inputmode: "numeric", autocomplete: "off", maxlength: "6", pattern: "[0-9]{6}", required: true, dir: "ltr" });
  const name = h("input", { id: "pair-name", autocomplete: "off", required: true, dir: "ltr", pattern: "[a-z][a-z0-9._\\-]{1,31}" });
  const approve = h("button", { type: "submit", class: "primary", id: "pair-approve" }, t("mgr-pairing-approve"));
  const form = h("form", { class: "inline", id: "pair-form" },
    h("label", {}, t("mgr-pairing-code"), code),
    h("label", {}, t("mgr-pairing-name"), name),
    approve);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await act(approve, t("mgr-pairing-approve"), () => conn.request("approve_pairing", { code: code.value.trim(), name: name.value.trim() }));
    if (r) {
      toast(t("mgr-paired", { name: r.device.name }));
      code.value = "";
      name.value = "";
    }
  });
  const pending = h("div", { id: "pending" });
  const devices = h("div");
  main.replaceChildren(h("div", { class: "stack" },
    h("section", { class: "card" }, h("h2", {}, t("mgr-pairing-title")), h("p", { class: "muted" }, t("mgr-pairing-hint")), form,
      h("h2", {}, t("mgr-pending")), pending),
    h("section", { class: "card" }, h("h2", {}, t("mgr-devices")), devices)));
  onDash = () => {
    if (!dash) return;
    pending.replaceChildren(dash.pairings.length
      ? h("ul", { class: "pending" }, dash.pairings.map((p) => h("li", { dataset: { code: p.code } },
          t("mgr-pending-line", { code: p.code, kind: t(`role-${p.kind}`), name: p.name || "—", until: clockTime(p.expires_at) }))))
      : h("p", { class: "muted" }, t("mgr-pending-none")));
    devices.replaceChildren(table("devices", [t("mgr-col-name"), t("mgr-col-role"), t("mgr-col-online"), t("mgr-col-added"), ""],
      dash.devices.map((d) => h("tr", { dataset: { device: d.name } },
        td(h("span", { class: "ltr" }, d.name)),
        td(t(`role-${d.role}`)),
        td(h("span", { class: `badge ${d.online ? "on" : "off"}` }, t(d.online ? "mgr-yes" : "mgr-no"))),
        td(dateTime(d.created_at)),
        td(h("button", { type: "button", class: "danger", id: `revoke-${d.name}`, onclick: (e) => revoke(e.currentTarget, d.name) }, t("mgr-revoke")))))));
  };
  onDash();
}

async function revoke(button, name) {
  const ok = await ask({ title: t("mgr-revoke"), body: [h("p", {}, t("mgr-revoke-confirm", { name }))], confirmText: t("mgr-revoke"), danger: true });
  if (ok && await act(button, t("mgr-revoke"), () => conn.request("revoke_device", { name }))) toast(t("mgr-revoked", { name }));
}

// ---------------------------------------------------------------------------------------
// Staff accounts
// ---------------------------------------------------------------------------------------

function staffTab() {
  const username = h("input", { id: "new-username", required: true, dir: "ltr", autocomplete: "off", pattern: "[a-z][a-z0-9._\\-]{1,31}" });
  const display = h("input", { id: "new-display", required: true, maxlength: "80", autocomplete: "off" });
  const role = h("select", { id: "new-role" },
    h("option", { value: "clerk" }, t("role-clerk")), h("option", { value: "back_office" }, t("role-back_office")),
    h("option", { value: "manager" }, t("role-manager")));
  const create = h("button", { type: "submit", class: "primary", id: "create-user" }, t("mgr-staff-create"));
  const note = h("div", { id: "password-note" });
  const form = h("form", { class: "inline", id: "user-form" },
    h("label", {}, t("mgr-staff-username"), username),
    h("label", {}, t("mgr-staff-display"), display),
    h("label", {}, t("mgr-staff-role"), role),
    create);
  const list = h("div");
  const showPassword = (r) => note.replaceChildren(h("p", { class: "password-note", id: "new-password", dataset: { password: r.password } },
    t("mgr-staff-password", { username: r.username, password: r.password })));
  const reload = async () => {
    const r = await act(null, t("mgr-tab-staff"), () => conn.request("list_users"));
    if (!r) return;
    list.replaceChildren(table("users", [t("mgr-col-username"), t("mgr-col-name"), t("mgr-col-role"), t("mgr-col-active"), t("mgr-col-added"), ""],
      r.users.map((u) => h("tr", { dataset: { user: u.username } },
        td(h("span", { class: "ltr" }, u.username)),
        td(u.display_name),
        td(t(`role-${u.role}`)),
        td(h("span", { class: `badge ${u.active ? "on" : "off"}` }, t(u.active ? "mgr-yes" : "mgr-no")),
          u.locked_until ? h("span", { class: "badge off", id: `locked-${u.username}` }, " ", t("mgr-locked-until", { time: clockTime(u.locked_until) })) : null),
        td(dateTime(u.created_at)),
        td(u.username === me ? h("span", { class: "muted" }, t("mgr-you")) : h("span", {},
          h("button", { type: "button", id: `reset-${u.username}`, onclick: async (e) => {
            const b = e.currentTarget;
            if (!await ask({ title: t("mgr-reset-password"), body: [h("p", {}, t("mgr-reset-confirm", { username: u.username }))] })) return;
            const p = await act(b, t("mgr-reset-password"), () => conn.request("reset_password", { username: u.username }));
            if (p) showPassword(p);
          } }, t("mgr-reset-password")),
          " ",
          h("button", { type: "button", id: `active-${u.username}`, class: u.active ? "danger" : null, onclick: async (e) => {
            const b = e.currentTarget;
            if (u.active && !await ask({ title: t("mgr-disable"), body: [h("p", {}, t("mgr-disable-confirm", { username: u.username }))], confirmText: t("mgr-disable"), danger: true })) return;
            if (await act(b, t(u.active ? "mgr-disable" : "mgr-enable"), () => conn.request("set_user_active", { username: u.username, active: !u.active }))) reload();
          } }, t(u.active ? "mgr-disable" : "mgr-enable")),
          // A sign-in lock (issue 14) is lifted by enabling the account again.
          u.locked_until ? h("button", { type: "button", id: `unlock-${u.username}`, onclick: async (e) => {
            if (await act(e.currentTarget, t("mgr-unlock"), () => conn.request("set_user_active", { username: u.username, active: true }))) reload();
          } }, t("mgr-unlock")) : null))))));
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await act(create, t("mgr-staff-create"), () => conn.request("create_user", { username: username.value.trim(), display_name: display.value.trim(), role: role.value }));
    if (r) {
      showPassword(r);
      username.value = "";
      display.value = "";
      reload();
    }
  });
  main.replaceChildren(h("div", { class: "stack" },
    h("section", { class: "card" }, h("h2", {}, t("mgr-staff-new")), form, note),
    h("section", { class: "card" }, h("h2", {}, t("mgr-tab-staff")), list)));
  reload();
}

// ---------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------

const GROUPINGS = ["day", "hour", "service", "counter", "clerk"];
let reportForm = { from: null, to: null, by: "service" };

/** The center's day of an instant (its zone, not the browser's). */
function localDay(d) {
  return dayOf(d.toISOString());
}

function reportsTab() {
  const today = dash?.day || localDay(new Date());
  reportForm.from ??= today;
  reportForm.to ??= today;
  const from = h("input", { type: "date", id: "report-from", value: reportForm.from, required: true });
  const to = h("input", { type: "date", id: "report-to", value: reportForm.to, required: true });
  const by = h("select", { id: "report-by" }, GROUPINGS.map((g) => h("option", { value: g, selected: g === reportForm.by }, t(`report-by-${g}`))));
  const show = h("button", { type: "submit", class: "primary", id: "report-show" }, t("mgr-report-show"));
  const csv = h("button", { type: "button", id: "report-csv" }, t("mgr-report-csv"));
  const xlsx = h("button", { type: "button", id: "report-xlsx" }, t("mgr-report-xlsx"));
  const out = h("div", { id: "report" });
  const form = h("form", { class: "inline", id: "report-form" },
    h("label", {}, t("mgr-report-from"), from),
    h("label", {}, t("mgr-report-to"), to),
    h("label", {}, t("mgr-report-by"), by),
    show);
  let report = null;
  const draw = () => {
    if (!report) return;
    const g = by.value;
    const rows = report[`by_${g}`];
    const closing = closingHashes(report.closing);
    if (!report.total.tickets) {
      out.replaceChildren(h("p", { class: "muted" }, t("mgr-report-empty")), closing);
      return;
    }
    const mins = (s) => (s === undefined || s === null ? "" : decimal(s / 60));
    const name = (key, r) => (g === "service" ? serviceName(key) : g === "counter" ? counterName(Number(key)) : r.name ? `${r.name} (${key})` : key);
    const line = (key, r, cls) => h("tr", { class: cls, dataset: { key } },
      td(name(key, r)), td(formatNumber(r.tickets), true), td(formatNumber(r.served), true), td(formatNumber(r.no_shows), true),
      td(formatNumber(r.cancelled), true), td(formatNumber(r.transferred ?? 0), true), td(mins(r.wait_mean_secs), true), td(mins(r.wait_p90_secs), true),
      td(mins(r.service_mean_secs), true), td(mins(r.service_p90_secs), true));
    out.replaceChildren(table("report-table",
      [t(`report-by-${g}`), t("report-col-tickets"), t("report-col-served"), t("report-col-no_shows"), t("report-col-cancelled"),
        t("report-col-transferred"), t("report-col-wait_mean"), t("report-col-wait_p90"), t("report-col-service_mean"), t("report-col-service_p90")],
      [...rows.map((r) => line(r.key, r)), line(t("report-total"), report.total, "total")],
      { numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), closing);
  };
  const load = async () => {
    reportForm = { from: from.value, to: to.value, by: by.value };
    const r = await act(show, t("mgr-report-show"), () => conn.request("report", { from: from.value, to: to.value }));
    if (r) {
      report = r.report;
      draw();
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    load();
  });
  by.addEventListener("change", () => {
    reportForm.by = by.value;
    draw();
  });
  csv.addEventListener("click", () => download(csv, t("mgr-report-csv"), { from: from.value, to: to.value, format: "csv", by: by.value }));
  xlsx.addEventListener("click", () => download(xlsx, t("mgr-report-xlsx"), { from: from.value, to: to.value, format: "xlsx" }));
  main.replaceChildren(h("section", { class: "card stack" }, form, h("div", { class: "downloads" }, csv, xlsx), out));
  load();
}

/** Each day's closing hash (issue 14), as the server computed it: shown to be copied out. */
function closingHashes(days = []) {
  return h("section", { id: "closing" },
    h("h3", {}, t("mgr-closing-title")),
    h("p", { class: "muted" }, t("mgr-closing-note")),
    h("ul", { class: "closing" }, days.map((c) => h("li", { dataset: { day: c.day } },
      h("span", {}, c.day), " ",
      h("code", { dir: "ltr", class: "hash" }, c.hash), " ",
      h("span", { class: "muted" }, t("mgr-closing-upto", { seq: formatNumber(c.last_seq) })),
      // Today's value changes with every event until the day ends: not one to write down yet.
      c.provisional ? [" ", h("strong", { class: "provisional" }, t("mgr-closing-provisional"))] : []))));
}

/** Fetches the export with the session token in a header (never in the URL) and saves it. */
async function download(button, label, query) {
  await act(button, label, async () => {
    const params = new URLSearchParams({ ...query, lang: currentLang() });
    const r = await fetch(`/reports/export?${params}`, { headers: { Authorization: `Bearer ${sessionToken()}` } });
    if (!r.ok) {
      const err = new Error(await r.text());
      err.code = r.status === 400 ? "invalid_range" : r.status === 403 ? "forbidden" : "unauthenticated";
      throw err;
    }
    const name = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "")?.[1] || "report";
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
}

// ---------------------------------------------------------------------------------------
// Audit log
// ---------------------------------------------------------------------------------------

let auditQuery = { actor: "", kind: "", from: "", to: "", page: 0 };
/** The kinds a line of the log may have: the server sends them with every page. */
let auditKinds = [];

function auditTab() {
  const actor = h("input", { id: "audit-actor", dir: "ltr", value: auditQuery.actor, autocomplete: "off" });
  const kind = h("select", { id: "audit-kind" });
  const kindOptions = () => kind.replaceChildren(
    h("option", { value: "" }, t("mgr-audit-any")),
    auditKinds.map((k) => h("option", { value: k, selected: k === auditQuery.kind }, t(`audit-kind-${k}`))));
  kindOptions();
  const from = h("input", { type: "date", id: "audit-from", value: auditQuery.from });
  const to = h("input", { type: "date", id: "audit-to", value: auditQuery.to });
  const filter = h("button", { type: "submit", class: "primary", id: "audit-filter" }, t("mgr-audit-filter"));
  const form = h("form", { class: "inline", id: "audit-form" },
    h("label", {}, t("mgr-audit-actor"), actor),
    h("label", {}, t("mgr-audit-kind"), kind),
    h("label", {}, t("mgr-report-from"), from),
    h("label", {}, t("mgr-report-to"), to),
    filter);
  const out = h("div", { id: "audit" });
  const load = async () => {
    const q = { page: auditQuery.page, page_size: AUDIT_PAGE };
    for (const k of ["actor", "kind", "from", "to"]) if (auditQuery[k]) q[k] = auditQuery[k];
    const r = await act(filter, t("mgr-audit-filter"), () => conn.request("audit", q));
    if (!r) return;
    if (r.kinds.join() !== auditKinds.join()) {
      auditKinds = r.kinds;
      kindOptions();
    }
    const lang = currentLang();
    const first = r.page * r.page_size;
    const prev = h("button", { type: "button", id: "audit-prev", disabled: r.page === 0, onclick: () => { auditQuery.page -= 1; load(); } }, t("mgr-audit-prev"));
    const next = h("button", { type: "button", id: "audit-next", disabled: first + r.rows.length >= r.total, onclick: () => { auditQuery.page += 1; load(); } }, t("mgr-audit-next"));
    out.replaceChildren(
      r.rows.length
        ? table("audit-table", [t("mgr-col-when"), t("mgr-col-who"), t("mgr-col-what")],
            r.rows.map((row) => h("tr", { dataset: { kind: row.kind } },
              td(dateTime(row.at)),
              td(h("span", { class: "ltr" }, row.actor === "system" ? t("audit-actor-system") : row.actor)),
              td(row.text[lang] || row.text.en))))
        : h("p", { class: "muted" }, t("mgr-audit-none")),
      h("div", { class: "pager" }, prev,
        h("span", { id: "audit-range" }, t("mgr-audit-page", { from: formatNumber(r.total ? first + 1 : 0), to: formatNumber(first + r.rows.length), total: formatNumber(r.total) })),
        next));
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    auditQuery = { actor: actor.value.trim(), kind: kind.value, from: from.value, to: to.value, page: 0 };
    load();
  });
  main.replaceChildren(h("section", { class: "card stack" }, form, out));
  load();
}

conn.start();
