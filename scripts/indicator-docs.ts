/**
 * Rewrites the indicator table of docs/indicators.md and the generated reference of every
 * family page docs/indicators/*.md from `ta.list()`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { withTable } from '../test/support/indicator-table.js';
import { familyReferences, withReference } from '../test/support/indicator-pages.js';

const path = new URL('../docs/indicators.md', import.meta.url);
writeFileSync(path, withTable(readFileSync(path, 'utf8')));
for (const [file, reference] of familyReferences()) {
  const page = new URL(`../docs/indicators/${file}`, import.meta.url);
  const doc = existsSync(page) ? readFileSync(page, 'utf8') : `# ${file}\n`;
  writeFileSync(page, withReference(doc, reference));
}
