/**
 * Prints the top self-time and inclusive-time functions of a `.cpuprofile` written by
 * `node --cpu-prof`: `node benches/profile/top.mjs <file.cpuprofile> [n]`.
 */
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node benches/profile/top.mjs <file.cpuprofile> [n]');
const n = Number(nArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((node) => [node.id, node]));
const dt = new Map();
// Sample k lasted timeDeltas[k + 1]; attribute it to the sampled node.
for (let k = 0; k < prof.samples.length; k++) {
  const id = prof.samples[k];
  dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[k + 1] ?? 0));
}
const parent = new Map();
for (const node of prof.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const label = (node) => {
  const f = node.callFrame;
  const file = f.url ? f.url.replace(/^.*\/(dist|ts|benches|node_modules)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
};
const self = new Map();
const total = new Map();
let all = 0;
for (const [id, us] of dt) {
  all += us;
  const key = label(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + us);
  // Inclusive time: once per distinct frame on the stack (recursion counted once).
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const k = label(byId.get(p));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}
const show = (title, m) => {
  console.log(`${title} (of ${(all / 1000).toFixed(0)} ms sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / all).toFixed(1).padStart(5)}%  ${k}`);
  }
};
show('self time', self);
console.log();
show('inclusive time', total);
