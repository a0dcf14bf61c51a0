// The ticket page's "text me" box: a citizen leaves a mobile number for messages about this
// ticket (near their turn, when called), in the page's language. Shown only where the center
// sends messages (the server says so in `welcome`) and while the ticket waits. The number is
// sent once and never shown back whole: the server answers with its last two digits.

import { t, currentLang, errorText } from "./i18n.js";
import { h, act } from "./ui.js";

// The same element across redraws (the page redraws on every update): what is being typed stays.
let box = null;
let boxLang = null;

export function phoneBox(conn, token) {
  if (box && boxLang === currentLang()) return box;
  boxLang = currentLang();
  box = build(conn, token);
  return box;
}

function build(conn, token) {
  const key = `tabour-phone-${token}`;
  const kept = sessionStorage.getItem(key);
  if (kept) {
    return h("section", { class: "phone kept", id: "phone" },
      h("div", {}, t("phone-kept", { masked: kept })));
  }
  const input = h("input", {
    type: "tel", id: "phone-number", inputmode: "tel", autocomplete: "tel", dir: "ltr",
    placeholder: "01X XXXX XXXX", maxlength: "20", "aria-describedby": "phone-help",
  });
  const error = h("div", { class: "phone-error", id: "phone-error", role: "alert" });
  const button = h("button", { type: "submit", id: "phone-save" }, t("phone-save"));
  const form = h("form", { class: "phone", id: "phone" },
    h("label", { for: "phone-number" }, t("phone-title")),
    h("div", { class: "phone-help", id: "phone-help" }, t("phone-help")),
    h("div", { class: "phone-row" }, input, button),
    error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    let refused = null;
    const r = await act(button, t("phone-save"), async () => {
      try {
        return await conn.request("leave_phone", { token, phone: input.value, lang: currentLang() });
      } catch (err) {
        // Said beside the field (a mistyped number), not only in a passing message.
        if (err.code === "invalid_phone") { refused = err; return undefined; }
        throw err;
      }
    });
    if (refused) { error.textContent = errorText(refused.code); input.focus(); return; }
    if (!r) return;
    sessionStorage.setItem(key, r.masked);
    box = build(conn, token);
    form.replaceWith(box);
  });
  return form;
}
