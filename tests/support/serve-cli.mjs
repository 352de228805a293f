// node serve-cli.mjs <dir> <port>: serve a directory on 127.0.0.1 until Ctrl-C.
import { serve } from "./static-server.mjs";
const [dir, port] = process.argv.slice(2);
const s = await serve(dir, Number(port));
console.log(`serving ${dir} at ${s.url}/  (Ctrl-C to stop)`);
process.on("SIGINT", async () => { await s.close(); process.exit(0); });
