import { defineConfig } from 'tsup';

export default defineConfig({
  // The sweep worker is its own entry: worker threads start it by file. The `ferrotrade`
  // command (package.json `bin`) is one too.
  entry: { index: 'ts/index.ts', worker: 'ts/optimize/worker.ts', cli: 'ts/cli/main.ts' },
  format: ['esm', 'cjs'],
  // Declarations only for the public entry: the worker and the command are started by file and
  // import nothing typed from users. One entry also keeps the declaration bundler from splitting a
  // shared chunk, across which it turns type-only namespace members into values (TS2693).
  dts: { entry: { index: 'ts/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // `import.meta.url` locates the addon loader; tsup shims it in the CommonJS build.
  shims: true,
});
