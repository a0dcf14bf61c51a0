// The clerk's console (/clerk). Everything shown comes from the server's desk view
// (watch_desk → view_update): the counter, the ticket at it, the waiting list in the order
// call_next takes it, parked tickets, the clerk's figures today. Buttons send the protocol's
// commands; the view that follows shows their effect.

import { Connection } from "./conn.js";
import { date } from "./format.js";
import { setLang, preferredLang, currentLang, t, count, names, minutes, onLangChange, formatNumber, errorText } from "./i18n.js";
import { h, act, ask, toast, mountHeader, showStatus, setCenter, setUser } from "./ui.js";
import { showSignIn, signedOut } from "./signin.js";

const CALL_KEY = "F2";
const main = document.getElementById("main");
let desk = null;
let me = null;
// Whether the center sends text messages (`welcome`'s `sms`): the phone button shows only then.
let sms = false;
/** Actions in flight, by name: a second press while one runs is ignored, even after a redraw. */
const busy = new Set();

await setLang(preferredLang());
mountHeader(document.getElementById("header"), { titleId: "clerk-title" });
onLangChange(() => {
  document.title = `${t("app-name")} — ${t("clerk-title")}`;
  if (me) draw();
});
document.title = `${t("app-name")} — ${t("clerk-title")}`;

const conn = new Connection({
  client: "web-clerk",
  onStatus: showStatus,
  onSignedOut: (code) => {
    me = null;
    desk = null;
    signedOut(main, conn, code, signedIn);
  },
  onFrame: (f) => {
    if (f.type === "view_update" && f.view.view === "desk" && me) {
      desk = f.view;
      draw();
    }
  },
  onReady: async (welcome) => {
    setCenter(welcome.center);
    sms = Boolean(welcome.sms);
    if (welcome.role === "clerk" || welcome.role === "manager") await signedIn({ username: welcome.user });
    else if (!me) showSignIn(main, conn, signedIn);
    else signedOut(main, conn, "session_expired", signedIn);
  },
});

async function signedIn(session) {
  me = session.username;
  setUser(session.display_name || session.username, async () => {
    await conn.logout().catch(() => {});
    me = null;
    desk = null;
    signedOut(main, conn, null, signedIn);
  });
  const r = await act(null, t("clerk-title"), () => conn.request("watch_desk"));
  if (r) {
    desk = r.view;
    draw();
  }
}

/** Runs a command once at a time per action name, showing errors; resolves with the reply. */
async function run(name, label, button, fields = {}) {
  if (busy.has(name)) return undefined;
  busy.add(name);
  try {
    return await act(button, label, () => conn.request(name, fields));
  } finally {
    busy.delete(name);
  }
}

function button(id, label, onclick, { cls = "", disabled = false, kbd = null } = {}) {
  return h("button", { type: "button", id, class: cls, disabled, "aria-busy": busy.has(id) ? "true" : null, onclick },
    h("span", {}, label), kbd ? h("kbd", { title: t("clerk-shortcut", { key: kbd }) }, kbd) : null);
}

function priorityBadge(p) {
  return p && p !== "normal" ? h("span", { class: "badge prio" }, t(`priority-${p}`)) : null;
}

function flags(tk) {
  return [
    tk.front ? h("span", { class: "badge flag" }, t("clerk-front")) : null,
    tk.reserved ? h("span", { class: "badge flag" }, t("clerk-reserved")) : null,
    !tk.reserved && tk.transfers > 0 ? h("span", { class: "badge flag" }, t("clerk-transferred")) : null,
  ];
}

function draw() {
  if (!desk) {
    main.replaceChildren();
    return;
  }
  main.replaceChildren(desk.counter ? deskView(desk.counter) : chooser());
}

