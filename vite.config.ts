import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The renderer is built once into dist/ and served from the app's own origin
// (app:// in Electron, 127.0.0.1 in browser mode); assets/ (glyphs) is copied as is.
export default defineConfig({
  root: r('./renderer'),
  base: './',
  publicDir: r('./assets/public'),
  plugins: [react()],
  build: {
    outDir: r('./dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
});
