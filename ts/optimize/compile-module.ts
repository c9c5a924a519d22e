/**
 * TypeScript strategy modules for worker threads. A sweep's threads import the strategy module
 * by URL; when it is TypeScript and the threads run ferrotrade's JavaScript build (an installed
 * package), they cannot load it the way the parent did (tsx, ts-node or Node's type stripping
 * register their hooks for the main thread only). So the parent compiles the module once with
 * esbuild (the compiler tsx itself uses) and hands the threads the JavaScript.
 * @internal
 */
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type * as Esbuild from 'esbuild';

import { requirePeer } from '../optional-peer.js';

/** File names a worker thread cannot import without a TypeScript loader. */
const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/i;

/** Whether `module` (a path or file URL) names a TypeScript file. */
export function isTypeScriptModule(module: string): boolean {
  if (module.startsWith('file:')) return TYPESCRIPT.test(fileURLToPath(module));
  // Another scheme (data:, http:) is not a file; a Windows drive letter (C:\\) is a path.
  if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return false;
  return TYPESCRIPT.test(module);
}

/**
 * Compiles the TypeScript module at `module` into one ES module, returned as a `data:` URL that
 * a thread can import. Its own relative imports are bundled in; packages (`ferrotrade` itself
 * included) stay imports, of the very files the parent resolves, so the threads share the
 * installed ferrotrade. `import.meta.url` keeps the source's URL (files next to the strategy
 * resolve as before).
 */
export async function compileForWorkers(module: string): Promise<string> {
  const esbuild = requirePeer<typeof Esbuild>('esbuild', 'sweeps of TypeScript strategy modules on worker threads');
  const path = module.startsWith('file:') ? fileURLToPath(module) : module;
  const packagesAsAbsoluteImports: Esbuild.Plugin = {
    name: 'packages-as-absolute-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
        if (found.errors.length > 0) return { errors: found.errors };
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
  const out = await esbuild.build({
    entryPoints: [path],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    keepNames: true, // strategies are named by their class in results and messages
    sourcemap: 'inline',
    logLevel: 'silent',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path).href) },
    plugins: [packagesAsAbsoluteImports],
  });
  const code = out.outputFiles[0]!.text;
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}
