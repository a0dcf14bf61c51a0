// The national console: national → governorate → site, live. The service computes every
// figure (pages show, the server computes); this page signs in, follows the live stream of
// overviews for its scope, and renders them. Times are shown in the centers' zone (Cairo).

import { t, setLang, preferredLang, useFiles, onLangChange, currentLang } from "./i18n.js";
import { number, timeOf, date, pluralForm } from "./format.js";
import { h, mountHeader, setUser, showStatus, toast } from "./ui.js";

useFiles("national");
const ZONE = "Africa/Cairo";
const TOKEN_KEY = "tabour.national.session";
const main = document.getElementById("main");
let me = null;
let view = { governorate: null, site: null };
let overview = null;
let siteDetail = null;
let streamAbort = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const r = await fetch(path, {
    ...options,
    headers: { ...(options.headers || {}), Authorization: `Bearer ${token() || ""}`, "Content-Type": "application/json" },
  });
  if (r.status === 401) {
    signOut(false);
    throw new Error("not_signed_in");
  }
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    throw new Error(body.error || "storage_failure");
  }
  return r;
}

function showError(e) {
  toast(t(`nat-error-${e.message}`), "error");
}

// The centers' rule (the kiosk's and the board's): numbers in Arabic texts in Arabic-Indic
// digits, whatever digits the browser's Arabic locale defaults to.
const locale = () => (currentLang() === "ar" ? "ar-EG-u-nu-arab" : "en");
// Numbers, times and days by the one rule of every surface (format.js, docs/style.md), in
// Cairo's time: the national console is read in Egypt.
const fmtNumber = (n) => number(n, { timezone: ZONE });
const fmtTime = (iso) => timeOf(iso, { timezone: ZONE });
/** A counted message: $count written in the page's digits, $form its CLDR plural category. */
const counted = (id, n, extra = {}) =>
  t(id, { ...extra, count: fmtNumber(n), form: pluralForm(n) });
const minutes = (secs) => (secs === null || secs === undefined ? "—" : counted("nat-minutes", Math.round(secs / 60)));
const money = (piasters) => t("nat-egp", { amount: new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(piasters / 100) });
const name = (o) => (currentLang() === "ar" ? o.name_ar : o.name_en) || o.code;

function govName(code) {
  const g = overview?.governorate_names?.[code];
  return g ? (currentLang() === "ar" ? g[0] : g[1]) : code;
}

function siteByCode(code) {
  return overview?.sites.find((s) => s.code === code);
}

function offlineText(since, waiting) {
  return since ? counted("nat-offline-since", waiting, { time: fmtTime(since) }) : t("nat-never-heard");
}

function statusCell(s) {
  if (s.online) return h("span", { class: "status" }, t("nat-online"));
  return h("span", { class: "status offline" }, offlineText(s.last_heard_at, s.waiting));
}

const fmtDay = (day) => date(day);

function ago(iso) {
  if (!iso) return "—";
  const m = Math.max(0, Math.floor((new Date(overview.now) - new Date(iso)) / 60000));
  // "just now" in either language (English has no plural category for zero).
  return m === 0 ? t("nat-ago", { count: fmtNumber(0), form: "zero" }) : counted("nat-ago", m);
}

function card(labelId, value) {
  return h("div", { class: "card" }, h("span", { class: "cap" }, t(labelId)), h("span", { class: "value" }, value));
}

function table(head, rows) {
  return h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, head.map(([id, num]) => h("th", { class: num ? "num" : null }, t(id))))),
    h("tbody", {}, rows));
}

function td(v, num = false, dir = null) {
  return h("td", { class: num ? "num" : null, dir }, v);
}

function alertText(a) {
  const s = siteByCode(a.site);
  const who = s ? name(s) : a.site;
  if (a.kind === "long_wait") return t("nat-alert-long-wait", { site: who, duration: minutes(a.minutes * 60) });
  if (a.kind === "silent") return t("nat-alert-silent", { site: who, duration: minutes(a.minutes * 60) });
  if (a.kind === "closing_mismatch") return t("nat-alert-closing-mismatch", { site: who, day: fmtDay(a.day) });
  return t("nat-alert-offline", { site: who, status: offlineText(a.since, a.waiting) });
}

function go(next) {
  view = { governorate: null, site: null, ...next };
  siteDetail = null;
  report.result = null;
  // The figures of the scope left behind are not this scope's: none until the stream answers.
  overview = null;
  // The place in the drill-down survives a reload (#governorate/site).
  const hash = [view.governorate, view.site].filter(Boolean).map(encodeURIComponent).join("/");
  history.replaceState(null, "", hash ? `#${hash}` : location.pathname);
  follow();
  render();
}

