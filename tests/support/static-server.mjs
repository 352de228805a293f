// A tiny static file server for browser tests (127.0.0.1 only).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { createHash } from "node:crypto";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json",
  ".png": "image/png", ".svg": "image/svg+xml",
};

/**
 * The strict Content-Security-Policy that pages named `*.csp.html` are served with: what an
 * integrator's onboarding page would send (no inline code except the page's own inline scripts,
 * allowed by hash, e.g. an import map; wasm compilation allowed; requests to the page's own
 * origin only).
 */
export function strictCsp(html) {
  const hashes = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Serves `root` on a random loopback port. Returns { url, close }. */
export async function serve(root, port = 0) {
  const server = createServer(async (req, res) => {
    // A stand-in proxy for pages that only need one successful `createLink` (strict.csp.html):
    // Belvo's 201 for the sandbox institution.
    if (req.method === "POST" && req.url === "/stub-proxy/api/links/") {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "0d3ffb69-f83b-456e-ad8e-208d0998d71d", institution: "planet_mx_employment",
        access_mode: "single", status: "valid", created_at: "2026-11-23T10:00:00.000Z" }));
      return;
    }
    try {
      let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (path.includes("..")) throw new Error("bad path");
      let file = join(root, path);
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
      if (file.endsWith(".csp.html")) headers["content-security-policy"] = strictCsp(String(body));
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  const bound = server.address().port;
  return { url: `http://127.0.0.1:${bound}`, close: () => new Promise((r) => server.close(r)) };
}
