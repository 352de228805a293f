// <employment-link-widget proxy-url="/" locale="es"> — an onboarding step that links a person's
// employment record (IMSS, ISSSTE, INSS or Belvo's sandbox) through the integrator's proxy.
// Built only on the public API of the `employment-link` package (resolved by the page's import
// map or bundler). No dependencies; every piece of data is written with textContent.
//
// DOM events (bubbling, composed), never carrying a CURP, CPF, password or token:
//   success  {institution, link}       the link exists (Belvo's `callback(link, institution)`)
//   deleted  {institution, linkId}     with the `delete-link` attribute: the link was deleted at
//                                      Belvo after its data was shown
//   exit     {reason, step, institution, error?}   the person left the flow (cancel / exit)
//   event    the client's typed onEvent payload ({type, at, …})
import T from "./i18n.js";

// The institutions are the package's (`INSTITUTIONS`: name, country, username rule, password);
// this only adds how the widget presents each one. Filled when the package has loaded.
const INST = {};
function present({ name, country, username }) {
  const sandbox = username === "sandbox";
  // Belvo's sandbox institution stands in for IMSS.
  const office = sandbox ? "imss" : name.slice(0, name.indexOf("_"));
  return {
    name: sandbox ? "Planet (sandbox)" : office.toUpperCase(),
    kind: sandbox ? "any" : username,
    office,
    br: country === "BR" ? 1 : 0,
    // IMSS records carry weeks of contributions.
    weeks: office === "imss" ? 1 : 0,
  };
}
const TAGS = { es: "es-MX", pt: "pt-BR", en: "en-US" };
const NAMES = { es: "Español", pt: "Português", en: "English" };

// Load the package once; forget a failed load so that a retry loads it again.
let loading = null;
export function loadPackage() {
  return (loading ??= import("employment-link").catch((e) => {
    loading = null;
    throw e;
  }));
}

function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const k in props) {
    const v = props[k];
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...kids.flat(2).filter((x) => x != null && x !== false));
  return el;
}

const H2 = (text) => h("h2", { tabindex: "-1" }, text);
const row = (...buttons) => h("div", { class: "row" }, ...buttons);

// Importable where there is no DOM (SSR): the element is only defined in a browser.
const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

class EmploymentLinkWidget extends Base {
  static observedAttributes = ["locale"];

  constructor() {
    super();
    this.s = { view: "loading", inst: "imss_mx_employment", id: "", pw: "" };
    this.client = null;
    this.timers = [];
  }

  get locale() {
    const l = (this.getAttribute("locale") || "").slice(0, 2).toLowerCase();
    return T[l] ? l : "es";
  }

  t(key, ...args) {
    const v = T[this.locale][key];
    return typeof v === "function" ? v(...args) : v;
  }

  connectedCallback() {
    // Moved in the DOM: the flow in flight was cancelled on disconnect, so start from the form.
    if (this.root) return this.pkg && this.go(/progress|mfa/.test(this.s.view) ? "form" : this.s.view, {}, false);
    const r = (this.root = this.attachShadow({ mode: "open" }));
    this.$title = h("p", { class: "t" });
    this.$langLabel = h("label", { for: "lang" });
    this.$lang = h("select", { id: "lang", onchange: (e) => this.setAttribute("locale", e.target.value) },
      Object.keys(T).map((l) => h("option", { value: l, lang: l }, NAMES[l])));
    this.$live = h("div", { class: "sr", role: "status", "aria-live": "polite" });
    this.main = h("div", {});
    this.w = h("section", { class: "w", "aria-labelledby": "title" },
      h("header", {}, this.$title, h("div", { class: "lang" }, this.$langLabel, this.$lang)),
      this.main, this.$live);
    this.$title.id = "title";
    // The styles are a separate file next to this module (no inline styles: CSP-friendly).
    const css = h("link", { rel: "stylesheet", href: this.getAttribute("stylesheet") || new URL("widget.css", import.meta.url).href });
    // Hidden until the styles apply (no flash of unstyled content), but never for good: a sheet
    // that neither loads nor fails within 4 s (a stalled connection) no longer hides the form.
    this.w.hidden = true;
    const show = () => {
      clearTimeout(cssTimer);
      this.w.hidden = false;
    };
    const cssTimer = setTimeout(show, 4000);
    css.onload = css.onerror = show;
    r.append(css, this.w);
    this.localize();
    this.load();
  }

