import { defineConfig } from 'tsup';

export default defineConfig({
  // The sweep worker is its own entry: worker threads start it by file. The `ferrotrade`
  // command (package.json `bin`) is one too.
  entry: { index: 'ts/index.ts', worker: 'ts/optimize/worker.ts', cli: 'ts/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // `import.meta.url` locates the addon loader; tsup shims it in the CommonJS build.
  shims: true,
});
