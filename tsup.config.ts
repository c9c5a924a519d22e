import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'ts/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // `import.meta.url` locates the addon loader; tsup shims it in the CommonJS build.
  shims: true,
});
