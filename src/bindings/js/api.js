// employment-link — everything the main entry exports: the identifier validators (id.js) and
// the Belvo link-flow client (client.js). The entry modules instantiate the wasm and attach it.
export * from "./id.js";
export * from "./client.js";
