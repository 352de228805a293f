// employment-link — the link-flow client's JS driver: `new EmploymentLink(options)`.
//
// It only moves bytes. Every decision (option checks, username validation, which request,
// retries and backoff, pagination, readiness, error classification, the state and the events)
// is made by the Rust core behind `FlowCore` (src/bindings/client.rs, src/flow/). This file
// runs the core's actions with the global `fetch` (looked up at call time, so one code path
// serves windows, workers, Node and workerd), `setTimeout` and an `AbortController`. Values
// cross as JSON text. Passwords and tokens exist only in the one `send` action that carries
// them to `fetch`; nothing here logs.
//
// `clientClass(coreClass(exports))` builds the class over a wasm instance's exports (client.js
// does it for the package; the wasm-bindgen tests do it with their own module's exports).

const CAPABILITY_HEADER = "X-Link-Capability";
// `onFailure` kinds (src/bindings/client.rs).
const NETWORK = 0, TIMEOUT = 1, ABORTED = 2;

function codedError(code, message) {
  const e = new Error(message);
  e.name = "EmploymentLinkError";
  e.code = code;
  return e;
}

/** `JSON.stringify`, or "null" for what it cannot write (BigInt, cycles, `undefined`). */
function json(v) {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    return "null";
  }
}

/**
 * The wasm half's plain exports (`elf_*`, src/bindings/client.rs) as a `FlowCore` class: text
 * goes in as UTF-8 through the input buffer (several strings one after the other, their byte
 * lengths as arguments) and comes back as a length into the output buffer.
 */
