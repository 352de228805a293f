export default {
  root: new URL(".", import.meta.url).pathname,
  logLevel: "warn",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
};