  disconnectedCallback() {
    this.stop();
    this.drop();
  }

  attributeChangedCallback(_n, old, v) {
    if (old !== v && this.w) {
      this.$live.textContent = "";
      this.localize();
      this.render(false);
    }
  }

  localize() {
    const l = this.locale;
    this.w.lang = l;
    this.$title.textContent = this.t("title");
    this.$langLabel.textContent = this.t("lang");
    this.$lang.value = l;
  }

  async load() {
    this.go("loading");
    try {
      this.pkg = await loadPackage();
      for (const i of this.pkg.INSTITUTIONS) INST[i.name] ??= present(i);
      this.go("form", {}, false);
    } catch (e) {
      console.error("[employment-link-widget] the package failed to load", e);
      this.go("loadError");
    }
  }

  // ---- navigation -----------------------------------------------------------------------

  go(view, patch = {}, focus = true) {
    Object.assign(this.s, patch, { view });
    this.render(focus);
  }

  render(focus) {
    this.stop();
    const active = this.root.activeElement?.id;
    const v = (this.w.dataset.view = this.s.view);
    this.main.replaceChildren(...[this["v_" + v]()].flat(2).filter(Boolean));
    if (v === "progress") this.every(() => (this.$elapsed.textContent = this.t("elapsed", this.secs())));
    if (v === "mfa") this.every(() => this.countdown(), true);
    const again = !focus && active && active !== "lang" && this.root.getElementById(active);
    if (again) again.focus();
    else if (focus || this.$focus) (this.$focus || this.main.querySelector("h2"))?.focus();
    this.$focus = null;
  }

  every(fn, now) {
    if (now) fn();
    this.timers.push(setInterval(fn, 1000));
  }