/** The view a reload asks for (`#cai/cai-01`), within what the viewer may see. */
function viewFromHash(who) {
  const [governorate, site] = location.hash.slice(1).split("/").map(decodeURIComponent);
  const mine = who.governorate;
  if (!governorate || (mine && governorate !== mine)) return { governorate: mine || null };
  return { governorate, site: site || null };
}

function crumbs() {
  const parts = [];
  if (!me.governorate) parts.push(h("button", { type: "button", id: "crumb-nation", onclick: () => go({}) }, t("nat-nation")));
  const gov = view.governorate || me.governorate;
  if (gov && (view.governorate || view.site)) {
    if (parts.length) parts.push(h("span", { class: "sep" }, "›"));
    parts.push(h("button", { type: "button", id: "crumb-gov", onclick: () => go({ governorate: gov }) }, govName(gov)));
  }
  if (view.site) {
    parts.push(h("span", { class: "sep" }, "›"));
    parts.push(h("span", {}, name(siteByCode(view.site) || { code: view.site })));
  }
  return h("nav", { class: "crumbs" }, parts);
}

function headline(sites) {
  const sum = (f) => sites.reduce((a, s) => a + f(s), 0);
  return h("div", { class: "cards" },
    card("nat-waiting-now", fmtNumber(sum((s) => s.waiting))),
    card("nat-served-today", fmtNumber(sum((s) => s.served_today))),
    card("nat-revenue-today", money(sum((s) => s.revenue_piasters))),
    card("nat-sites-online", `${fmtNumber(sites.filter((s) => s.online).length)} / ${fmtNumber(sites.length)}`),
    card("nat-alerts", fmtNumber(overview.alerts.length)));
}

function governoratesPanel() {
  const rows = overview.governorates.map((g) =>
    h("tr", { class: "link", dataset: { gov: g.code }, onclick: () => go({ governorate: g.code }) },
      td(govName(g.code)), td(`${fmtNumber(g.online)} / ${fmtNumber(g.sites)}`, true), td(fmtNumber(g.waiting), true),
      td(fmtNumber(g.served_today), true), td(minutes(g.wait_mean_secs), true), td(money(g.revenue_piasters), true),
      td(fmtNumber(g.alerts), true)));
  return h("section", { class: "panel", id: "governorates" }, h("h2", {}, t("nat-governorates")),
    table([["nat-col-name"], ["nat-col-sites", 1], ["nat-col-waiting", 1], ["nat-col-served", 1], ["nat-col-wait-mean", 1], ["nat-col-revenue", 1], ["nat-col-alerts", 1]], rows));
}

function sitesPanel(sites) {
  const rows = sites.map((s) =>
    h("tr", { class: "link", dataset: { site: s.code }, onclick: () => go({ governorate: s.governorate, site: s.code }) },
      td(name(s)), td(t(`nat-kind-${s.kind}`)), td(statusCell(s)), td(fmtNumber(s.waiting), true),
      td(minutes(s.longest_wait_secs), true), td(fmtNumber(s.counters_open), true), td(fmtNumber(s.served_today), true),
      td(minutes(s.wait_mean_secs), true), td(minutes(s.service_mean_secs), true), td(money(s.revenue_piasters), true),
      td(ago(s.last_event_at))));
  return h("section", { class: "panel", id: "sites" }, h("h2", {}, t("nat-sites")),
    table([["nat-col-name"], ["nat-col-kind"], ["nat-col-status"], ["nat-col-waiting", 1], ["nat-col-longest", 1], ["nat-col-counters", 1],
      ["nat-col-served", 1], ["nat-col-wait-mean", 1], ["nat-col-service-mean", 1], ["nat-col-revenue", 1], ["nat-col-last-event"]], rows));
}

function sidePanels() {
  const alerts = overview.alerts.length
    ? h("ul", { class: "alerts", id: "alerts" }, overview.alerts.slice(0, 30).map((a) => h("li", { class: a.kind }, alertText(a))))
    : h("p", { class: "muted" }, t("nat-no-alerts"));
  const ranking = (id, codes, value) => h("section", { class: "panel", id }, h("h2", {}, t(id)),
    h("ol", { class: "ranking" }, codes.map((c) => {
      const s = siteByCode(c);
      return h("li", {}, h("button", { type: "button", onclick: () => go({ governorate: s.governorate, site: c }) }, name(s)), " — ", value(s));
    })));
  return h("div", {},
    h("section", { class: "panel", id: "alerts-panel" }, h("h2", {}, t("nat-alerts")), alerts),
    ranking("nat-slowest", overview.slowest, (s) => minutes(s.wait_mean_secs)),
    ranking("nat-busiest", overview.busiest, (s) => fmtNumber(s.served_today)));
}