function chooser() {
  return h("section", { class: "choose", id: "choose" },
    h("h1", {}, t("clerk-choose-counter")),
    h("p", {}, t("clerk-choose-hint")),
    h("div", { class: "counter-grid" }, desk.counters.map((c) => {
      const taken = c.state !== "closed";
      return h("button", {
        type: "button", class: "counter-card", dataset: { counter: String(c.id) }, disabled: taken,
        onclick: (e) => run("open_counter", t("clerk-open"), e.currentTarget, { counter: c.id }),
      },
      h("span", { class: "name" }, names(c.name)),
      h("span", { class: "sub" }, taken ? t("clerk-counter-taken", { clerk: c.clerk || "" }) : t("counter-state-closed")));
    })));
}

function deskView(c) {
  const tk = c.ticket;
  const calling = c.state === "calling";
  const atCounter = !!tk;
  const paused = c.state === "paused";
  const current = h("section", { class: "card current", id: "current" },
    h("h2", {}, t("clerk-current")),
    tk
      ? h("div", { class: "ticket-line" },
          h("span", { class: "label", id: "current-label" }, tk.label),
          h("div", { class: "meta" },
            h("div", {}, names(tk.service_name), " ", priorityBadge(tk.priority), ...flags(tk)),
            h("div", {}, h("span", { class: `badge state-${c.state}` }, t(`ticket-state-${tk.state}`)), " ",
              t("clerk-at-counter-for", { time: minutes(tk.for_secs) }), tk.recalls ? ` · ${count("clerk-recalls", tk.recalls)}` : "")))
      : h("p", { class: "empty", id: "no-ticket" }, t("clerk-no-ticket")),
    h("div", { class: "actions" },
      button("recall", t("clerk-recall"), (e) => run("recall", t("clerk-recall"), e.currentTarget, { counter: c.id }), { disabled: !calling }),
      button("no-show", t("clerk-no-show"), (e) => run("no_show", t("clerk-no-show"), e.currentTarget, { counter: c.id }), { disabled: !calling }),
      button("start", t("clerk-start"), (e) => run("start_serving", t("clerk-start"), e.currentTarget, { counter: c.id }), { disabled: !calling, cls: "primary" }),
      button("finish", t("clerk-finish"), (e) => finish(e.currentTarget, c), { disabled: !atCounter, cls: "primary" }),
      button("transfer", t("clerk-transfer"), (e) => transfer(e.currentTarget, c), { disabled: !atCounter }),
      button("park", t("clerk-park"), (e) => park(e.currentTarget, c), { disabled: !atCounter }),
      sms ? button("phone", t("clerk-phone"), (e) => phone(e.currentTarget, c), { disabled: !atCounter }) : null,
    ));
  // Nothing waiting for this counter: Call next would only answer queue_empty (the list below
  // says nobody waits); the desk view refreshes when a ticket arrives.
  const canCall = c.state === "idle" && c.waiting_total > 0;
  const callNext = button("call-next", t("clerk-call-next"), (e) => callNextNow(e.currentTarget), { cls: "primary call-next", disabled: !canCall, kbd: CALL_KEY });
  const tools = h("div", { class: "counter-tools" },
    paused
      ? button("resume", t("clerk-resume"), (e) => run("resume_counter", t("clerk-resume"), e.currentTarget, { counter: c.id }), { cls: "primary" })
      : button("pause", t("clerk-pause"), (e) => run("pause_counter", t("clerk-pause"), e.currentTarget, { counter: c.id }), { disabled: c.state !== "idle" }),
    button("close-counter", t("clerk-close-counter"), (e) => closeCounter(e.currentTarget, c), { disabled: atCounter || c.parked.length > 0 }),
    button("pickup", t("clerk-pickup"), (e) => pickup(e.currentTarget)));
  const today = desk.today;
  const figures = h("section", { class: "card today", id: "today" },
    h("h2", {}, t("clerk-today-title")),
    h("div", {}, h("div", { class: "k" }, t("clerk-today-served")), h("div", { class: "v", id: "served" }, formatNumber(today.served))),
    h("div", {}, h("div", { class: "k" }, t("clerk-today-avg")), h("div", { class: "v", id: "avg" }, today.service_mean_secs != null ? minutes(today.service_mean_secs) : t("clerk-today-none"))),
    h("div", {}, h("div", { class: "k" }, t("clerk-today-no-shows")), h("div", { class: "v", id: "no-shows" }, formatNumber(today.no_shows))));
  return h("div", { class: "desk" },
    h("div", { class: "col" },
      h("div", { class: "counter-bar" }, h("h1", { id: "counter-name" }, names(c.name)), h("span", { class: `badge state-${c.state}`, id: "counter-state" }, t(`counter-state-${c.state}`)), tools),
      paused ? h("p", { class: "paused-note" }, t("clerk-paused-note")) : null,
      callNext,
      current,
      parkedList(c)),
    h("div", { class: "col side" },
      figures,
      waitingList(c)));
}


