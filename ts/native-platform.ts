/**
 * Which prebuilt addon this machine needs, and the error that says what to do when it is
 * missing. Kept apart from the loader so it can be read (and tested) without loading the addon.
 * @internal
 */
import { NativeBindingError } from './errors.js';

/** The platforms a prebuilt binary is published for (`napi.targets` in package.json). */
export const PREBUILT_PLATFORMS = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'linux-x64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
] as const;

function isMusl(): boolean {
  // glibc reports its version in the process report; musl has none.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return !report?.header?.glibcVersionRuntime;
}

/** This machine as napi-rs names platforms: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ... */
export function hostPlatform(): string {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** The napi loader's "Cannot find native binding" wraps the attempts in `cause`; its own advice does not apply. */
function attempts(err: unknown): unknown {
  return err instanceof Error && err.message.startsWith('Cannot find native binding') ? err.cause : err;
}

/** First line of each attempt, without the WebAssembly fallbacks that are never shipped. */
function causes(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = err; e instanceof Error && out.length < 16; e = e.cause) {
    const line = e.message.split('\n')[0]!;
    if (!/wasi|wasm32/.test(line)) out.push(line);
  }
  return out;
}

/**
 * The error for an addon that did not load: names the platform, the package looked for and
 * the two ways out (install the package, or build from source).
 */
export function nativeBindingError(cause: unknown, installed: (pkg: string) => boolean): NativeBindingError {
  const platform = hostPlatform();
  const supported = (PREBUILT_PLATFORMS as readonly string[]).includes(platform);
  const pkg = supported ? `@ferrotrade/binding-${platform}` : undefined;
  const fromSource =
    'or build the addon from source in a clone of ferrotrade with `npm ci && npm run build:native` ' +
    '(needs a Rust toolchain) and point NAPI_RS_NATIVE_LIBRARY_PATH at the .node file it writes in bindings/.';
  let what: string;
  if (!pkg) {
    what =
      `No prebuilt binary is published for ${platform} (there are for ${PREBUILT_PLATFORMS.join(', ')}): ` +
      fromSource.replace(/^or b/, 'B');
  } else if (!installed(pkg)) {
    what =
      `It looked for the package ${pkg}, which is not installed (an install with --omit=optional or ` +
      `--no-optional leaves it out). Install it: \`npm install ${pkg}\`, ${fromSource}`;
  } else {
    what =
      `The package ${pkg} is installed but its binary did not load (see below: a different version of ` +
      `ferrotrade, or a system too old for it). Reinstall it at ferrotrade's version: \`npm install ${pkg}\`, ${fromSource}`;
  }
  const detail = causes(attempts(cause));
  const message =
    `ferrotrade's native addon could not be loaded on ${platform} (Node ${process.versions.node}). ${what}` +
    (detail.length ? `\nAttempts:\n  ${detail.join('\n  ')}` : '');
  const err = new NativeBindingError(message, platform, pkg);
  err.cause = attempts(cause);
  return err;
}
