/// <reference lib="esnext.disposable" />
// employment-link — type declarations (hand-written, precise; the runtime is Rust → wasm).
export * from "./validate.js";

// ---- The link flow client (issue: "Link + MFA flow through the integrator's proxy") ----------
export { EmploymentLink } from "./client.js";
export type {
  ErrorCategory, LinkError, TokenChallenge, BelvoLink, ErrorStep, LinkStep, ReadyStep, DataStep,
  ClientState, ClientEvent, EmploymentLinkOptions, CreateLinkParams,
} from "./client.js";