/** An hour of the day ("9" or "09") as the page writes a time: 09:00. */
function hourName(key) {
  const n = Number(key);
  if (!Number.isInteger(n)) return key;
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(Date.UTC(2000, 0, 1, n)));
}

function detailTable(titleId, rows, keyName) {
  return h("section", { class: "panel" }, h("h2", {}, t(titleId)),
    table([["nat-col-name"], ["nat-col-tickets", 1], ["nat-col-served", 1], ["nat-col-no-shows", 1], ["nat-col-wait-mean", 1], ["nat-col-service-mean", 1], ["nat-col-revenue", 1]],
      rows.map((r) => h("tr", {}, td(keyName(r), false, "auto"), td(fmtNumber(r.tickets), true), td(fmtNumber(r.served), true), td(fmtNumber(r.no_shows), true),
        td(minutes(r.wait_mean_secs), true), td(minutes(r.service_mean_secs), true), td(money(r.revenue_piasters), true)))));
}

function sitePanels() {
  const s = siteByCode(view.site);
  if (!s) return [];
  const out = [headline([s]), h("section", { class: "panel", id: "site-live" }, h("h2", {}, t("nat-site-today")),
    table([["nat-col-status"], ["nat-col-waiting", 1], ["nat-col-longest", 1], ["nat-col-counters", 1], ["nat-col-last-event"]],
      [h("tr", {}, td(statusCell(s)), td(fmtNumber(s.waiting), true), td(minutes(s.longest_wait_secs), true), td(fmtNumber(s.counters_open), true), td(ago(s.last_event_at)))]))];
  if (siteDetail) {
    out.push(detailTable("nat-by-service", siteDetail.by_service, (r) => (currentLang() === "ar" ? r.name_ar : r.name_en) || r.key));
    out.push(detailTable("nat-by-clerk", siteDetail.by_clerk, (r) => r.key));
    out.push(detailTable("nat-by-hour", siteDetail.by_hour, (r) => hourName(r.key)));
    out.push(closingsPanel(siteDetail.closings || []));
  }
  return out;
}

function closingsPanel(closings) {
  const body = closings.length
    ? table([["nat-closing-day"], ["nat-closing-verdict"], ["nat-closing-hash"]],
      closings.map((c) => h("tr", { class: `closing ${c.verdict}`, dataset: { day: c.day } },
        td(fmtDay(c.day)), td(h("span", { class: `verdict ${c.verdict}` }, t(`nat-closing-${c.verdict}`))),
        td(h("code", { dir: "ltr", title: c.hash }, c.hash.slice(0, 16))))))
    : h("p", { class: "muted" }, t("nat-no-closings"));
  return h("section", { class: "panel", id: "closings" }, h("h2", {}, t("nat-closings")), body);
}

/** What the reports form holds, and the table last shown: kept across re-renders (the live
 *  stream redraws the page after each commit). */
const report = { from: null, to: null, by: null, result: null };

function reportTable() {
  const r = report.result;
  if (!r) return h("div", { id: "report-table" });
  return h("div", { id: "report-table" }, h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, r.header.map((x) => h("th", {}, x)))),
    h("tbody", {}, r.rows.map((row) => h("tr", {}, td(row.key, false, "ltr"), td(row.name),
      row.figures.map((f) => td(f === null ? "—" : fmtNumber(f), true)))))));
}

function reportsPanel() {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());
  const groups = view.site ? ["service", "clerk", "day", "hour"] : ["center", "governorate", "service", "day", "hour"];
  if (!groups.includes(report.by)) report.by = groups[0];
  const keep = (key) => (e) => { report[key] = e.target.value; };
  const from = h("input", { type: "date", id: "report-from", value: report.from || today, dir: "ltr", onchange: keep("from") });
  const to = h("input", { type: "date", id: "report-to", value: report.to || today, dir: "ltr", onchange: keep("to") });
  const by = h("select", { id: "report-by", onchange: keep("by") },
    groups.map((g) => h("option", { value: g, selected: g === report.by }, t(`nat-group-${g}`))));
  const query = (format) => {
    const p = new URLSearchParams({ from: from.value, to: to.value, by: by.value, format, lang: currentLang() });
    const gov = view.governorate || me.governorate;
    if (gov) p.set("governorate", gov);
    if (view.site) p.set("center", view.site);
    return `/api/report?${p}`;
  };
  const show = async () => {
    try {
      report.result = await (await api(query("json"))).json();
      document.getElementById("report-table")?.replaceWith(reportTable());
    } catch (e) {
      showError(e);
    }
  };
  const download = async (format) => {
    try {
      const r = await api(query(format));
      const blob = await r.blob();
      const a = h("a", { href: URL.createObjectURL(blob), download: `tabour-national-${by.value}-${from.value}_${to.value}.${format}` });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      showError(e);
    }
  };
  return h("section", { class: "panel", id: "reports" }, h("h2", {}, t("nat-reports")),
    h("form", { class: "report", onsubmit: (e) => { e.preventDefault(); show(); } },
      h("label", {}, t("nat-from"), from), h("label", {}, t("nat-to"), to), h("label", {}, t("nat-by"), by),
      h("button", { type: "submit", class: "primary", id: "report-show" }, t("nat-show")),
      h("button", { type: "button", id: "report-csv", onclick: () => download("csv") }, t("nat-csv")),
      h("button", { type: "button", id: "report-xlsx", onclick: () => download("xlsx") }, t("nat-xlsx"))),
    reportTable());
}

