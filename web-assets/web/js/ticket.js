// The citizen's ticket page (/t/{token}, the receipt's QR code): no sign-in; follows the ticket
// with watch_ticket and shows what the server computed (state, people ahead, estimated wait and
// its range, the counter when called). The citizen may withdraw a waiting or parked ticket.
//
// "Alert me": browsers play sound only after a tap, so the citizen taps once while waiting;
// the page then plays a chime (the <audio> element, loaded only then), vibrates and changes
// its title when the ticket is called — once per call (`called_at` + `recalls` of the view),
// however often the page reconnects: a phone whose screen was locked gets the call in the
// fresh view when it comes back, and the page reconnects at once when it is shown again.

import { Connection } from "./conn.js";
import { number, pluralForm } from "./format.js";
import { setLang, preferredLang, t, count, names, errorText, clockTime, currentLang, onLangChange, formatNumber } from "./i18n.js";
import { h, act, ask, toast } from "./ui.js";
import { phoneBox } from "./phone.js";

const token = decodeURIComponent(location.pathname.split("/").pop() || "");
const main = document.getElementById("main");
const statusEl = document.getElementById("conn-status");
const langBtn = document.getElementById("lang-switch");
const sound = document.getElementById("alert-sound");
const ALERT_KEY = `tabour.alert.${token}`;
const ALERTED_KEY = `tabour.alerted.${token}`;
// The citizen asked for the alert (kept for a reload of the same tab).
let alertOn = sessionStorage.getItem(ALERT_KEY) === "1";
let view = null;
let unknown = false;
let conn = null;
// Whether the center sends text messages (`welcome`'s `sms`).
let sms = false;

await setLang(preferredLang());
langBtn.addEventListener("click", () => setLang(currentLang() === "ar" ? "en" : "ar"));
function drawLangButton() {
  langBtn.textContent = t("lang-switch");
  langBtn.title = t("lang-switch-title");
}
onLangChange(() => {
  drawLangButton();
  draw();
});
drawLangButton();

function showStatus(s) {
  statusEl.dataset.state = s.state;
  statusEl.textContent = s.state === "online" ? t("conn-online")
    : s.state === "offline" ? t("conn-offline", { seconds: Math.max(1, Math.round((s.retryInMs || 0) / 1000)) })
    : t("conn-connecting");
  document.body.classList.toggle("offline", s.state === "offline");
}

// The server's queue model gives the wait and its 10th–90th percentiles: "15–25 min" when
// that spans whole minutes, else "about 5 minutes" (as the kiosk and the receipt say it).
function estimate(v) {
  if (v.estimated_wait_secs === undefined || v.estimated_wait_secs === null) return t("no-estimate");
  const low = Math.floor((v.wait_low_secs ?? v.estimated_wait_secs) / 60);
  const high = Math.ceil((v.wait_high_secs ?? v.estimated_wait_secs) / 60);
  if (high <= 1 || low >= high) return count("wait-minutes", Math.ceil(v.estimated_wait_secs / 60));
  return t("wait-range", { low: number(low), high: number(high), form: pluralForm(high) });
}

