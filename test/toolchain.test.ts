/**
 * The Node versions the package promises (`engines`) are ones its dependencies and its build
 * tools support: a user on the lowest promised Node can install it and build it from source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import semver from 'semver';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

describe('engines', () => {
  const lowest = semver.minVersion(pkg.engines.node)!.version;

  it.each(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }))('%s runs on the lowest Node the package promises', (name) => {
    // Read from node_modules directly: some packages do not export their package.json.
    const manifest = JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { engines?: { node?: string } };
    const wants = manifest.engines?.node;
    if (wants) expect(semver.satisfies(lowest, wants), `${name} wants Node ${wants}; package.json promises ${pkg.engines.node}`).toBe(true);
  });

  it('the platform packages promise the same', () => {
    for (const target of ['linux-x64-gnu', 'darwin-arm64', 'win32-x64-msvc']) {
      const manifest = JSON.parse(readFileSync(new URL(`../npm/${target}/package.json`, import.meta.url), 'utf8'));
      expect(manifest.engines.node).toBe(pkg.engines.node);
    }
  });
});
