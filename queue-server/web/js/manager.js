// The manager's console. The shell: header, language switch, sign-in with the shared
// session, reconnection. The manager views (watch_dashboard, …) are built on this by the
// manager console's own work (issue 5).

import { Connection } from "./conn.js";
import { setLang, preferredLang, t } from "./i18n.js";
import { h, mountHeader, showStatus, setCenter, setUser } from "./ui.js";
import { showSignIn, signedOut } from "./signin.js";

const main = document.getElementById("main");
await setLang(preferredLang());
document.title = `${t("app-name")} — ${t("manager-title")}`;
mountHeader(document.getElementById("header"), { titleId: "manager-title" });

const conn = new Connection({
  client: "web-manager",
  onStatus: showStatus,
  onSignedOut: (code) => signedOut(main, conn, code, signedIn),
  onReady: (welcome) => {
    setCenter(welcome.center);
    if (welcome.role === "manager") signedIn({ username: welcome.user });
    else showSignIn(main, conn, signedIn);
  },
});

function signedIn(session) {
  setUser(session.display_name || session.username, async () => {
    await conn.logout().catch(() => {});
    signedOut(main, conn, null, signedIn);
  });
  main.replaceChildren(h("p", { class: "card", id: "manager-home" }, t("manager-signed-in")));
}

conn.start();