function waitingList(c) {
  const more = c.waiting_total - c.waiting.length;
  return h("section", { class: "card", id: "waiting" },
    h("h2", {}, h("span", {}, t("clerk-waiting-title")), h("span", { id: "waiting-count" }, count("waiting-count", c.waiting_total))),
    c.waiting.length === 0
      ? h("p", { class: "queue-empty" }, t("clerk-waiting-empty"))
      : h("ol", { class: "queue" }, c.waiting.map((tk) => h("li", { dataset: { ticketId: String(tk.id) } },
          h("span", { class: "label" }, tk.label),
          h("span", { class: "info" },
            h("span", { class: "svc" }, names(tk.service_name)),
            h("span", { class: "sub" }, t("clerk-waited", { time: minutes(tk.for_secs) }), priorityBadge(tk.priority), ...flags(tk))),
          h("button", { type: "button", class: "call-this", disabled: c.state !== "idle", onclick: (e) => callOutOfOrder(e.currentTarget, c, tk) }, t("clerk-call-this"))))),
    more > 0 ? h("p", { class: "more" }, count("clerk-waiting-more", more)) : null);
}

function parkedList(c) {
  return h("section", { class: "card", id: "parked" },
    h("h2", {}, t("clerk-parked-title")),
    c.parked.length === 0
      ? h("p", { class: "queue-empty" }, t("clerk-parked-empty"))
      : h("ol", { class: "queue" }, c.parked.map((tk) => h("li", { dataset: { ticketId: String(tk.id) } },
          h("span", { class: "label" }, tk.label),
          h("span", { class: "info" }, h("span", { class: "svc" }, names(tk.service_name))),
          h("button", { type: "button", class: "return", disabled: c.state !== "idle", onclick: (e) => run("return_parked", t("clerk-return"), e.currentTarget, { counter: c.id, ticket: tk.id }) }, t("clerk-return"))))));
}

async function callNextNow(btn) {
  const c = desk?.counter;
  if (!c) return;
  const r = await run("call_next", t("clerk-call-next"), btn, { counter: c.id });
  if (r) toast(t("clerk-called-toast", { label: r.label }));
}

async function callOutOfOrder(btn, c, tk) {
  const reason = h("input", { name: "reason", id: "reason", required: true, maxlength: "200" });
  const data = await ask({
    title: t("clerk-call-reason-title", { label: tk.label }),
    body: [h("label", { for: "reason" }, t("clerk-call-reason-label")), reason],
  });
  if (!data) return;
  const r = await run("call_ticket", t("clerk-call-this"), btn, { counter: c.id, ticket: tk.id, reason: data.get("reason") });
  if (r) toast(t("clerk-called-toast", { label: r.label }));
}

function radios(name, options, checked) {
  return h("fieldset", {}, options.map(([value, label]) =>
    h("label", {}, h("input", { type: "radio", name, value, checked: value === checked, required: true }), h("span", {}, label))));
}

