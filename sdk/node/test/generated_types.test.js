'use strict';
// The TypeScript types checked in under types/proto are exactly what `npm run gen-types`
// generates from protos/ (regenerated into a temporary directory and compared file by file).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generateTypes } = require('../scripts/gen_types');

const CHECKED_IN = path.join(__dirname, '..', 'types', 'proto');
const REGENERATE = 'npm run gen-types --workspace @stepway/sdk';

/** Every file under `dir`, by its path relative to `dir`, with its text. */
function files(dir) {
  const found = new Map();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name); // .path before Node 20.12
    found.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
  }
  return found;
}

/** One line per file that is missing from, extra in, or different in `checkedIn`. */
function differences(checkedIn, fresh) {
  const ours = files(checkedIn);
  const theirs = files(fresh);
  const names = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  return names.flatMap((name) => {
    if (!ours.has(name)) return [`${name}: missing from the checkout`];
    if (!theirs.has(name)) return [`${name}: not produced from protos/`];
    return ours.get(name) === theirs.get(name) ? [] : [`${name}: differs from the generated types`];
  });
}

function report(problems) {
  return `types/proto is stale:\n${problems.map((p) => `  ${p}`).join('\n')}\nregenerate it with: ${REGENERATE}`;
}

function withTempDir(use) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepway-types-'));
  try {
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the checked-in types/proto is what the protos generate', () => {
  withTempDir((dir) => {
    generateTypes(dir);
    const problems = differences(CHECKED_IN, dir);
    assert.deepEqual(problems, [], report(problems));
  });
});

test('a stale, missing or extra generated file is reported by name', () => {
  withTempDir((dir) => {
    const fresh = path.join(dir, 'fresh');
    const stale = path.join(dir, 'stale');
    generateTypes(fresh);
    fs.cpSync(fresh, stale, { recursive: true });
    fs.appendFileSync(path.join(stale, 'stepway', 'v1', 'Instance.ts'), '// edited\n');
    fs.rmSync(path.join(stale, 'stepway', 'v1', 'Step.ts'));
    fs.writeFileSync(path.join(stale, 'Extra.ts'), 'export {};\n');
    assert.deepEqual(differences(stale, fresh), [
      'Extra.ts: not produced from protos/',
      `${path.join('stepway', 'v1', 'Instance.ts')}: differs from the generated types`,
      `${path.join('stepway', 'v1', 'Step.ts')}: missing from the checkout`,
    ]);
  });
});