function statusBox(v) {
  const counterName = names(v.counter_name);
  switch (v.state) {
    case "waiting":
      return h("section", { class: "status waiting", id: "status", "data-state": v.state },
        h("div", { class: "state" }, t("ticket-state-waiting")),
        h("div", { class: "figures" },
          h("div", { class: "figure" }, h("div", { class: "k" }, t("ticket-ahead-label")), h("div", { class: "v big", id: "ahead" }, formatNumber(v.people_ahead ?? 0))),
          h("div", { class: "figure" }, h("div", { class: "k" }, t("ticket-estimate-label")), h("div", { class: "v", id: "estimate" }, estimate(v)))),
        h("div", { class: "ahead-text" }, count("people-ahead", v.people_ahead ?? 0)),
        counterName ? h("div", {}, counterName) : null);
    case "called":
      return h("section", { class: "status called", id: "status", "data-state": v.state, role: "alert" },
        h("div", { class: "go" }, t("ticket-go-to")),
        h("div", { class: "counter-name", id: "counter" }, counterName),
        h("div", {}, t("ticket-state-called")));
    case "serving":
      return h("section", { class: "status serving", id: "status", "data-state": v.state },
        h("div", { class: "state" }, t("ticket-serving-at")),
        h("div", { class: "counter-name", id: "counter" }, counterName));
    case "parked":
      return h("section", { class: "status parked", id: "status", "data-state": v.state },
        h("div", { class: "state" }, t("ticket-state-parked")),
        h("div", {}, t("ticket-parked-at")),
        h("div", { class: "counter-name", id: "counter" }, counterName));
    case "done":
      return h("section", { class: "status done", id: "status", "data-state": v.state },
        h("div", { class: "state" }, t("ticket-state-done")),
        v.reference ? h("div", {}, t("ticket-reference")) : null,
        v.reference ? h("div", { class: "reference", id: "reference", dir: "auto" }, v.reference) : null,
        v.request ? h("a", { class: "follow", id: "follow", href: `/r/${encodeURIComponent(v.reference)}?lang=${currentLang()}` }, t("ticket-request-follow")) : null,
        h("div", {}, t("ticket-done-thanks")));
    default:
      return h("section", { class: "status ended", id: "status", "data-state": v.state },
        h("div", { class: "state" }, t(`ticket-state-${v.state}`)));
  }
}

function callId(v) {
  return v.state === "called" && v.called_at ? `${v.called_at}#${v.recalls || 0}` : null;
}

/** The first tap: the browser allows the chime from now on (played muted once to unlock it). */
async function enableAlert(e) {
  alertOn = true;
  sessionStorage.setItem(ALERT_KEY, "1");
  try {
    sound.muted = true;
    await sound.play();
    sound.pause();
    sound.currentTime = 0;
  } catch {
    // No sound on this phone: the vibration and the title still tell.
  }
  sound.muted = false;
  navigator.vibrate?.(60);
  draw();
  e?.currentTarget?.blur?.();
}

function disableAlert() {
  alertOn = false;
  sessionStorage.removeItem(ALERT_KEY);
  draw();
}

/** The ticket is called: chime three times, vibrate, and say it in the tab's title. */
function alertCall(v) {
  const id = callId(v);
  if (!id || sessionStorage.getItem(ALERTED_KEY) === id) return;
  sessionStorage.setItem(ALERTED_KEY, id);
  if (!alertOn) return;
  navigator.vibrate?.([400, 200, 400, 200, 400]);
  let rings = 0;
  sound.onended = () => {
    rings += 1;
    if (rings < 3) sound.play().catch(() => {});
  };
  sound.currentTime = 0;
  sound.play().catch(() => {});
}

function alertBox(v) {
  if (v.state !== "waiting" && v.state !== "parked") return null;
  if (alertOn) {
    return h("section", { class: "alert on", id: "alert" },
      h("p", { id: "alert-state" }, t("ticket-alert-on")),
      h("p", { class: "hint" }, t("ticket-alert-keep-open")),
      h("button", { type: "button", class: "quiet", id: "alert-off", onclick: disableAlert }, t("ticket-alert-off")));
  }
  return h("section", { class: "alert", id: "alert" },
    h("button", { type: "button", class: "primary", id: "alert-me", onclick: enableAlert }, t("ticket-alert-me")),
    h("p", { class: "hint" }, t("ticket-alert-hint")));
}

function title() {
  if (view?.state === "called") {
    return t("ticket-alert-title", { label: view.label, counter: names(view.counter_name) || "" });
  }
  return `${t("app-name")} — ${view ? view.label : t("ticket-title")}`;
}

