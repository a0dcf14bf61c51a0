// Translations: the Fluent files of assets/i18n (queue.ftl shared with every client, web.ftl
// for these pages) through the vendored @fluent/bundle. Arabic first, English second; the
// choice is kept in localStorage. Plural forms: our .ftl files select on $form, the CLDR
// category, computed by format.js as the server computes it (CLDR, modulo 100).

import { FluentBundle, FluentResource } from "/static/vendor/fluent-bundle/index.js";
import { counted, number, duration, timeOf } from "./format.js";

const LANG_KEY = "tabour.lang";
let bundle = null;
let lang = "ar";
const listeners = [];
/** The Fluent files every page loads; a page may add its own (`useFiles`) before `setLang`. */
const files = ["queue", "web"];

/** Adds a page's own Fluent files (e.g. "manager" for assets/i18n/{ar,en}/manager.ftl). */
export function useFiles(...more) {
  for (const f of more) if (!files.includes(f)) files.push(f);
}

export function currentLang() {
  return lang;
}

export function preferredLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "ar" || saved === "en") return saved;
  return "ar";
}

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.text();
}

/** Loads a language, sets <html lang dir>, translates the page, and tells the listeners. */
export async function setLang(next) {
  const l = next === "en" ? "en" : "ar";
  const sources = await Promise.all(files.map((f) => fetchText(`/static/i18n/${l}/${f}.ftl`)));
  // No isolation marks around placeables, as on the server (hall_core::i18n): the texts are
  // the same strings on every surface, and the bidi algorithm keeps numbers and labels in order.
  const b = new FluentBundle(l, { useIsolating: false });
  for (const src of sources) {
    const errors = b.addResource(new FluentResource(src));
    if (errors.length) console.error("translation errors", l, errors);
  }
  bundle = b;
  lang = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  document.documentElement.dir = l === "ar" ? "rtl" : "ltr";
  translateDom(document);
  for (const f of listeners) f(l);
  // Says the page is drawn in this language (tests and screenshots wait for it).
  document.documentElement.dataset.langReady = l;
}

export function onLangChange(f) {
  listeners.push(f);
}

export function has(id) {
  return !!bundle?.hasMessage(id);
}

/** The message; a missing one shows its id (visible, never a crash). */
export function t(id, args) {
  const msg = bundle?.getMessage(id);
  if (!msg?.value) {
    console.warn("missing translation", id);
    return id;
  }
  const errors = [];
  const text = bundle.formatPattern(msg.value, args, errors);
  if (errors.length) console.warn("translation", id, errors);
  return text;
}

/** A counted message: $count (and $minutes) = n written the center's way, $form its plural
 *  category (format.js, the same rule as the server's texts). */
export function count(id, n, extra = {}) {
  return counted(id, n, { ...extra, minutes: number(n) });
}

/** What to tell a person about a protocol error code. */
export function errorText(code) {
  const id = `error-${code}`;
  return has(id) ? t(id) : t("error-unknown", { code: String(code) });
}

/** A {ar, en} text of the catalog in the current language. */
export function names(n) {
  if (!n) return "";
  return (lang === "ar" ? n.ar : n.en) || n.ar || n.en || "";
}

/** A number written the center's way (format.js). */
export function formatNumber(n) {
  return number(n);
}

/** A duration in words (format.js): "٣ دقائق", "ساعة و٢٠ دقيقة". */
export function minutes(secs) {
  return duration(secs);
}

/** The time of an instant in the center's zone (format.js), never the device's. */
export function clockTime(iso) {
  return timeOf(iso);
}

/** A data-i18n attribute (a message id) sets the text; data-i18n-placeholder and
 *  data-i18n-title set those attributes. */
export function translateDom(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
