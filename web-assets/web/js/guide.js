// The service guide's script (/c; queue-server/src/guide.rs renders the page, which reads
// without it). It filters the list as the citizen types, folding the text as the server's
// `guide::fold` does (so "شهاده" finds "شهادة"), and refreshes the waits every 30 seconds
// while the page is in view. A plain script, no module, nothing else to load.
(function () {
  "use strict";

  /** The server's `fold`: diacritics and tatweel dropped, أ إ آ ٱ → ا, ة → ه, ى ئ → ي, ؤ → و,
   *  Arabic-Indic digits Latin, Latin lower-case, anything else a space. */
  function fold(s) {
    let out = "";
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if ((c >= 0x64b && c <= 0x65f) || c === 0x670 || c === 0x640) continue;
      let x = ch;
      if ("أإآٱ".includes(ch)) x = "ا";
      else if (ch === "ة") x = "ه";
      else if (ch === "ى" || ch === "ئ") x = "ي";
      else if (ch === "ؤ") x = "و";
      else if (c >= 0x660 && c <= 0x669) x = String(c - 0x660);
      else if (!/[\p{L}\p{N}]/u.test(ch)) x = " ";
      out += x.toLowerCase();
    }
    return out.split(/\s+/).filter(Boolean).join(" ");
  }

  const input = document.getElementById("q");
  const services = Array.from(document.querySelectorAll("details.service"));
  const noMatch = document.getElementById("no-match");
  const cats = document.querySelector("nav.cats");

  function filter() {
    const words = fold(input.value).split(" ").filter(Boolean);
    let shown = 0;
    for (const d of services) {
      const key = d.dataset.key || "";
      const ok = words.every((w) => key.includes(w));
      d.hidden = !ok;
      if (ok) shown += 1;
    }
    for (const section of document.querySelectorAll("section.category")) {
      section.hidden = !section.querySelector("details.service:not([hidden])");
    }
    if (noMatch) noMatch.hidden = shown > 0;
    if (cats) cats.hidden = words.length > 0;
  }
  if (input) {
    // "input" as the citizen types; "change" and "search" when the field is emptied at once
    // (the field's own clear button, a cleared form).
    for (const event of ["input", "change", "search"]) input.addEventListener(event, filter);
  }

  async function refresh() {
    if (document.hidden) return;
    try {
      const r = await fetch(`/c/waits.json?lang=${document.body.dataset.lang}`, { cache: "no-store" });
      if (!r.ok) return;
      const data = await r.json();
      for (const [code, s] of Object.entries(data.services)) {
        for (const el of document.querySelectorAll(`[data-live="${CSS.escape(code)}"]`)) el.textContent = s.line;
        for (const el of document.querySelectorAll(`[data-wait="${CSS.escape(code)}"]`)) el.textContent = s.wait;
        const d = document.getElementById(code);
        if (d) {
          d.classList.remove("closed", "unserved");
          if (s.tone) d.classList.add(s.tone);
        }
      }
      const updated = document.getElementById("updated");
      if (updated) updated.textContent = data.updated;
    } catch (_) {
      // Offline for a moment: the page keeps the figures it has and tries again.
    }
  }
  setInterval(refresh, 30000);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
})();
