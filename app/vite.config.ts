import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The dev and preview servers also proxy /rpc to the local node (BALLAST_RPC_URL, default
// http://127.0.0.1:8899), so deployment.json may say "rpcUrl": "/rpc" where the node sends no
// CORS headers.
const rpcTarget = process.env.BALLAST_RPC_URL ?? "http://127.0.0.1:8899";
const proxy = { "/rpc": { target: rpcTarget, changeOrigin: true, rewrite: (path: string) => path.replace(/^\/rpc/, "") } };

// The wallet UI's stylesheet imports a font from a remote host: drop it (no third-party requests;
// the system font stack applies).
const noRemoteFonts = {
  name: "ballast-no-remote-fonts",
  transform(code: string, id: string) {
    if (id.includes("wallet-adapter-react-ui") && id.endsWith(".css")) {
      return { code: code.replace(/@import url\([^)]*fonts\.googleapis[^)]*\);?/g, ""), map: null };
    }
    return null;
  },
};

export default defineConfig({
  plugins: [react(), noRemoteFonts],
  server: { port: 5173, strictPort: false, proxy },
  preview: { port: 4173, proxy },
  build: { target: "es2022", chunkSizeWarningLimit: 1500, sourcemap: false },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
