// The back-office console (/office): the requests handed in at the windows, overdue first,
// by state, service and age; a request's history and the states it may become (the server
// says which: `next`); the pickup window finds a request by its reference and marks it
// delivered. Everything shown comes from list_requests / find_request; changes are
// set_request_state commands.

import { Connection } from "./conn.js";
import { dateTimeOf } from "./format.js";
import { setLang, preferredLang, t, count, names, onLangChange, formatNumber, currentLang } from "./i18n.js";
import { h, act, ask, toast, mountHeader, showStatus, setCenter, setUser } from "./ui.js";
import { showSignIn, signedOut } from "./signin.js";

const main = document.getElementById("main");
let me = null;
let list = null;
let today = null;
const filter = { state: "open", service: "", age: "" };

await setLang(preferredLang());
mountHeader(document.getElementById("header"), { titleId: "office-title" });
const retitle = () => { document.title = `${t("app-name")} — ${t("office-title")}`; };
onLangChange(() => { retitle(); if (me) draw(); });
retitle();

const conn = new Connection({
  client: "web-office",
  onStatus: showStatus,
  onSignedOut: (code) => { me = null; signedOut(main, conn, code, signedIn); },
  onReady: async (welcome) => {
    setCenter(welcome.center);
    if (welcome.role === "back_office" || welcome.role === "manager") await signedIn({ username: welcome.user });
    else if (!me) showSignIn(main, conn, signedIn);
    else signedOut(main, conn, "session_expired", signedIn);
  },
});

async function signedIn(session) {
  me = session.username;
  setUser(session.display_name || session.username, async () => {
    await conn.logout().catch(() => {});
    me = null;
    signedOut(main, conn, null, signedIn);
  });
  await reload();
}

async function reload() {
  const r = await act(null, t("office-title"), () => conn.request("list_requests"));
  if (r) {
    list = r.requests;
    today = r.today;
    draw();
  }
}

const STATES = ["received", "under_review", "needs_documents", "ready_for_pickup", "delivered", "rejected"];
const FINAL = new Set(["delivered", "rejected"]);

function stateBadge(s) {
  return h("span", { class: `badge rq-${s}` }, t(`request-state-${s}`));
}

function localTime(iso) {
  return dateTimeOf(iso);
}

function shown(r) {
  const s = r.state.state;
  if (filter.state === "open" && FINAL.has(s)) return false;
  if (filter.state === "overdue" && !r.overdue) return false;
  if (!["open", "overdue", "all"].includes(filter.state) && s !== filter.state) return false;
  if (filter.service && r.service !== filter.service) return false;
  if (filter.age === "week" && r.age_days > 7) return false;
  if (filter.age === "older" && r.age_days <= 7) return false;
  return true;
}

function select(id, value, options, onchange) {
  const el = h("select", { id, onchange: (e) => onchange(e.target.value) },
    options.map(([v, l]) => h("option", { value: v, selected: v === value }, l)));
  return el;
}

function draw() {
  if (!list) return;
  const services = [...new Map(list.map((r) => [r.service, r.service_name])).entries()];
  const rows = list.filter(shown);
  const overdue = list.filter((r) => r.overdue).length;
  const counts = STATES.map((s) => [s, list.filter((r) => r.state.state === s).length]);
  const find = h("input", { id: "find-reference", name: "reference", dir: "ltr", autocomplete: "off", placeholder: "HEL-26-000000", required: true });
  const findForm = h("form", { class: "card find", id: "find" },
    h("label", { for: "find-reference" }, t("office-find")), find,
    h("button", { type: "submit", class: "primary", id: "find-submit" }, t("office-find-submit")));
  findForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const r = await act(e.submitter, t("office-find-submit"), () => conn.request("find_request", { reference: find.value }));
    if (r) detail(r.request);
  });
  main.replaceChildren(
    findForm,
    h("section", { class: "card summary", id: "summary" },
      h("div", { class: "overdue-count" + (overdue ? " late" : "") }, t("office-overdue-count", { count: formatNumber(overdue) })),
      h("ul", { class: "counts" }, counts.map(([s, n]) => h("li", {}, stateBadge(s), " ", formatNumber(n))))),
    h("section", { class: "card", id: "requests" },
      h("div", { class: "filters" },
        h("label", { for: "f-state" }, t("office-filter-state")),
        select("f-state", filter.state, [["open", t("office-filter-open")], ["overdue", t("office-filter-overdue")], ["all", t("office-filter-all")],
          ...STATES.map((s) => [s, t(`request-state-${s}`)])], (v) => { filter.state = v; draw(); }),
        h("label", { for: "f-service" }, t("office-filter-service")),
        select("f-service", filter.service, [["", t("office-filter-all")], ...services.map(([c, n]) => [c, names(n)])], (v) => { filter.service = v; draw(); }),
        h("label", { for: "f-age" }, t("office-filter-age")),
        select("f-age", filter.age, [["", t("office-filter-all")], ["week", t("office-age-week")], ["older", t("office-age-older")]], (v) => { filter.age = v; draw(); }),
        h("button", { type: "button", id: "refresh", onclick: () => reload() }, t("office-refresh"))),
      rows.length === 0
        ? h("p", { class: "empty", id: "no-requests" }, t("office-none"))
        : h("table", { class: "requests" },
            h("thead", {}, h("tr", {}, ["office-col-reference", "office-col-service", "office-col-state", "office-col-age", "office-col-expected", "office-col-changed"].map((c) => h("th", {}, t(c))))),
            h("tbody", {}, rows.map((r) => h("tr", { class: r.overdue ? "overdue" : "", dataset: { reference: r.reference } },
              h("td", { dir: "ltr" }, h("button", { type: "button", class: "link ref", onclick: () => detail(r) }, r.reference)),
              h("td", {}, names(r.service_name)),
              h("td", {}, stateBadge(r.state.state), r.overdue ? h("span", { class: "badge late" }, t("office-overdue")) : null),
              h("td", {}, count("office-age-days", r.age_days)),
              h("td", { dir: "ltr" }, r.expected_ready),
              h("td", {}, localTime(r.history[r.history.length - 1].at))))))),
  );
}

