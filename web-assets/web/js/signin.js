// Staff sign-in, shared by the clerk and manager consoles: a form while nobody is signed in,
// the session kept in sessionStorage by the connection (conn.js), sign-out in the header.

import { h, act, toast, setUser } from "./ui.js";
import { t, translateDom } from "./i18n.js";
import { sessionToken } from "./conn.js";

/** Renders the sign-in form into `root`; resolves nothing, calls onSignedIn(session) on success. */
export function showSignIn(root, conn, onSignedIn) {
  const user = h("input", { name: "username", id: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false", dir: "ltr" });
  const pass = h("input", { name: "password", id: "password", type: "password", autocomplete: "current-password", required: true, dir: "ltr" });
  const submit = h("button", { type: "submit", class: "primary big", id: "signin-submit", "data-i18n": "signin-submit" });
  const form = h("form", { class: "card signin", id: "signin-form" },
    h("h1", { "data-i18n": "signin-title" }),
    h("label", { for: "username", "data-i18n": "signin-username" }), user,
    h("label", { for: "password", "data-i18n": "signin-password" }), pass,
    submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.textContent = t("signin-busy");
    const session = await act(submit, t("signin-submit"), () => conn.login(user.value.trim(), pass.value));
    submit.textContent = t("signin-submit");
    if (session) {
      pass.value = "";
      onSignedIn(session);
    } else {
      pass.select();
    }
  });
  root.replaceChildren(form);
  translateDom(form);
  user.focus();
}

/** Whether this tab holds a session token (it may still be refused at hello). */
export function hasSession() {
  return !!sessionToken();
}

export function signedOut(root, conn, code, onSignedIn) {
  setUser(null);
  if (code) toast(t("signin-again"), "error");
  showSignIn(root, conn, onSignedIn);
}
