// The kiosks' printers on the manager's dashboard: which kiosk, what is wrong, since when (the
// server's `printers` in the dashboard view: every kiosk whose printer is not ready). The
// duration is measured between the view's own instants, so the page reads no clock.

import { t, clockTime, minutes } from "./i18n.js";
import { h } from "./ui.js";

/** The card's body for a dashboard view: a table of faults, or a line saying all is well. */
export function printersView(dash) {
  const faults = dash?.printers || [];
  if (!faults.length) return h("p", { class: "muted", id: "printers-ok" }, t("mgr-printers-ok"));
  const at = Date.parse(dash.at);
  const rows = faults.map((p) => h("tr", { dataset: { device: p.device, status: p.status } },
    h("td", {}, p.device),
    h("td", {}, h("span", { class: "badge printer-fault" }, t(`printer-status-${p.status}`))),
    h("td", {}, p.detail || ""),
    h("td", {}, t("mgr-printer-since", { time: clockTime(p.since), duration: minutes(Math.max(0, (at - Date.parse(p.since)) / 1000)) }))));
  return h("div", { class: "table-wrap" },
    h("table", { class: "data", id: "printers" },
      h("thead", {}, h("tr", {}, [t("mgr-col-kiosk"), t("mgr-col-printer"), t("mgr-col-detail"), t("mgr-col-since")].map((x) => h("th", {}, x)))),
      h("tbody", {}, rows)));
}
