'use strict';
// The package's declarations (src/index.d.ts) match its run-time exports: every value they
// declare exists, with the same kind, and nothing exported goes undeclared.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const ts = require('typescript');
const sdk = require('..');

const INDEX = path.join(__dirname, '..', 'src', 'index.d.ts');

/** The value exports of the declarations, by name: 'class', 'function' or 'const'. */
function declaredValues() {
  const program = ts.createProgram([INDEX], { strict: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(INDEX));
  const kinds = new Map();
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & ts.SymbolFlags.Class) kinds.set(exported.name, 'class');
    else if (symbol.flags & ts.SymbolFlags.Function) kinds.set(exported.name, 'function');
    else if (symbol.flags & ts.SymbolFlags.Variable) kinds.set(exported.name, 'const');
  }
  return kinds;
}

test('every value the declarations export exists at run time, as a class, function or constant', () => {
  const declared = declaredValues();
  assert.ok(declared.size > 40, `only ${declared.size} values declared`);
  const wrong = [...declared].filter(([name, kind]) => {
    const value = sdk[name];
    if (kind === 'const') return value === undefined || typeof value === 'function';
    return typeof value !== 'function' || (kind === 'class') !== /^class\b/.test(Function.prototype.toString.call(value));
  });
  assert.deepEqual(wrong, [], 'declared, but missing or of another kind at run time');
});

test('every run-time export is declared', () => {
  const declared = declaredValues();
  const undeclared = Object.keys(sdk).filter((name) => !declared.has(name));
  assert.deepEqual(undeclared, [], 'exported by src/index.js, missing from src/index.d.ts');
});
