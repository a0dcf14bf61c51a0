// The one rule for numbers, dates, times and durations on the pages, the same as the Rust
// `hall_core::format` (docs/style.md); both are tested against assets/format-cases.json.
// - Digits: Arabic-Indic in Arabic unless the center chose Latin; Latin in English. Ticket
//   labels and request references are shown as printed and never pass through here.
// - Dates as Egyptians read them ("الأربعاء ٢ ديسمبر ٢٠٢٦"), never ISO.
// - Times on the 24-hour clock in the center's zone (from the server's `welcome`), never the
//   zone of the reader's device.
// - Durations in words: seconds under a minute, minutes under an hour, then hours and minutes.

import { t, currentLang } from "./i18n.js";

/** The center's setting, as the server's `welcome` gives it. */
const center = { digits: "arabic", timezone: "Africa/Cairo" };

/** Takes the center's digits and time zone from a `welcome` frame (or any {digits, timezone}). */
export function setCenterStyle(w) {
  if (w?.digits === "arabic" || w?.digits === "latin") center.digits = w.digits;
  if (w?.timezone) center.timezone = w.timezone;
}

export function centerZone() {
  return center.timezone;
}

/** The CLDR plural category as hall_core::i18n::arabic_plural computes it (both languages'
 *  files select on it; the Arabic rule compares the number modulo 100). */
export function pluralForm(n) {
  const m = n % 100;
  if (n === 0) return "zero";
  if (n === 1) return "one";
  if (n === 2) return "two";
  if (m >= 3 && m <= 10) return "few";
  if (m >= 11 && m <= 99) return "many";
  return "other";
}

function arabicDigits(st) {
  return st.lang === "ar" && st.digits !== "latin";
}

function style(st) {
  return { lang: currentLang(), digits: center.digits, timezone: center.timezone, ...(st || {}) };
}

/** Every ASCII digit of `s` written the center's way. */
export function digits(s, st) {
  const text = String(s);
  return arabicDigits(style(st)) ? text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))) : text;
}

/** A whole number, without grouping. */
export function number(n, st) {
  return digits(String(n), st);
}

/** A number with one decimal ("4.3", "٤٫٣": the Arabic decimal separator with Arabic-Indic digits). */
export function decimal(x, st) {
  return fraction((Math.round(x * 10) / 10).toFixed(1), st);
}

/** A number written with ".": Arabic-Indic digits take the Arabic decimal separator. */
function fraction(text, st) {
  return arabicDigits(style(st)) ? digits(text, st).replace(".", "٫") : text;
}

/** An amount in pounds from piasters: "50", "12.50" ("٥٠", "١٢٫٥٠"). */
export function money(piasters, st) {
  const p = Math.round(piasters);
  return fraction(p % 100 === 0 ? String(p / 100) : `${Math.floor(p / 100)}.${String(p % 100).padStart(2, "0")}`, st);
}

/** A counted message: $count written the center's way, $form its plural category. */
export function counted(id, n, extra = {}, st) {
  return t(id, { ...extra, count: number(n, st), form: pluralForm(n) });
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const pad = (n) => String(n).padStart(2, "0");

/** The local parts of an instant in a zone. */
function local(iso, zone) {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", weekday: "short",
  });
  const p = {};
  for (const x of f.formatToParts(new Date(iso))) p[x.type] = x.value;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour % 24, minute: +p.minute, weekday: p.weekday.toLowerCase() };
}

/** "14:05" in the center's zone. */
export function timeOf(iso, st) {
  const s = style(st);
  const l = local(iso, s.timezone);
  return digits(`${pad(l.hour)}:${pad(l.minute)}`, s);
}

/** "HH:MM" of the center's clock (an opening hour), written the center's way. */
export function clock(hhmm, st) {
  return digits(hhmm, st);
}

function words(year, month, day, weekday, st) {
  return t("date-long", {
    weekday: t(`date-day-${weekday}`), day: number(day, st), month: t(`date-month-${month}`), year: number(year, st),
  });
}

/** A local date "2026-12-02" in words: "الأربعاء ٢ ديسمبر ٢٠٢٦". */
export function date(ymd, st) {
  const [y, m, d] = String(ymd).split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return words(y, m, d, weekday, st);
}

/** The date of an instant in the center's zone, in words. */
export function dateOf(iso, st) {
  const s = style(st);
  const l = local(iso, s.timezone);
  return words(l.year, l.month, l.day, l.weekday, s);
}

/** The date and time of an instant in the center's zone: "الأربعاء ٢ ديسمبر ٢٠٢٦ الساعة ١٥:٣٨". */
export function dateTimeOf(iso, st) {
  return t("date-at", { date: dateOf(iso, st), time: timeOf(iso, st) });
}

/** The local day "YYYY-MM-DD" of an instant in the center's zone. */
export function dayOf(iso, st) {
  const l = local(iso, style(st).timezone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** A duration in words ("٣ دقائق", "ساعة و٢٠ دقيقة", "2 hours 5 minutes"). */
export function duration(secs, st) {
  const s = Math.max(0, Math.round(secs || 0));
  if (s < 60) return counted("duration-seconds", s, {}, st);
  const minutes = Math.floor((s + 30) / 60);
  if (minutes < 60) return counted("duration-minutes", minutes, {}, st);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = counted("duration-hours", h, {}, st);
  if (m === 0) return hours;
  return t("duration-hours-minutes", { hours, minutes: counted("duration-minutes", m, {}, st) });
}
