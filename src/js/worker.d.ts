/** Cloudflare Worker env read by the proxy. */
export interface EmploymentLinkEnv {
  /** `emulator` (default when no secret is set) | `sandbox` | `production`. */
  BELVO_ENV?: "emulator" | "sandbox" | "production";
  BELVO_SECRET_ID?: string;
  BELVO_SECRET_PASSWORD?: string;
  /** Authorization value Belvo sends on webhooks. */
  WEBHOOK_TOKEN?: string;
  /** HMAC key for link capabilities and attempt-guard keys. */
  LINK_KEY?: string;
  /** Comma-separated exact origins allowed by CORS. */
  ALLOWED_ORIGINS?: string;
  /** KV namespace for webhook events and attempt counters. */
  EMPLOYMENT_LINK_KV?: unknown;
  [key: string]: unknown;
}
/** Minimal execution context (waitUntil). */
export interface EmploymentLinkContext {
  waitUntil(promise: Promise<unknown>): void;
}
/** Handles one request. */
export function fetch(request: Request, env: EmploymentLinkEnv, ctx: EmploymentLinkContext): Promise<Response>;
/** One row of the emulator's scenario table. */
export interface EmulatorScenario { [field: string]: unknown }
/** The emulator's scenario table. */
export function scenarios(): EmulatorScenario[] | { [key: string]: unknown };
declare const handler: { fetch: typeof fetch };
export default handler;
