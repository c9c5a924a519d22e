/** Rewrites the indicator table of docs/indicators.md from `ta.list()`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withTable } from '../test/support/indicator-table.js';

const path = new URL('../docs/indicators.md', import.meta.url);
writeFileSync(path, withTable(readFileSync(path, 'utf8')));
