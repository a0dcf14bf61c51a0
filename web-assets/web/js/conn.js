// The websocket connection every page uses: hello (with the staff session kept in
// sessionStorage), request/reply by id, pushed frames, reconnection with backoff.
// docs/protocol.md describes the frames. The `welcome` carries the center's digits and time zone,
// which format.js writes every number, date and time with.

import { setCenterStyle } from "./format.js";

const SESSION_KEY = "tabour.session";
const PROTOCOL = 2;
const REQUEST_TIMEOUT_MS = 20000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10000;

/** A failed request: `code` is a protocol error code (or connection_lost / not_connected). */
export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export function sessionToken() {
  return sessionStorage.getItem(SESSION_KEY);
}

/**
 * new Connection({client, onReady, onFrame, onStatus, onSignedOut})
 * - onReady(welcome): after every successful hello (first connect and each reconnect):
 *   watch again what the page follows.
 * - onFrame(frame): every frame that is not a reply (snapshot, delta, ticket_update, view_update).
 * - onStatus({state: "connecting"|"online"|"offline", retryInMs}).
 * - onSignedOut(code): the staff session was refused or ended (sign in again).
 */
export class Connection {
  constructor(opts) {
    this.opts = opts;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();
    this.ready = false;
    this.backoff = BACKOFF_MIN_MS;
    this.welcome = null;
    this.retryTimer = null;
  }

  start() {
    this.connect();
  }

  /** Reconnects at once when the socket is down (the page shown again, the network back). */
  wake() {
    if (this.ws) return;
    this.backoff = BACKOFF_MIN_MS;
    this.connect();
  }

  status(state, retryInMs) {
    this.opts.onStatus?.({ state, retryInMs });
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.status("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => this.greet();
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ready = false;
      this.ws = null;
      this.failPending("connection_lost");
      const wait = Math.round(this.backoff * (0.75 + Math.random() * 0.5));
      this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
      this.status("offline", wait);
      this.retryTimer = setTimeout(() => this.connect(), wait);
    };
  }

  async greet() {
    const token = sessionToken();
    let welcome;
    try {
      welcome = await this.send({ type: "hello", protocol: PROTOCOL, client: this.opts.client, ...(token ? { auth: { kind: "session", token } } : {}) });
    } catch (e) {
      if (token && (e.code === "bad_credentials" || e.code === "session_expired")) {
        sessionStorage.removeItem(SESSION_KEY);
        this.opts.onSignedOut?.(e.code);
        try {
          welcome = await this.send({ type: "hello", protocol: PROTOCOL, client: this.opts.client });
        } catch {
          this.ws?.close();
          return;
        }
      } else {
        this.ws?.close();
        return;
      }
    }
    this.ready = true;
    this.backoff = BACKOFF_MIN_MS;
    this.welcome = welcome;
    setCenterStyle(welcome);
    this.status("online");
    this.opts.onReady?.(welcome);
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.type !== "reply") {
      this.opts.onFrame?.(frame);
      return;
    }
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.ok) {
      p.resolve(frame.ok);
    } else {
      const code = frame.error?.code || "internal";
      if (sessionToken() && p.type !== "login" && (code === "session_expired" || code === "unauthenticated")) {
        sessionStorage.removeItem(SESSION_KEY);
        this.opts.onSignedOut?.(code);
      }
      p.reject(new RequestError(code, frame.error?.message));
    }
  }

  /** Sends one request on the open socket, before or after hello. */
  send(body) {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject(new RequestError("not_connected"));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        // No answer in time: its fate is unknown. Start over on a fresh connection.
        this.pending.delete(id);
        reject(new RequestError("connection_lost"));
        ws.close();
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer, type: body.type });
      ws.send(JSON.stringify({ id, ...body }));
    });
  }

  /** A request after hello: resolves with the reply's `ok` body, rejects with RequestError. */
  request(type, fields = {}) {
    if (!this.ready) return Promise.reject(new RequestError("not_connected"));
    return this.send({ type, ...fields });
  }

  failPending(code) {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RequestError(code));
    }
    this.pending.clear();
  }

  async login(username, password) {
    const session = await this.request("login", { username, password });
    sessionStorage.setItem(SESSION_KEY, session.token);
    return session;
  }

  async logout() {
    try {
      await this.request("logout");
    } finally {
      sessionStorage.removeItem(SESSION_KEY);
    }
  }
}
