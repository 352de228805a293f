export interface LinkError {
  category: ErrorCategory;
  /** Belvo's code (`login_error`, …), the proxy's, or local: `network_error`, `timeout`, `cancelled`, `invalid`, `required`, `not_json`, `unparseable`, `data_timeout`, … */
  code: string;
  /** Which known institution message it was (e.g. `nss_not_found`), or the validation code of a rejected username. */
  reason?: string;
  /** HTTP status; 0 when nothing was answered. */
  status: number;
  /** Localised message for the person (es/pt/en). */
  message: string;
  /** Developer detail (PII-scrubbed). */
  detail: string;
  requestId: string | null;
  field?: string;
  retryAfterSeconds?: number;
}
export interface TokenChallenge {
  type: "numeric" | "text" | "qr" | "inputless" | string;
  instructions: string | null;
  value: string | null;
  expectsUserInput: boolean;
  /** ISO-8601 UTC, when Belvo gave an expiry. */
  expiresAt: string | null;
  expiresInSeconds: number | null;
  linkId: string;
}
/** Belvo's link object, field names as Belvo sends them. */
export interface BelvoLink {
  id: string; institution: string | null; access_mode: string | null; status: string | null;
  refresh_rate: string | null; created_by: string | null; last_accessed_at: string | null;
  created_at: string | null; external_id: string | null; institution_user_id: string | null;
  credentials_storage: string | null; stale_in: string | null; fetch_resources: string[];
}
export type ErrorStep = { status: "error"; error: LinkError };
export type LinkStep =
  | { status: "linked"; link: BelvoLink }
  | { status: "token_required"; challenge: TokenChallenge }
  | ErrorStep;
export type ReadyStep = { status: "ready" } & { [resource: string]: number | "ready" };
/** `deleteLink()`: Belvo deleted the link (and its data); the client is back to `idle`. */
export type DeleteStep = { status: "deleted"; linkId: string } | ErrorStep;
export type DataStep<T = Record<string, unknown>> =
  | { status: "ok"; resource: string; count: number; results: T[]; truncated: boolean }
  | ErrorStep;
export interface ClientState {
  status: ClientStatus;
  busy: boolean;
  institution?: string;
  linkId?: string;
  challenge?: TokenChallenge;
  counts?: { [resource: string]: number };
  error?: LinkError;
}
export type ClientEvent = { at: number } & (
  | { type: "state"; state: ClientState["status"] }
  | { type: "request"; method: "GET" | "POST" | "PATCH" | "DELETE"; path: string }
  | { type: "response"; httpStatus: number }
  | { type: "retry"; attempt: number; delayMs: number; code: string }
  | { type: "token_required"; linkId: string }
  | { type: "linked"; linkId: string }
  | { type: "data_ready"; counts: { [resource: string]: number } }
  | { type: "error"; error: LinkError }
  | { type: "cancelled" }
);
export interface EmploymentLinkOptions {
  /** Your backend (never Belvo itself). */
  proxyUrl: string;
  headers?: Record<string, string>;
  credentials?: "omit" | "same-origin" | "include";
  locale?: "es" | "pt" | "en" | string;
  /** Per-request timeout, default 60000. */
  timeoutMs?: number;
  retry?: { max?: number; baseMs?: number };
  waitTimeoutMs?: number;
  maxPages?: number;
  pageSize?: number;
  onEvent?: (e: ClientEvent) => void;
}
export interface CreateLinkParams {
  institution: Institution | (string & {});
  username: string;
  password?: string;
  externalId?: string;
  fetchResources?: string[];
}
