/** docs/indicators.md lists every indicator as `ta.list()` describes it. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { withTable } from './support/indicator-table.js';
import { familyReferences, withReference } from './support/indicator-pages.js';

it('the indicator table of docs/indicators.md is up to date (npx tsx scripts/indicator-docs.ts)', () => {
  const doc = readFileSync(new URL('../docs/indicators.md', import.meta.url), 'utf8');
  expect(doc).toBe(withTable(doc));
});

it.each([...familyReferences()])('docs/indicators/%s is up to date (npx tsx scripts/indicator-docs.ts)', (file, reference) => {
  const doc = readFileSync(new URL(`../docs/indicators/${file}`, import.meta.url), 'utf8');
  expect(doc).toBe(withReference(doc, reference));
});
