// The Belvo link-flow client: the JS driver (driver.js) over this module's Rust `FlowCore`.
// Re-exported by api.js.
import { FlowCore } from "./web/employment_link.js";
import { clientClass } from "./driver.js";

export const EmploymentLink = clientClass(FlowCore);
