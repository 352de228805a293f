// The Belvo link-flow client: the JS driver (driver.js) over this module's Rust core (the
// `elf_*` exports). Re-exported by api.js; the entry modules attach the wasm instance first.
import { clientClass, coreClass } from "./driver.js";

let core = null;

/** @internal Called once by the entry module with the instantiated module's exports. */
export function __attachCore(exports) {
  core = coreClass(exports);
}

// The driver only calls `open` and `problem` on the class itself.
export const EmploymentLink = clientClass({
  open: (options, keys) => core.open(options, keys),
  problem: (options, keys) => core.problem(options, keys),
});