function detail(r) {
  const history = h("ol", { class: "history", id: "history" }, r.history.map((c) => h("li", {},
    h("time", {}, localTime(c.at)), " ", stateBadge(c.state.state), " ", h("span", { class: "by" }, c.by),
    c.state.documents ? h("div", { class: "docs" }, c.state.documents.join(currentLang() === "ar" ? "، " : ", ")) : null,
    c.state.reason ? h("div", { class: "reason" }, c.state.reason) : null,
    c.note ? h("div", { class: "note" }, c.note) : null)));
  const actions = h("div", { class: "actions", id: "actions" }, r.next.map((s) =>
    h("button", { type: "button", class: s === "delivered" || s === "ready_for_pickup" ? "primary" : s === "rejected" ? "danger" : "", id: `to-${s}`,
      onclick: (e) => change(e.currentTarget, r, s) }, t(`office-to-${s}`))));
  const body = h("div", { class: "detail" },
    h("p", {}, names(r.service_name), " · ", t("office-ticket", { label: r.ticket_label })),
    h("p", {}, stateBadge(r.state.state), r.overdue ? h("span", { class: "badge late" }, t("office-overdue")) : null, " ", t("office-expected", { date: r.expected_ready })),
    history,
    r.next.length ? actions : h("p", { class: "final" }, t("office-final")));
  const dlg = h("dialog", { class: "dialog request-detail", id: "detail" },
    h("h2", { dir: "ltr" }, r.reference), body,
    h("div", { class: "dialog-buttons" }, h("button", { type: "button", id: "detail-close", onclick: () => dlg.close() }, t("office-close"))));
  dlg.addEventListener("close", () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}

async function change(btn, r, next) {
  const fields = [];
  if (next === "needs_documents") {
    fields.push(h("label", { for: "documents" }, t("office-documents")),
      h("textarea", { name: "documents", id: "documents", rows: "4", required: true, dir: "auto" }),
      h("p", { class: "hint" }, t("office-documents-hint")));
  }
  if (next === "rejected") {
    fields.push(h("label", { for: "reason" }, t("office-reason")),
      h("input", { name: "reason", id: "reason", required: true, maxlength: "200", dir: "auto" }));
  }
  fields.push(h("label", { for: "note" }, t("office-note")), h("input", { name: "note", id: "note", maxlength: "200", dir: "auto" }));
  const data = await ask({
    title: t("office-change-title", { reference: r.reference, state: t(`request-state-${next}`) }),
    body: fields,
    confirmText: t(`office-to-${next}`),
    danger: next === "rejected",
  });
  if (!data) return;
  const state = { state: next };
  if (next === "needs_documents") state.documents = String(data.get("documents")).split("\n").map((d) => d.trim()).filter(Boolean);
  if (next === "rejected") state.reason = String(data.get("reason") || "");
  const done = await act(btn, t(`office-to-${next}`), () => conn.request("set_request_state", { reference: r.reference, state, note: String(data.get("note") || "") }));
  if (done) {
    document.getElementById("detail")?.close();
    toast(t("office-changed", { reference: r.reference, state: t(`request-state-${next}`) }));
    await reload();
  }
}

conn.start();
