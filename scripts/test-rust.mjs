// Runs the Rust test suites (`npm run test:rust`). `napi build` compiles the addon for an explicit
// `--target` (the host's triple), which puts its artifacts under target/<triple>/; a plain
// `cargo test` would compile every dependency again under target/release/. Testing for the same
// explicit target reuses what the addon build already compiled (minutes on a fresh checkout).
import { execFileSync, spawnSync } from 'node:child_process';

const host = /^host: (\S+)$/m.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))?.[1];
if (!host) throw new Error('could not read the host triple from `rustc -vV`');
const crates = ['ferrotrade-core', 'ferrotrade-store', 'ferrotrade-columnar'];
const args = ['test', ...crates.flatMap((c) => ['-p', c]), '--release', '--target', host, ...process.argv.slice(2)];
const run = spawnSync('cargo', args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