async function finish(btn, c) {
  // "Request submitted" first: the server gives the reference and the citizen a receipt; it
  // needs the last four digits of the citizen's phone and/or national ID (the status page asks).
  const outcomes = ["request_submitted", "completed", "incomplete_documents", "referred", "rejected"];
  const suffixes = h("div", { class: "suffixes", id: "suffixes" },
    h("p", { class: "hint" }, t("clerk-request-hint")),
    h("label", { for: "phone-suffix" }, t("clerk-phone-suffix")),
    h("input", { name: "phone_suffix", id: "phone-suffix", inputmode: "numeric", maxlength: "4", pattern: "[0-9\u0660-\u0669]{4}", autocomplete: "off", dir: "ltr" }),
    h("label", { for: "id-suffix" }, t("clerk-id-suffix")),
    h("input", { name: "id_suffix", id: "id-suffix", inputmode: "numeric", maxlength: "4", pattern: "[0-9\u0660-\u0669]{4}", autocomplete: "off", dir: "ltr" }));
  const reference = h("div", { class: "reference-field", id: "reference-field" },
    h("label", { for: "reference" }, t("clerk-reference")),
    h("input", { name: "reference", id: "reference", maxlength: "64", dir: "auto", autocomplete: "off" }),
    h("p", { class: "hint" }, t("clerk-reference-hint")));
  const choice = radios("outcome", outcomes.map((o) => [o, t(`outcome-${o}`)]), "request_submitted");
  const sync = () => {
    const o = choice.querySelector("input:checked")?.value;
    suffixes.hidden = o !== "request_submitted";
    reference.hidden = o === "request_submitted";
  };
  choice.addEventListener("change", sync);
  sync();
  const data = await ask({
    title: t("clerk-finish-title", { label: c.ticket.label }),
    body: [h("div", {}, t("clerk-outcome")), choice, suffixes, reference],
    confirmText: t("clerk-finish"),
  });
  if (!data) return;
  const outcome = data.get("outcome");
  if (outcome === "request_submitted") {
    const given = [data.get("phone_suffix"), data.get("id_suffix")].map((v) => String(v || "").trim()).filter(Boolean);
    const r = await run("finish", t("clerk-finish"), btn, { counter: c.id, outcome, suffixes: given });
    if (r?.receipt) slip(r.receipt, c.id);
    return;
  }
  const ref = String(data.get("reference") || "").trim();
  const r = await run("finish", t("clerk-finish"), btn, { counter: c.id, outcome, ...(ref ? { reference: ref } : {}) });
  if (r) toast(t("clerk-done-toast"));
}

/** The request receipt to hand over: reference, QR code to its status page. It comes out of
 * the counter's printer at once when the counter has one (`print_slip`), again on demand and
 * in the other language; the browser's print is always there. */
