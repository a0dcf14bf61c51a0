// The staffing advisor, a tab of the manager console; advisory only, it changes nothing. The
// manager sets the longest acceptable wait; the server's queue model answers
// `staffing_advice` (ARCHITECTURE.md, "The staffing advisor"): *now*, the counters to open to
// keep every wait of the next hour under it; *tomorrow*, the counters needed per hour and per
// service from the learned arrivals (simulation, with Erlang C beside it), drawn as a chart.

import { t, count, names, formatNumber, currentLang } from "./i18n.js";
import { h, act } from "./ui.js";

// The list separator of the page's language: the Arabic comma only in Arabic.
const listSep = () => (currentLang() === "ar" ? "، " : ", ");

const SVG = "http://www.w3.org/2000/svg";
const TARGET_KEY = "tabour-staffing-target";

/** Draws the tab into `main`; `serviceName(code)` names a service in the page's language. */
export function staffingTab(main, conn, serviceName) {
  const saved = Number(localStorage.getItem(TARGET_KEY)) || 20;
  const input = h("input", { type: "number", id: "staffing-target", min: "1", max: "480", step: "1", value: String(saved) });
  const out = h("div", { id: "staffing-out" });
  const go = h("button", { type: "button", id: "staffing-go", class: "primary", onclick: () => advise() }, t("mgr-staff-advise"));
  let last = null;

  async function advise() {
    const target = Math.max(1, Math.min(480, Math.round(Number(input.value) || saved)));
    localStorage.setItem(TARGET_KEY, String(target));
    const r = await act(go, t("mgr-staff-advise"), () => conn.request("staffing_advice", { target_minutes: target }));
    if (r) {
      last = r.advice;
      draw();
    }
  }

  function draw() {
    if (!last) return;
    out.replaceChildren(nowCard(last, serviceName), tomorrowCard(last, serviceName));
  }

  main.replaceChildren(h("div", { class: "grid" },
    h("section", { class: "card", id: "staffing" },
      h("h2", {}, t("mgr-tab-staffing")),
      h("p", {}, t("mgr-staff-intro")),
      h("label", { class: "field" }, h("span", {}, t("mgr-staff-target")), input),
      go,
      h("p", { class: "muted" }, t("mgr-staff-method"))),
    out));
  advise();
  return draw;
}

function mins(secs) {
  return Math.ceil(secs / 60);
}

function nowCard(a, serviceName) {
  const n = a.now;
  const parts = [h("h2", {}, t("mgr-staff-now"))];
  if (!n.open.length && n.reachable) {
    parts.push(h("p", { id: "staffing-now" }, t("mgr-staff-now-ok", { target: a.target_minutes, longest: mins(n.longest_wait_secs) })));
  } else {
    if (n.open.length) {
      parts.push(h("p", { id: "staffing-now" }, count("mgr-staff-now-open", n.open.length, { target: a.target_minutes })));
      parts.push(h("ul", { id: "staffing-open" }, n.open.map((c) =>
        h("li", { dataset: { counter: String(c.counter) } }, h("strong", {}, names(c.name)), " — ", c.services.map(serviceName).join(listSep())))));
      if (n.reachable) parts.push(h("p", {}, t("mgr-staff-now-after", { longest: mins(n.longest_after_secs) })));
    }
    if (!n.reachable) parts.push(h("p", { class: "warn", id: "staffing-short" }, t("mgr-staff-now-short", { longest: mins(n.longest_after_secs) })));
  }
  if (n.over_target.length) parts.push(h("p", { class: "muted" }, t("mgr-staff-over", { list: n.over_target.map(serviceName).join(listSep()) })));
  return h("section", { class: "card" }, ...parts);
}

/** Counters needed per hour: a bar per hour (simulation), a tick for Erlang C. */
function chart(hours) {
  const svg = document.createElementNS(SVG, "svg");
  const max = Math.max(1, ...hours.map((x) => Math.max(x.counters, x.erlang_c)));
  const w = 40 * hours.length, H = 160;
  svg.setAttribute("viewBox", `0 0 ${w} ${H + 20}`);
  svg.setAttribute("id", "staffing-chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("mgr-staff-chart"));
  const rtl = currentLang() === "ar";
  hours.forEach((x, i) => {
    const slot = rtl ? hours.length - 1 - i : i;
    const bh = (x.counters / max) * H;
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", String(slot * 40 + 6));
    rect.setAttribute("y", String(H - bh));
    rect.setAttribute("width", "28");
    rect.setAttribute("height", String(Math.max(1, bh)));
    rect.setAttribute("fill", "#0b5d57");
    const tick = document.createElementNS(SVG, "line");
    const ey = H - (x.erlang_c / max) * H;
    tick.setAttribute("x1", String(slot * 40 + 2));
    tick.setAttribute("x2", String(slot * 40 + 38));
    tick.setAttribute("y1", String(ey));
    tick.setAttribute("y2", String(ey));
    tick.setAttribute("stroke", "#b3261e");
    tick.setAttribute("stroke-width", "2");
    const n = document.createElementNS(SVG, "text");
    n.setAttribute("x", String(slot * 40 + 20));
    n.setAttribute("y", String(Math.max(12, H - bh - 4)));
    n.setAttribute("text-anchor", "middle");
    n.setAttribute("font-size", "12");
    n.textContent = formatNumber(x.counters);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", String(slot * 40 + 20));
    label.setAttribute("y", String(H + 16));
    label.setAttribute("text-anchor", "middle");
    label.setAttribute("font-size", "12");
    label.textContent = formatNumber(x.hour);
    svg.append(rect, tick, n, label);
  });
  return svg;
}

function tomorrowCard(a, serviceName) {
  const plan = a.tomorrow;
  const parts = [h("h2", {}, t("mgr-staff-tomorrow", { day: plan.day }))];
  if (!plan.hours.length) {
    parts.push(h("p", { class: "empty", id: "staffing-no-history" }, t("mgr-staff-no-history")));
    return h("section", { class: "card" }, ...parts);
  }
  parts.push(chart(plan.hours), h("p", { class: "muted" }, t("mgr-staff-legend")));
  const head = [t("mgr-staff-col-hour"), t("mgr-staff-col-arrivals"), t("mgr-staff-col-counters"), t("mgr-staff-col-erlang"), t("mgr-staff-col-services")];
  const rows = plan.hours.map((x) => h("tr", {},
    h("td", { class: "num" }, formatNumber(x.hour)),
    h("td", { class: "num" }, formatNumber(Math.round(x.arrivals))),
    h("td", { class: "num" }, formatNumber(x.counters)),
    h("td", { class: "num" }, formatNumber(x.erlang_c)),
    h("td", {}, x.services.filter((s) => s.counters > 0).map((s) => `${serviceName(s.service)} ${formatNumber(s.counters)}`).join(listSep()))));
  parts.push(h("div", { class: "table-wrap" },
    h("table", { class: "data", id: "staffing-table" },
      h("thead", {}, h("tr", {}, head.map((x) => h("th", {}, x)))),
      h("tbody", {}, rows))));
  return h("section", { class: "card" }, ...parts);
}