function render() {
  if (!me) return renderSignIn();
  if (!overview) return main.replaceChildren(crumbs(), h("p", { class: "muted", id: "loading" }, t("nat-loading")));
  const parts = [crumbs()];
  if (view.site) {
    parts.push(...sitePanels());
  } else {
    parts.push(headline(overview.sites));
    if (view.governorate || me.governorate) {
      // The sites' eleven columns take the page's width; alerts and rankings go beneath.
      parts.push(sitesPanel(overview.sites), h("div", { class: "grid3" }, ...sidePanels().children));
    } else {
      parts.push(h("div", { class: "grid2" }, governoratesPanel(), sidePanels()));
    }
  }
  parts.push(reportsPanel());
  if (overview.committed_at) parts.push(h("p", { class: "muted", id: "as-of" }, t("nat-last-commit", { time: fmtTime(overview.committed_at) })));
  main.replaceChildren(...parts);
}

/** Follows the live stream of overviews for the current scope (reconnecting with backoff). */
async function follow() {
  streamAbort?.abort();
  const abort = new AbortController();
  streamAbort = abort;
  let delay = 1000;
  while (!abort.signal.aborted && me) {
    try {
      const p = new URLSearchParams();
      const gov = view.governorate || me.governorate;
      if (gov) p.set("governorate", gov);
      if (view.site) p.set("center", view.site);
      const r = await fetch(`/api/live?${p}`, { headers: { Authorization: `Bearer ${token()}` }, signal: abort.signal });
      if (r.status === 401) return signOut(false);
      if (!r.ok) throw new Error("storage_failure");
      showStatus({ state: "online" });
      delay = 1000;
      const reader = r.body.getReader();
      const text = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += text.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (chunk.startsWith("data: ")) await received(JSON.parse(chunk.slice(6)));
        }
      }
    } catch (e) {
      if (abort.signal.aborted) return;
    }
    showStatus({ state: "offline", retryInMs: delay });
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 15000);
  }
}

async function received(o) {
  if (o.error) return;
  overview = o;
  if (view.site) {
    try {
      siteDetail = await (await api(`/api/site/${encodeURIComponent(view.site)}`)).json();
    } catch (e) {
      showError(e);
    }
  }
  render();
}

function renderSignIn() {
  const user = h("input", { id: "username", autocomplete: "username", dir: "ltr", required: true });
  const pass = h("input", { id: "password", type: "password", autocomplete: "current-password", dir: "ltr", required: true });
  main.replaceChildren(h("form", { class: "signin", id: "signin", onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: user.value, password: pass.value }) });
      const body = await r.json();
      if (!r.ok) throw new Error(body.error || "bad_credentials");
      sessionStorage.setItem(TOKEN_KEY, body.token);
      signedIn(body);
    } catch (err) {
      showError(err);
    }
  } }, h("h2", {}, t("nat-signin-title")), h("label", {}, t("nat-username"), user), h("label", {}, t("nat-password"), pass),
    h("button", { type: "submit", class: "primary", id: "signin-submit" }, t("nat-signin"))));
}

function signedIn(who) {
  me = who;
  setUser(who.display_name, () => signOut(true));
  go(viewFromHash(who));
}

function signOut(tellServer) {
  if (tellServer) fetch("/api/logout", { method: "POST", headers: { Authorization: `Bearer ${token()}` } });
  sessionStorage.removeItem(TOKEN_KEY);
  streamAbort?.abort();
  me = null;
  overview = null;
  history.replaceState(null, "", location.pathname);
  setUser(null, null);
  render();
}

async function start() {
  await setLang(preferredLang());
  mountHeader(document.getElementById("header"), { titleId: "nat-title" });
  onLangChange(render);
  if (token()) {
    try {
      signedIn(await (await api("/api/me")).json());
      return;
    } catch {
      /* signed out above */
    }
  }
  render();
}

start();