export function coreClass(X) {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  // A client that is garbage-collected without `free()` releases its slot all the same
  // (where the engine has FinalizationRegistry).
  const slots = typeof FinalizationRegistry === "function" ? new FinalizationRegistry((h) => X.elf_free(h)) : null;
  /** Writes the strings (null/undefined: absent, -1) into the input buffer; their lengths. */
  const put = (...strs) => {
    let max = 0;
    for (const s of strs) if (s != null) max += s.length * 3; // UTF-8 ≤ 3 bytes per unit
    const p = X.elf_in(max);
    // No memory for it (a body of hundreds of MB): empty strings, which the core refuses.
    const buf = p === 0 ? new Uint8Array(0) : new Uint8Array(X.memory.buffer, p, max);
    let at = 0;
    return strs.map((s) => {
      if (s == null) return -1;
      const n = enc.encodeInto(s, buf.subarray(at)).written;
      at += n;
      return n;
    });
  };
  const text = (n) => dec.decode(new Uint8Array(X.memory.buffer, X.elf_out(), n));

  return class FlowCore {
    #h;
    constructor(h) {
      this.#h = h;
      slots?.register(this, h, this);
    }
    static problem(options, keys) {
      return text(X.elf_problem(...put(options, keys)));
    }
    static open(options, keys) {
      const h = X.elf_open(...put(options, keys));
      return h === 0 ? undefined : new FlowCore(h);
    }
    free() {
      const h = this.#h;
      this.#h = 0;
      if (h !== 0) {
        slots?.unregister(this);
        X.elf_free(h);
      }
    }
    base() {
      return text(X.elf_base(this.#h));
    }
    createLink(params, now) {
      return text(X.elf_create_link(this.#h, ...put(params), now));
    }
    submitToken(token, now) {
      return text(X.elf_submit_token(this.#h, ...put(token), now));
    }
    waitForData(timeoutMs, now) {
      return text(X.elf_wait_for_data(this.#h, timeoutMs, now));
    }
    fetch(resource, now) {
      return text(X.elf_fetch(this.#h, ...put(resource), now));
    }
    onResponse(ticket, status, body, capability, retryAfter, now) {
      const [b, c, r] = put(body, capability, retryAfter);
      return text(X.elf_on_response(this.#h, ticket, status, b, c, r, now));
    }
    onFailure(ticket, kind, now) {
      return text(X.elf_on_failure(this.#h, ticket, kind, now));
    }
    onWake(ticket, now) {
      return text(X.elf_on_wake(this.#h, ticket, now));
    }
    isLive(ticket) {
      return X.elf_is_live(this.#h, ticket) === 1;
    }
    takeEvents() {
      return text(X.elf_take_events(this.#h));
    }
    state() {
      return text(X.elf_state(this.#h));
    }
    cancel(now) {
      return X.elf_cancel(this.#h, now) === 1;
    }
    restart(now) {
      X.elf_restart(this.#h, now);
    }
  };
}

/** The `EmploymentLink` class over a `FlowCore` class (see `coreClass`). */
export function clientClass(FlowCore) {
  return class EmploymentLink {
    #core;
    #base;
    #onEvent;
    /** What aborts the I/O in flight: `{ abort() }` or null. */
    #inflight = null;
    /** Operations being driven, and whether `free()` was called (the core is released when
     * the last one has settled). */
    #running = 0;
    #freed = false;

    constructor(options) {
      const fail = (field, detail) => {
        const e = codedError("invalid_options", detail);
        e.category = "integration";
        e.field = field;
        return e;
      };
      if (options === null || typeof options !== "object") {
        throw fail("options", "options must be an object with a proxyUrl");
      }
      const text = json(options);
      const keys = json(Object.keys(options));
      const core = FlowCore.open(text, keys);
      if (core === undefined) {
        const p = JSON.parse(FlowCore.problem(text, keys));
        throw fail(p.field, p.detail);
      }
      const onEvent = options.onEvent;
      if (onEvent != null && typeof onEvent !== "function") {
        core.free();
        throw fail("onEvent", "onEvent must be a function");
      }
      this.#core = core;
      this.#base = JSON.parse(core.base());
      this.#onEvent = onEvent ?? null;
    }

    /** `createLink({institution, username, password?, externalId?, fetchResources?})`. */
    createLink(params) {
      if (this.#freed) return this.#gone();
      return this.#start(this.#core.createLink(json(params), Date.now()));
    }

    /** `submitToken(token)`. */
    submitToken(token) {
      if (this.#freed) return this.#gone();
      if (token != null && typeof token !== "string") {
        return Promise.reject(codedError("invalid_options", "the token must be a string"));
      }
      return this.#start(this.#core.submitToken(token ?? "", Date.now()));
    }

    /** `waitForData({timeoutMs?})`. */
    waitForData(options) {
      if (this.#freed) return this.#gone();
      let t = -1;
      if (options !== null && typeof options === "object" && options.timeoutMs !== undefined) {
        t = options.timeoutMs;
        if (typeof t !== "number" || !(t >= 0) || t === Infinity) {
          return Promise.reject(codedError("invalid_options", "timeoutMs must be a non-negative number"));
        }
      }
      return this.#start(this.#core.waitForData(t, Date.now()));
    }

    /** MX employment records, every page. */
    employmentRecords() {
      return this.#fetch("EMPLOYMENT_RECORDS");
    }

    /** BR employments, every page. */
    employments() {
      return this.#fetch("EMPLOYMENTS");
    }

    /** Owners, every page. */
    owners() {
      return this.#fetch("OWNERS");
    }

    /** MX employment metrics (IMSS). */
    employmentMetrics() {
      return this.#fetch("EMPLOYMENT_METRICS");
    }

    /** The current state (no secrets, no identifiers). */
    get state() {
      if (this.#freed) throw this.#freedError();
      return JSON.parse(this.#core.state());
    }

    /** Aborts the call in flight (it resolves as `cancelled`); whether there was one. */
    cancel() {
      if (this.#freed) return false;
      const cancelled = this.#core.cancel(Date.now());
      this.#abort();
      this.#emit();
      return cancelled;
    }

    /** Forgets the link, challenge and capabilities; back to `idle`. */
    restart() {
      if (this.#freed) return;
      this.#core.restart(Date.now());
      this.#abort();
      this.#emit();
    }

    /** Cancels what is in flight and releases the wasm memory (garbage collection does it
     * otherwise). Afterwards every call rejects or throws `invalid_state`. */
    free() {
      if (this.#freed) return;
      this.cancel();
      this.#freed = true;
      if (this.#running === 0) this.#core.free();
    }

    [Symbol.dispose]() {
      this.free();
    }

    #freedError() {
      return codedError("invalid_state", "this client was freed");
    }

    #gone() {
      return Promise.reject(this.#freedError());
    }

    #fetch(resource) {
      if (this.#freed) return this.#gone();
      return this.#start(this.#core.fetch(resource, Date.now()));
    }

    /** Hands the core's pending events to `onEvent` (what it throws is ignored). */
    #emit() {
      const events = JSON.parse(this.#core.takeEvents());
      const cb = this.#onEvent;
      if (cb !== null) {
        for (const e of events) {
          try {
            cb(e);
          } catch {
            // The integrator's handler must not break the flow.
          }
        }
      }
    }

    #abort() {
      const i = this.#inflight;
      this.#inflight = null;
      if (i !== null) i.abort();
    }

    #start(text) {
      const a = JSON.parse(text);
      if (a.misuse !== undefined) {
        this.#emit();
        return Promise.reject(codedError(a.misuse.code, a.misuse.message));
      }
      return this.#run(a);
    }

    /** Runs the core's actions until it is done; resolves with the step. */
    async #run(action) {
      this.#running++;
      try {
        return await this.#drive(action);
      } finally {
        // A `free()` made meanwhile releases the core once nothing uses it any more.
        if (--this.#running === 0 && this.#freed) this.#core.free();
      }
    }

    async #drive(action) {
      // One microtask first: a `cancel()` made synchronously after the call stops the
      // request before it leaves.
      await undefined;
      const core = this.#core;
      let last = null;
      for (;;) {
        this.#emit();
        let next;
        if (action.send !== undefined) {
          const req = action.send;
          if (core.isLive(req.ticket)) {
            next = await this.#exchange(req);
            last = req;
          } else {
            next = core.onFailure(req.ticket, ABORTED, Date.now());
          }
        } else if (action.retry !== undefined) {
          const { ticket, afterMs } = action.retry;
          const woke = await this.#sleep(afterMs);
          next = last !== null && woke && core.isLive(ticket)
            ? await this.#exchange(last)
            : core.onFailure(ticket, ABORTED, Date.now());
        } else if (action.sleep !== undefined) {
          const { ticket, ms } = action.sleep;
          next = (await this.#sleep(ms))
            ? core.onWake(ticket, Date.now())
            : core.onFailure(ticket, ABORTED, Date.now());
        } else {
          this.#emit();
          return action.done;
        }
        action = JSON.parse(next);
      }
    }

    /** Waits `ms`; false when woken early by `cancel()`/`restart()`. */
    #sleep(ms) {
      return new Promise((resolve) => {
        const slot = {
          abort() {
            clearTimeout(timer);
            resolve(false);
          },
        };
        const timer = setTimeout(() => {
          if (this.#inflight === slot) this.#inflight = null;
          resolve(true);
        }, ms);
        this.#inflight = slot;
      });
    }

    /** Sends one request and feeds the outcome to the core: the next action's text. */
    async #exchange(req) {
      const ctrl = new AbortController();
      // The timer aborts with its own reason, which tells a timeout from a cancel.
      const reason = new Error("employment-link:timeout");
      const timer = setTimeout(() => ctrl.abort(reason), req.timeoutMs);
      const slot = { abort: () => ctrl.abort() };
      this.#inflight = slot;
      const b = this.#base;
      let answer = null;
      try {
        // Inside the `try`: an integrator header that `Headers` refuses is a failed request.
        const headers = new Headers(b.headers);
        if (req.capability !== null) headers.set(CAPABILITY_HEADER, req.capability);
        const init = { method: req.method, headers, signal: ctrl.signal };
        if (req.body !== null) {
          headers.set("Content-Type", "application/json");
          init.body = req.body;
        }
        if (b.credentials !== null) init.credentials = b.credentials;
        const resp = await fetch(b.url + req.path, init);
        const h = resp.headers;
        const cap = h.get(CAPABILITY_HEADER) ?? undefined;
        const retryAfter = h.get("Retry-After") ?? undefined;
        answer = [resp.status, await resp.text(), cap, retryAfter];
      } catch {
        // Network error, CORS, abort, a bad header or URL: told apart below.
      }
      clearTimeout(timer);
      if (this.#inflight === slot) this.#inflight = null;
      const now = Date.now();
      if (answer !== null) {
        return this.#core.onResponse(req.ticket, answer[0], answer[1], answer[2], answer[3], now);
      }
      const s = ctrl.signal;
      const kind = !s.aborted ? NETWORK : s.reason === reason ? TIMEOUT : ABORTED;
      return this.#core.onFailure(req.ticket, kind, now);
    }
  };
}
