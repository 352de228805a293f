const root = new URL(".", import.meta.url).pathname;
export default {
  root,
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Two pages: index.html imports both entries; validate.html only `employment-link/validate`.
    rollupOptions: { input: { index: root + "index.html", validate: root + "validate.html" } },
  },
};
