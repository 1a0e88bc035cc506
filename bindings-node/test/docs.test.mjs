// The README's quickstart (between its START/END markers) and examples/quickstart.mjs are run
// as they are, so the documentation cannot drift from the package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(file, env = {}) {
  return execFileSync(process.execPath, [file], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: PKG,
  });
}

test('the README quickstart runs', () => {
  const readme = fs.readFileSync(path.join(PKG, 'README.md'), 'utf8');
  const block = /<!-- START quickstart[^>]*-->\s*```js\n([\s\S]*?)```\s*<!-- END quickstart -->/.exec(readme);
  assert.ok(block, 'the README has a quickstart between START/END markers');
  // The temporary file lives outside the package, so the bare import is pointed at it.
  const code = block[1].replace(
    "from 'stripe-identity'",
    `from ${JSON.stringify(path.join(PKG, 'index.mjs'))}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-identity-readme-'));
  try {
    const file = path.join(dir, 'quickstart.mjs');
    fs.writeFileSync(file, code);
    const out = run(file);
    assert.match(out, /^verified Jenny$/m);
    assert.match(out, /^verification_session_unexpected_state 400$/m);
    assert.match(out, /^vs_/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('examples/quickstart.mjs runs', () => {
  const out = run(path.join(PKG, 'examples', 'quickstart.mjs'));
  assert.match(out, /verified {2}status=verified {2}report=vr_/);
  assert.match(out, /redacted {2}redaction=redacted/);
  assert.match(out, /listed {4}26 sessions/);
});