  stop() {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  say(msg) {
    this.$live.textContent = "";
    setTimeout(() => (this.$live.textContent = msg), 50);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  get I() {
    return INST[this.s.inst];
  }

  allowed() {
    const a = this.getAttribute("institutions");
    const list = a ? a.split(/[\s,]+/).filter((k) => INST[k]) : [];
    return list.length ? list : Object.keys(INST);
  }

  // ---- formatting -----------------------------------------------------------------------

  fmtDate(d, opts = { dateStyle: "medium" }) {
    const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(d || "");
    if (!m) return d || "";
    return new Intl.DateTimeFormat(TAGS[this.locale], { ...opts, timeZone: "UTC" })
      .format(Date.UTC(+m[1], +m[2] - 1, +(m[3] || 1)));
  }

  fmtMoney(n, cur) {
    if (typeof n !== "number") return "";
    try {
      return new Intl.NumberFormat(TAGS[this.locale], { style: "currency", currency: cur || "MXN" }).format(n);
    } catch {
      return String(n);
    }
  }

  secs() {
    return Math.round((Date.now() - this.s.started) / 1000);
  }

  // ---- views ----------------------------------------------------------------------------

  v_loading() {
    return h("p", { class: "hint" }, this.t("loading"));
  }

  v_loadError() {
    return [h("p", { class: "bad" }, this.t("loadFailed")),
      this.btn("again", "tryAgain", () => this.load())];
  }

  v_form() {
    const s = this.s, I = this.I, kind = I.kind, err = s.fieldErr || {};
    const insts = this.allowed();
    if (!insts.includes(s.inst)) s.inst = insts[0];
    const idIn = (this.$id = h("input", {
      type: "text", id: "id", name: "username", class: "mono", autocomplete: "off", spellcheck: "false",
      autocapitalize: kind === "cpf" ? "off" : "characters", inputmode: kind === "cpf" ? "numeric" : null,
      "aria-describedby": "id-hint id-fb", oninput: () => this.check(),
    }));
    idIn.value = s.id;
    const f = h("form", { novalidate: true, onsubmit: (e) => (e.preventDefault(), this.submit()) },
      insts.length > 1 && h("fieldset", {},
        h("legend", {}, this.t("instLegend")),
        insts.map((k) => h("div", { class: "opt" },
          h("input", { type: "radio", name: "inst", id: "i-" + k, value: k, checked: k === s.inst, onchange: () => this.pick(k) }),
          h("label", { for: "i-" + k }, this.t("inst_" + k))))),
      h("label", { class: "f", for: "id" }, this.t("idLabel_" + kind)),
      h("p", { class: "hint", id: "id-hint" }, this.t("idHint_" + kind)),
      idIn,
      (this.$mirror = h("div", { class: "mirror mono", "aria-hidden": "true" })),
      (this.$fb = h("div", { class: "fb", id: "id-fb", "aria-live": "polite" })));
    if (I.br) {
      const pw = (this.$pw = h("input", {
        type: "password", id: "pw", name: "password", autocomplete: "current-password",
        "aria-describedby": "pw-hint pw-fb", "aria-invalid": err.field === "pw" ? "true" : null,
        oninput: (e) => {
          s.pw = e.target.value;
          if (s.fieldErr?.field === "pw") this.fieldError(null);
        },
      }));
      pw.value = s.pw;
      f.append(h("label", { class: "f", for: "pw" }, this.t("pwLabel")),
        h("p", { class: "hint", id: "pw-hint" }, this.t("pwHint")), pw,
        (this.$pwFb = h("div", { class: "fb bad", id: "pw-fb", "aria-live": "polite" }, err.field === "pw" ? this.msg(err) : "")));
    } else this.$pw = this.$pwFb = null;
    f.append(h("p", { class: "consent", id: "consent" }, this.t("consent", I.name)),
      h("button", { type: "submit", id: "go", "aria-describedby": "consent" }, this.t("submit")));
    queueMicrotask(() => this.check());
    if (err.field) this.$focus = err.field === "pw" ? this.$pw : idIn;
    return f;
  }

  pick(k) {
    const kind = INST[k].kind, was = this.I.kind;
    this.s.inst = k;
    if ((kind === "cpf") !== (was === "cpf")) this.s.id = "";
    if (!INST[k].br) this.s.pw = "";
    this.s.fieldErr = null;
    this.render(false);
  }

  // As-you-type validation: the first impossible character is highlighted and explained.
  check() {
    const s = this.s, p = this.pkg, kind = this.I.kind, o = { locale: this.locale };
    if (!this.$id?.isConnected || !p) return;
    const v = (s.id = this.$id.value);
    if (s.fieldErr?.field === "id" && s.fieldErr.value !== v) s.fieldErr = null;
    let bad = null, value = v, ok = "", pending = "";
    if (v.trim()) {
      if (kind === "any") {
        const r = p.validateUsername(s.inst, v, o);
        value = r.value;
        if (r.valid) ok = this.curpInfo(p.validateCurp(v, o)) || this.t("anyOk");
        else if (r.error.code === "length" && value.length < 18) pending = this.t("toGo", 18 - value.length);
        else bad = r.error;
      } else {
        const full = (kind === "cpf" ? p.validateCpf : p.validateCurp)(v, o);
        const pre = (kind === "cpf" ? p.checkCpfPrefix : p.checkCurpPrefix)(v, o);
        value = full.value;
        if (!pre.ok) bad = pre.error;
        else if (full.valid) ok = kind === "cpf"
          ? this.t("cpfInfo", full.formatted, full.region, full.regionStates.join(", "))
          : this.curpInfo(full);
        else if (!pre.complete) pending = this.t("toGo", Math.max(1, (kind === "cpf" ? 11 : 18) - value.length));
        else bad = full.error;
      }
    }
    const fe = s.fieldErr?.field === "id" && s.fieldErr;
    if (fe) {
      // A rejected submit: re-validate (so the message follows the locale); else the server's message.
      const r = fe.local && p.validateUsername(s.inst, v, o);
      const m = r ? r.error : this.msg(fe) && { message: this.msg(fe), position: null };
      if (m) [bad, ok, pending] = [m, "", ""];
    }
    this.$id.setAttribute("aria-invalid", bad ? "true" : "false");
    const m = this.$mirror;
    m.replaceChildren();
    if (bad && bad.position != null && value) {
      const i = bad.position;
      m.append(value.slice(0, i), h("mark", {}, value.slice(i, i + 1) || " "), value.slice(i + 1));
    }
    const text = bad ? bad.message : ok || pending;
    this.$fb.className = "fb " + (bad ? "bad" : ok ? "ok" : "hint");
    if (this.$fb.textContent !== text) this.$fb.textContent = text;
  }

  curpInfo(r) {
    if (!r.valid) return "";
    return this.t("curpInfo", this.fmtDate(r.birthDate, { dateStyle: "long" }), this.t("sex_" + r.sex),
      r.bornAbroad ? this.t("abroad") : r.stateName);
  }

  // A message of the widget (by key: follows the locale), or of the client (in the locale the
  // client was created with: not shown in another one).
  msg(e) {
    return e.key ? this.t(e.key) : e.loc === this.locale ? e.msg : "";
  }

  own(e) {
    return { msg: e.message, loc: this.clientLocale };
  }

  fieldError(e) {
    this.s.fieldErr = e;
    if (this.$pwFb) {
      this.$pwFb.textContent = e?.field === "pw" ? this.msg(e) : "";
      this.$pw.setAttribute("aria-invalid", e?.field === "pw" ? "true" : "false");
    }
    this.check();
  }

  // ---- the flow -------------------------------------------------------------------------

  drop() {
    const c = this.client;
    this.client = null;
    // A delete in flight is left to finish: the person is done with that link either way.
    if (c && c === this.deleting) return;
    try {
      c?.cancel();
    } catch {}
  }

  asError(e) {
    return { category: "integration", code: e?.code || "exception", status: 0, message: "", detail: String(e?.message || e), requestId: null };
  }

  async submit() {
    const s = this.s, I = this.I, p = this.pkg;
    if (this.busy || !p) return;
    const r = p.validateUsername(s.inst, s.id, { locale: this.locale });
    if (!r.valid) {
      this.fieldError({ field: "id", local: 1, value: s.id });
      this.$id?.focus();
      return;
    }
    if (I.br && !s.pw) {
      this.fieldError({ field: "pw", key: "pwRequired" });
      this.$pw?.focus();
      return;
    }
    this.busy = true;
    this.drop();
    const client = (this.client = new p.EmploymentLink({
      proxyUrl: new URL(this.getAttribute("proxy-url") || "/", document.baseURI).href,
      locale: (this.clientLocale = this.locale),
      onEvent: (e) => client === this.client && this.onEvent(e),
    }));
    s.fieldErr = null;
    s.afterLink = false;
    this.go("progress", { phase: "creating", retry: null, started: Date.now(), challenge: null });
    this.say(this.t("phase_creating", I.name));
    const ext = this.getAttribute("external-id");
    let step;
    try {
      step = await client.createLink({ institution: s.inst, username: r.value, password: I.br ? s.pw : undefined, ...(ext ? { externalId: ext } : {}) });
    } catch (e) {
      step = { status: "error", error: this.asError(e) };
    }
    if (client === this.client) this.step(step);
  }

  onEvent(e) {
    this.emit("event", e);
    if (e.type === "retry" && this.s.view === "progress") {
      this.s.retry = { n: e.attempt, max: 3 };
      this.render(false);
      this.say(this.t("retrying", this.s.retry.n, this.s.retry.max));
    }
  }

  phase(p) {
    this.s.phase = p;
    this.s.retry = null;
    this.render(false);
    this.say(this.t("phase_" + p, this.I.name));
  }

  step(step, afterToken) {
    this.busy = false;
    if (step.status === "linked") return this.linked(step);
    if (step.status === "token_required") {
      const c = step.challenge || {};
      const secs = c.expiresInSeconds ?? (c.expiresAt ? (Date.parse(c.expiresAt) - Date.now()) / 1000 : null);
      this.go("mfa", { challenge: c, deadline: secs == null ? null : Date.now() + secs * 1000, tokenErr: afterToken ? { key: "wrongToken" } : null });
      if (afterToken) {
        this.$tok?.focus();
        this.say(this.t("wrongToken"));
      }
      return;
    }
    this.fail(step.error || this.asError(new Error("unexpected step")));
  }

  fail(e) {
    this.busy = false;
    const s = this.s;
    if (e.code === "cancelled") return;
    if (e.category === "integration") console.error("[employment-link-widget] integration error:", e.code, e.detail, e);
    if (e.category === "fix_input") {
      if (e.field === "token" || s.view === "mfa" || s.phase === "verifying") {
        if (s.challenge) return this.go("mfa", { tokenErr: this.own(e), deadline: s.deadline });
      }
      const pw = e.field === "password" || (this.I.br && e.field !== "username" && /credential/.test(e.reason || e.code));
      this.go("form", { fieldErr: { field: pw ? "pw" : "id", value: s.id, ...this.own(e) } });
      this.say(e.message);
      return;
    }
    if (e.category === "restart" && s.challenge && !s.afterLink) return this.go("expired");
    this.go("error", { error: e, errAt: Date.now() });
    this.say(this.root.querySelector("h2")?.textContent || e.message);
  }

  cancel() {
    const step = this.s.view;
    this.drop();
    this.busy = false;
    this.emit("exit", { reason: "cancelled", step, institution: this.s.inst });
    this.go("form", { challenge: null });
  }

  exit() {
    this.emit("exit", { reason: "error", step: this.s.view, institution: this.s.inst, error: this.s.error });
    this.go("form", { error: null });
  }

  async linked(step) {
    const s = this.s;
    s.pw = "";
    s.challenge = null;
    const { institution_user_id, ...link } = step.link || {};
    this.emit("success", { institution: s.inst, link });
    this.loadData();
  }

  async loadData() {
    const s = this.s, client = this.client, br = this.I.br;
    s.afterLink = true;
    this.busy = true;
    if (s.view !== "progress") this.go("progress", { started: Date.now() });
    this.phase("waiting");
    const run = async (f) => {
      try {
        return await f();
      } catch (e) {
        return { status: "error", error: this.asError(e) };
      }
    };
    const ready = await run(() => client.waitForData());
    if (client !== this.client) return;
    if (ready.status === "error") return this.fail(ready.error);
    this.phase("loading");
    const data = await run(() => (br ? client.employments() : client.employmentRecords()));
    if (client !== this.client) return;
    if (data.status === "error") return this.fail(data.error);
    const owners = await run(() => client.owners());
    if (client !== this.client) return;
    if (owners.status === "error") console.warn("[employment-link-widget] owners:", owners.error);
    this.busy = false;
    this.go("results", { data: data.results || [], truncated: data.truncated, owners: owners.results || [] });
    this.say(this.t("found", this.jobs().length));
    if (this.hasAttribute("delete-link")) this.deleteLink(client);
  }

  // With `delete-link`: once the data is shown, Belvo's copy is not needed any more.
  async deleteLink(client) {
    const institution = this.s.inst;
    this.deleting = client;
    let step;
    try {
      step = await client.deleteLink();
    } catch (e) {
      step = { status: "error", error: this.asError(e) };
    }
    if (this.deleting === client) this.deleting = null;
    if (step.status === "deleted") this.emit("deleted", { institution, linkId: step.linkId });
    else console.warn("[employment-link-widget] deleteLink:", step.error?.code, step.error);
  }

  async sendToken() {
    const s = this.s, c = s.challenge || {}, client = this.client;
    if (this.busy || !client) return;
    const input = c.expectsUserInput !== false;
    const tok = input ? (this.$tok?.value || "").trim() : "";
    if (input && !tok) {
      s.tokenErr = { key: "tokenRequired" };
      this.render(false);
      this.$tok.focus();
      return;
    }
    this.busy = true;
    this.phase("verifying");
    let step;
    try {
      step = await client.submitToken(input ? tok : null);
    } catch (e) {
      step = { status: "error", error: this.asError(e) };
    }
    if (client === this.client) this.step(step, true);
  }

  countdown() {
    const s = this.s;
    if (s.deadline == null || !this.$timer) return;
    const left = Math.max(0, Math.ceil((s.deadline - Date.now()) / 1000));
    const mm = Math.floor(left / 60), ss = String(left % 60).padStart(2, "0");
    this.$timer.textContent = this.t("expiresIn", `${mm}:${ss}`);
    if (left === 30) this.say(this.t("secondsLeft", 30));
    if (left === 0) {
      try {
        this.client?.restart();
      } catch {}
      this.go("expired");
    }
  }

  v_progress() {
    const s = this.s, n = this.I.name;
    const steps = ["connect", ...(this.I.br ? ["code"] : []), "wait", "load"];
    const cur = steps.indexOf({ creating: "connect", verifying: "code", waiting: "wait", loading: "load" }[s.phase]);
    return [H2(this.t("progressTitle")),
      h("p", { class: "status" }, s.retry ? this.t("retrying", s.retry.n, s.retry.max) : this.t("phase_" + s.phase, n)),
      h("div", { class: "bar", "aria-hidden": "true" }),
      h("ol", { class: "steps" }, steps.map((k, i) => h("li", { class: i < cur ? "done" : i === cur ? "cur" : null, "aria-current": i === cur ? "step" : null },
        this.t("step_" + k, n), i < cur ? h("span", { class: "sr" }, " " + this.t("done")) : i === cur ? h("span", { class: "sr" }, " " + this.t("now")) : null))),
      h("p", { class: "hint" }, this.t("slowHint")),
      (this.$elapsed = h("p", { class: "hint" }, this.t("elapsed", this.secs()))),
      row(this.btn("cancel", "cancel", () => this.cancel(), 1))];
  }

  v_mfa() {
    const s = this.s, c = s.challenge || {}, n = this.I.name, input = c.expectsUserInput !== false;
    // A token the person's app or device generates (inputless, as INSS asks) is digits too.
    const numeric = !c.type || c.type === "numeric" || c.type === "inputless";
    const prev = this.$tok?.isConnected ? this.$tok.value : "";
    this.$tok = input ? h("input", {
      type: "text", id: "tok", name: "token", class: "mono", autocomplete: "one-time-code", spellcheck: "false",
      inputmode: numeric ? "numeric" : null, autocapitalize: "off", "aria-describedby": s.deadline == null ? "tok-fb" : "tok-fb timer",
      "aria-invalid": s.tokenErr ? "true" : "false",
    }) : null;
    if (this.$tok) this.$tok.value = prev;
    return [H2(this.t("mfaTitle")),
      h("p", {}, this.t("mfaIntro", n)),
      c.instructions && h("div", { class: "box" }, h("p", { class: "hint" }, this.t("mfaFrom", n)), h("p", {}, c.instructions)),
      c.value && h("div", { class: "box" }, h("p", { class: "hint" }, this.t("mfaValue", n)), h("p", { class: "code mono" }, c.value)),
      (this.$timer = s.deadline == null ? null : h("p", { class: "timer", id: "timer", role: "timer" })),
      h("form", { novalidate: true, onsubmit: (e) => (e.preventDefault(), this.sendToken()) },
        input ? [h("label", { class: "f", for: "tok" }, this.t("tokenLabel")), this.$tok,
          h("div", { class: "fb bad", id: "tok-fb", "aria-live": "polite" }, s.tokenErr ? this.msg(s.tokenErr) : "")]
          : h("p", {}, this.t("inputless")),
        h("div", { class: "row" },
          h("button", { type: "submit", id: "verify" }, this.t(input ? "verify" : "continue")),
          this.btn("cancel", "cancel", () => this.cancel(), 1)))];
  }

  v_expired() {
    return [H2(this.t("expiredTitle")),
      h("p", {}, this.t("expiredText")),
      h("div", { class: "row" },
        this.btn("again", "newCode", () => (this.s.pw ? this.submit() : this.go("form"))),
        this.btn("back", "back", () => this.go("form"), 1))];
  }

  v_error() {
    const e = this.s.error, c = e.category, I = this.I, out = [], msg = this.own(e);
    const ref = e.requestId && h("p", { class: "hint" }, this.t("reference", e.requestId));
    if (c === "visit_office") {
      const o = I.office;
      out.push(H2(this.t("visitTitle", this.t("office_" + o))),
        h("p", {}, this.msg(msg)),
        h("h3", {}, this.t("where")), h("p", {}, this.t("where_" + o)),
        h("h3", {}, this.t("bring")), h("ul", {}, this.t("bring_" + o).map((x) => h("li", {}, x))),
        h("p", {}, this.t("visitAfter")), ref,
        row(this.btn("back", "back", () => this.go("form")), this.btn("exit", "exit", () => this.exit(), 1)));
    } else if (c === "retry_later") {
      const secs = e.retryAfterSeconds;
      let when = this.t("laterUnknown");
      if (secs > 0) {
        const rtf = new Intl.RelativeTimeFormat(TAGS[this.locale], { numeric: "auto" });
        const [v, u] = secs >= 72000 ? [Math.max(1, Math.round(secs / 86400)), "day"] : secs >= 3600 ? [Math.round(secs / 3600), "hour"]
          : secs >= 60 ? [Math.round(secs / 60), "minute"] : [secs, "second"];
        when = this.t("laterTitle", rtf.format(v, u));
      }
      const at = secs >= 3600 && new Date(this.s.errAt + secs * 1000);
      out.push(H2(when), h("p", {}, this.msg(msg)),
        at && h("p", {}, this.t("availableFrom", new Intl.DateTimeFormat(TAGS[this.locale], { dateStyle: "medium", timeStyle: "short" }).format(at))),
        ref, row(this.btn("back", "back", () => this.go("form")), this.btn("exit", "exit", () => this.exit(), 1)));
    } else if (c === "retry") {
      out.push(H2(this.t("retryTitle")), h("p", {}, this.msg(msg)), ref,
        row(this.btn("again", "tryAgain", () => (this.s.afterLink ? this.loadData() : this.submit())),
          this.btn("exit", "exit", () => this.exit(), 1)));
    } else if (c === "restart") {
      out.push(H2(this.t("restartTitle")), h("p", {}, this.msg(msg)),
        row(this.btn("again", "startAgain", () => this.go("form")), this.btn("exit", "exit", () => this.exit(), 1)));
    } else {
      out.push(H2(this.t("integrationTitle")), h("p", {}, this.t("integrationText")),
        row(this.btn("back", "back", () => this.go("form")), this.btn("exit", "exit", () => this.exit(), 1)));
    }
    return out;
  }

  btn(id, key, onclick, sec) {
    return h("button", { type: "button", id, class: sec ? "sec" : null, onclick }, this.t(key));
  }

  // MX: every employment of every employment-record profile; BR: the employments.
  jobs() {
    const d = this.s.data || [];
    const list = this.I.br ? d : d.flatMap((r) => r.employment_records || []);
    return [...list].sort((a, b) => String(b.start_date || "").localeCompare(String(a.start_date || "")));
  }

  v_results() {
    const s = this.s, br = this.I.br, jobs = this.jobs();
    const th = (k, n) => h("th", { scope: "col", role: "columnheader", class: n ? "n" : null }, this.t(k));
    const td = (k, v, n) => h("td", { role: "cell", "data-l": this.t(k), class: n ? "n" : null }, v);
    const out = [H2(this.t("resultsTitle")), h("p", { class: "hint" }, this.t("source", this.I.name))];
    const sum = !br && this.I.weeks && (s.data || []).map((r) => r.social_security_summary).find(Boolean);
    if (sum) {
      out.push(h("h3", {}, this.t("weeksTitle")), h("div", { class: "weeks" },
        ["contributed", "redeemed", "reinstated"].map((k) => sum["weeks_" + k] != null &&
          h("div", {}, h("strong", {}, String(sum["weeks_" + k])), this.t("weeks_" + k)))));
    }
    out.push(h("h3", { id: "jobs-h" }, this.t("jobs")));
    if (!jobs.length) out.push(h("p", {}, this.t("noJobs")));
    else {
      const rows = jobs.map((j) => {
        const sal = br ? [...(j.salaries || [])].sort((a, b) => String(b.month || "").localeCompare(String(a.month || ""))) : null;
        const last = br ? sal[0] || {} : { base_amount: j.most_recent_base_salary, currency: j.currency };
        const cur = last.currency || (br ? "BRL" : "MXN");
        return h("tr", { role: "row" },
          td("employer", [(br ? j.employer_data?.name : j.employer) || "—",
            br && sal.length > 1 && h("details", {}, h("summary", {}, this.t("salaries", sal.length)),
              h("table", {}, h("thead", {}, h("tr", {}, th("month"), th("amount", 1))),
                h("tbody", {}, sal.map((m) => h("tr", {}, h("td", {}, this.fmtDate(m.month, { month: "short", year: "numeric" })),
                  h("td", { class: "n" }, this.fmtMoney(m.base_amount, m.currency || cur)))))))]),
          td("start", this.fmtDate(j.start_date)),
          td("end", j.end_date ? this.fmtDate(j.end_date) : this.t("current")),
          td(br ? "salaryMonthly" : "salaryDaily", this.fmtMoney(last.base_amount, cur), 1),
          td("currency", cur));
      });
      out.push(h("div", { class: "scroll", role: "region", tabindex: "0", "aria-labelledby": "jobs-h" },
        h("table", { class: "jobs", role: "table" }, h("thead", { role: "rowgroup" }, h("tr", { role: "row" }, th("employer"), th("start"), th("end"), th(br ? "salaryMonthly" : "salaryDaily", 1), th("currency"))),
          h("tbody", { role: "rowgroup" }, rows))));
      if (s.truncated) out.push(h("p", { class: "hint" }, this.t("truncated")));
    }
    for (const o of s.owners || []) {
      const name = o.display_name || [o.first_name, o.last_name, o.second_last_name].filter(Boolean).join(" ");
      out.push(h("h3", {}, this.t("owner")), h("dl", {},
        [["name", name], ["email", o.email], ["phone", o.phone_number]].map(([k, v]) => v && [h("dt", {}, this.t(k)), h("dd", {}, v)])));
    }
    out.push(row(this.btn("another", "another", () => this.go("form", { id: "", pw: "", data: null, owners: null }))));
    return out;
  }
}

if (typeof customElements !== "undefined" && !customElements.get("employment-link-widget")) {
  customElements.define("employment-link-widget", EmploymentLinkWidget);
}
export { EmploymentLinkWidget };