function draw() {
  document.title = title();
  if (unknown) {
    document.getElementById("center").textContent = "";
    main.replaceChildren(h("section", { class: "status ended unknown", id: "unknown" },
      h("h1", {}, t("ticket-unknown-title")),
      h("p", {}, t("ticket-unknown-body"))));
    return;
  }
  if (!view) return;
  const v = view;
  document.getElementById("center").textContent = names(v.center_name);
  const canWithdraw = v.state === "waiting" || v.state === "parked";
  const parts = [
    h("section", { class: "ticket" },
      h("div", { class: "kicker" }, t("ticket-title")),
      h("div", { class: "label", id: "label" }, v.label),
      h("div", { class: "service" }, names(v.service_name)),
      h("div", { class: "issued" }, t("ticket-issued", { time: clockTime(v.issued_at) }))),
    statusBox(v),
    alertBox(v),
    v.state === "done" || v.state === "cancelled" || v.state === "no_show" ? null : h("p", { class: "live" }, t("ticket-live")),
    sms && v.state === "waiting" ? phoneBox(conn, token) : null,
    canWithdraw ? h("button", { type: "button", class: "withdraw", id: "withdraw", onclick: withdraw }, t("ticket-withdraw")) : null,
    v.asks_feedback ? feedbackBox(v) : null,
  ];
  main.replaceChildren(...parts.filter(Boolean));
}

// After service: a rating 1–5 and a comment, once per ticket (the server refuses a second).
function feedbackBox(v) {
  if (v.feedback) {
    return h("section", { class: "feedback done", id: "feedback" }, h("p", { id: "feedback-thanks" }, t("feedback-thanks")),
      h("div", { class: "stars", "aria-label": count("feedback-star", v.feedback) }, "★".repeat(v.feedback) + "☆".repeat(5 - v.feedback)));
  }
  const form = h("form", { class: "feedback", id: "feedback" },
    h("h2", {}, t("feedback-title")),
    h("fieldset", { class: "stars" }, h("legend", {}, t("feedback-rating")),
      [1, 2, 3, 4, 5].map((n) => h("label", { title: count("feedback-star", n) },
        h("input", { type: "radio", name: "rating", value: String(n), required: true, id: `rating-${n}` }),
        h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "sr" }, count("feedback-star", n))))),
    h("label", { for: "comment" }, t("feedback-comment")),
    h("textarea", { name: "comment", id: "comment", maxlength: "500", rows: "3", dir: "auto" }),
    h("button", { type: "submit", class: "primary", id: "feedback-send" }, t("feedback-send")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    await act(e.submitter, t("feedback-send"), () => conn.request("give_feedback", {
      token, rating: Number(data.get("rating")), comment: String(data.get("comment") || ""),
    }));
  });
  return form;
}

async function withdraw(e) {
  const button = e.currentTarget;
  const yes = await ask({ title: t("ticket-withdraw-confirm"), confirmText: t("ticket-withdraw-yes"), cancelText: t("ticket-withdraw-no"), danger: true });
  if (!yes) return;
  await act(button, t("ticket-withdraw"), () => conn.request("withdraw_ticket", { token }));
}

function update(v) {
  view = v;
  unknown = false;
  draw();
  alertCall(v);
}

conn = new Connection({
  client: "web-ticket",
  onStatus: showStatus,
  onFrame: (f) => {
    if (f.type === "ticket_update") update(f.view);
  },
  onReady: async (welcome) => {
    sms = Boolean(welcome?.sms);
    try {
      const r = await conn.request("watch_ticket", { token });
      update(r.view);
    } catch (e) {
      if (e.code === "unknown_ticket" || e.code === "bad_frame") {
        unknown = true;
        draw();
      } else {
        toast(errorText(e.code), "error");
      }
    }
  },
});
conn.start();
// A phone that locked its screen may have dropped the socket: when the page is shown again,
// or the network comes back, reconnect now rather than after the backoff.
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) conn.wake();
});
window.addEventListener("online", () => conn.wake());