function slip(rc, counter) {
  const box = h("div", { class: "slip", id: "slip" },
    h("div", { class: "slip-center" }, names(rc.center_name)),
    h("div", { class: "slip-title" }, t("clerk-slip-title")),
    h("div", { class: "slip-ref", id: "slip-reference", dir: "ltr" }, rc.reference),
    h("div", {}, names(rc.service_name)),
    h("div", {}, t("clerk-slip-expected", { date: date(rc.expected_ready) })),
    h("img", { class: "slip-qr", src: `${rc.status_path}/qr.svg`, alt: rc.status_path, width: "160", height: "160" }),
    h("div", { class: "slip-url", dir: "ltr" }, `${location.host}${rc.status_path}`),
    h("div", { class: "hint" }, t("clerk-slip-hint")));
  const note = h("p", { class: "slip-printer", id: "slip-printer", role: "status" });
  const lang = h("select", { id: "slip-lang", "aria-label": t("clerk-slip-lang") },
    h("option", { value: "ar", lang: "ar" }, "العربية"),
    h("option", { value: "en", lang: "en" }, "English"));
  lang.value = currentLang() === "en" ? "en" : "ar";
  const again = h("button", { type: "button", id: "slip-print-counter", class: "primary" }, t("clerk-slip-print-counter"));
  const counterRow = h("div", { class: "slip-counter", hidden: true }, again, lang);
  const browser = h("button", { type: "button", id: "slip-print", class: "primary", onclick: () => window.print() }, t("clerk-slip-print"));
  const atCounter = async () => {
    if (again.dataset.busy) return;
    again.dataset.busy = "1";
    note.className = "slip-printer";
    note.textContent = t("clerk-slip-printing");
    try {
      const r = await conn.request("print_slip", { reference: rc.reference, counter, lang: lang.value, base: location.origin });
      counterRow.hidden = false;
      // The button to press next is the solid one: the counter's printer while it prints,
      // the browser's when it does not.
      browser.classList.toggle("primary", !r.printed);
      again.classList.toggle("primary", r.printed);
      if (r.printed) {
        note.textContent = t("clerk-slip-printed") + (r.status === "paper_near_end" ? ` ${t("printer-status-paper_near_end")}.` : "");
      } else {
        note.classList.add("error");
        note.textContent = t("clerk-slip-not-printed", { reason: t(`printer-status-${r.status}`) });
      }
    } catch (e) {
      if (e?.code === "no_printer") {
        note.textContent = "";
        counterRow.hidden = true;
        browser.classList.add("primary");
      } else {
        note.classList.add("error");
        note.textContent = t("clerk-slip-not-printed", { reason: errorText(e?.code || "internal") });
      }
    } finally {
      delete again.dataset.busy;
    }
  };
  again.addEventListener("click", atCounter);
  const dlg = h("dialog", { class: "dialog slip-dialog", id: "slip-dialog" }, box, note, counterRow,
    h("div", { class: "dialog-buttons" },
      browser,
      h("button", { type: "button", id: "slip-close", onclick: () => dlg.close() }, t("clerk-slip-close"))));
  dlg.addEventListener("close", () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  atCounter();
}

async function transfer(btn, c) {
  const kind = h("select", { name: "kind", id: "transfer-kind" },
    h("option", { value: "service" }, t("clerk-transfer-to-service")),
    h("option", { value: "counter" }, t("clerk-transfer-to-counter")));
  const target = h("select", { name: "target", id: "transfer-target", required: true });
  const fill = () => {
    const items = kind.value === "service"
      ? desk.services.map((s) => [s.code, `${names(s.name)} (${s.code})`])
      : desk.counters.filter((k) => k.id !== c.id).map((k) => [String(k.id), `${names(k.name)} — ${t(`counter-state-${k.state}`)}`]);
    target.replaceChildren(...items.map(([v, l]) => h("option", { value: v }, l)));
  };
  kind.addEventListener("change", fill);
  fill();
  const data = await ask({
    title: t("clerk-transfer-title", { label: c.ticket.label }),
    body: [
      h("label", { for: "transfer-kind" }, t("clerk-transfer-kind")), kind, target,
      h("div", {}, t("clerk-position")),
      radios("position", [["back", t("clerk-position-back")], ["front", t("clerk-position-front")]], "back"),
    ],
    confirmText: t("clerk-transfer"),
  });
  if (!data) return;
  const to = data.get("kind") === "service"
    ? { kind: "service", service: data.get("target") }
    : { kind: "counter", counter: Number(data.get("target")) };
  const r = await run("transfer", t("clerk-transfer"), btn, { counter: c.id, target: to, position: data.get("position") });
  if (r) toast(t("clerk-done-toast"));
}

async function park(btn, c) {
  const data = await ask({
    title: t("clerk-park-title", { label: c.ticket.label }),
    body: [h("label", { for: "note" }, t("clerk-park-note")), h("input", { name: "note", id: "note", maxlength: "200", dir: "auto" })],
    confirmText: t("clerk-park"),
  });
  if (!data) return;
  await run("park", t("clerk-park"), btn, { counter: c.id, note: String(data.get("note") || "") });
}

// The citizen's mobile number for messages about this ticket (and its request), in the
// language the citizen chooses; the server keeps it outside the log and answers it masked.
async function phone(btn, c) {
  const data = await ask({
    title: t("clerk-phone-title", { label: c.ticket.label }),
    body: [
      h("label", { for: "phone-number" }, t("clerk-phone-number")),
      h("input", { name: "phone", id: "phone-number", type: "tel", inputmode: "tel", dir: "ltr", maxlength: "20", required: true }),
      h("label", { for: "phone-lang" }, t("clerk-phone-lang")),
      h("select", { name: "lang", id: "phone-lang" },
        h("option", { value: "ar" }, t("clerk-phone-lang-ar")),
        h("option", { value: "en" }, t("clerk-phone-lang-en"))),
    ],
    confirmText: t("clerk-phone"),
  });
  if (!data) return;
  const r = await run("leave_phone", t("clerk-phone"), btn, { ticket: c.ticket.id, phone: String(data.get("phone") || ""), lang: String(data.get("lang") || "ar") });
  if (r) toast(t("clerk-phone-kept", { masked: r.masked }));
}

// The pickup window: the citizen reads out the reference on the receipt; a request that is
// ready is handed over (delivered); any other state is shown as the citizen would read it.
async function pickup(btn) {
  const data = await ask({
    title: t("clerk-pickup-title"),
    body: [
      h("label", { for: "pickup-reference" }, t("clerk-pickup-reference")),
      h("input", { name: "reference", id: "pickup-reference", dir: "ltr", maxlength: "32", autocomplete: "off", required: true }),
    ],
    confirmText: t("clerk-pickup-find"),
  });
  if (!data) return;
  const found = await run("find_request", t("clerk-pickup-find"), btn, { reference: String(data.get("reference") || "") });
  if (!found?.request) return;
  const r = found.request;
  // The state is tagged: { state: "needs_documents", documents: [...] }.
  const state = r.state.state;
  const ready = state === "ready_for_pickup";
  const facts = h("div", { class: "pickup-facts", id: "pickup-facts" },
    h("div", { class: "slip-ref", dir: "ltr" }, r.reference),
    h("div", {}, names(r.service_name)),
    h("div", {}, h("span", { class: `badge rq-${state}`, id: "pickup-state" }, t(`request-state-${state}`))),
    state === "needs_documents" ? h("div", {}, t("clerk-pickup-documents", { documents: r.state.documents.join(currentLang() === "ar" ? "، " : ", ") })) : null,
    ready ? null : h("p", { class: "hint" }, t("clerk-pickup-not-ready")));
  const handOver = await ask({
    title: t("clerk-pickup-title"),
    body: [facts],
    confirmText: ready ? t("clerk-pickup-deliver") : t("clerk-slip-close"),
  });
  if (!handOver || !ready) return;
  const done = await run("set_request_state", t("clerk-pickup-deliver"), btn, { reference: r.reference, state: { state: "delivered" }, note: "" });
  if (done) toast(t("clerk-pickup-done", { reference: r.reference }));
}

async function closeCounter(btn, c) {
  const data = await ask({
    title: t("clerk-close-title", { name: names(c.name) }),
    body: [h("p", {}, t("clerk-close-body"))],
    confirmText: t("clerk-close-counter"),
    danger: true,
  });
  if (!data) return;
  await run("close_counter", t("clerk-close-counter"), btn, { counter: c.id });
}

document.addEventListener("keydown", (e) => {
  if (e.key !== CALL_KEY || document.querySelector("dialog[open]")) return;
  e.preventDefault();
  const b = document.getElementById("call-next");
  if (b && !b.disabled) callNextNow(b);
});

conn.start();
