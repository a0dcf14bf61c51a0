// Shared page parts: the header (center, connection state, language switch, user), messages
// (toasts), and `act`, which runs a request from a button so that no click is lost silently:
// the button shows it is busy, and the outcome (done or the translated error) is shown.

import { t, setLang, currentLang, errorText, onLangChange, names, translateDom } from "./i18n.js";

/** h("div", {class: "x", onclick: f}, child…): a small element builder (no innerHTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let statusEl = null;
let statusState = { state: "connecting" };
let centerEl = null;
let center = null;
let userEl = null;
let user = null;
let onSignOut = null;

/** The header: title, center name, connection state, user and sign-out, language switch. */
export function mountHeader(root, { titleId }) {
  const langBtn = h("button", { class: "lang", id: "lang-switch", type: "button", onclick: () => setLang(currentLang() === "ar" ? "en" : "ar") });
  statusEl = h("span", { class: "conn", id: "conn-status", role: "status" });
  centerEl = h("span", { class: "center" });
  userEl = h("span", { class: "user", id: "user" });
  const title = h("span", { class: "title", "data-i18n": titleId });
  root.replaceChildren(
    h("div", { class: "brand" }, h("span", { class: "app", "data-i18n": "app-name" }), title, centerEl),
    h("div", { class: "tools" }, statusEl, userEl, langBtn),
  );
  const redraw = () => {
    translateDom(root);
    langBtn.textContent = t("lang-switch");
    langBtn.title = t("lang-switch-title");
    langBtn.lang = currentLang() === "ar" ? "en" : "ar";
    drawStatus();
    drawCenter();
    drawUser();
  };
  onLangChange(redraw);
  redraw();
}

export function setCenter(names_) {
  center = names_;
  drawCenter();
}

function drawCenter() {
  if (centerEl) centerEl.textContent = center ? names(center) : "";
}

/** Who is signed in (null: nobody); signOut is called by the button. */
export function setUser(name, signOut) {
  user = name;
  onSignOut = signOut;
  drawUser();
}

function drawUser() {
  if (!userEl) return;
  if (!user) {
    userEl.replaceChildren();
    return;
  }
  userEl.replaceChildren(
    h("span", { class: "who" }, t("signed-in-as", { name: user })),
    h("button", { type: "button", class: "link", id: "signout", onclick: () => onSignOut?.() }, t("signout")),
  );
}

export function showStatus(s) {
  statusState = s;
  drawStatus();
  document.body.classList.toggle("offline", s.state === "offline");
}

function drawStatus() {
  if (!statusEl) return;
  const s = statusState;
  statusEl.dataset.state = s.state;
  statusEl.textContent =
    s.state === "online" ? t("conn-online")
    : s.state === "offline" ? t("conn-offline", { seconds: Math.max(1, Math.round((s.retryInMs || 0) / 1000)) })
    : t("conn-connecting");
}

let toastBox = null;

function toasts() {
  if (!toastBox) {
    toastBox = h("div", { class: "toasts", id: "toasts", "aria-live": "assertive" });
    document.body.append(toastBox);
  }
  return toastBox;
}

/** A message at the bottom of the screen; errors stay until dismissed or replaced. */
export function toast(text, kind = "info") {
  const box = toasts();
  // One message of a kind at a time: the newest replaces the last.
  for (const old of box.querySelectorAll(`.toast.${kind}`)) old.remove();
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, h("span", {}, text));
  if (kind === "error") el.append(h("button", { type: "button", class: "dismiss", "aria-label": "×", onclick: () => el.remove() }, "×"));
  box.append(el);
  if (kind !== "error") setTimeout(() => el.remove(), 3000);
  return el;
}

export function clearErrors() {
  for (const old of toasts().querySelectorAll(".toast.error")) old.remove();
}

/**
 * Runs `run()` (a request) for a button: busy while it runs, a second click is ignored,
 * the error translated on failure. Resolves with the reply, or undefined after an error.
 */
export async function act(button, actionLabel, run) {
  if (button?.dataset.busy) return undefined;
  if (button) {
    button.dataset.busy = "1";
    button.setAttribute("aria-busy", "true");
  }
  try {
    const r = await run();
    clearErrors();
    return r;
  } catch (e) {
    const code = e?.code || "internal";
    toast(t("action-failed", { action: actionLabel, reason: errorText(code) }), "error");
    return undefined;
  } finally {
    if (button) {
      delete button.dataset.busy;
      button.removeAttribute("aria-busy");
    }
  }
}

/** A modal <dialog> with a form; resolves with FormData on confirm, null on cancel. */
export function ask({ title, body = [], confirmText, cancelText, danger = false }) {
  return new Promise((resolve) => {
    const form = h("form", { method: "dialog", class: "dialog-form" },
      h("h2", {}, title),
      ...body,
      h("div", { class: "dialog-buttons" },
        h("button", { type: "submit", value: "ok", class: danger ? "danger" : "primary", id: "dialog-ok" }, confirmText || t("dialog-confirm")),
        h("button", { type: "button", value: "cancel", id: "dialog-cancel", onclick: () => dlg.close("cancel") }, cancelText || t("dialog-cancel")),
      ));
    const dlg = h("dialog", { class: "dialog" }, form);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      const data = new FormData(form);
      dlg.close("ok");
      resolve(data);
    });
    dlg.addEventListener("close", () => {
      if (dlg.returnValue !== "ok") resolve(null);
      dlg.remove();
    });
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector("input:not([type=radio]), select, textarea");
    (first || form.querySelector("#dialog-ok")).focus();
  });
}
