#!/usr/bin/env node
'use strict';
// npm's `install` step of stripe-identity: makes sure a native addon for this platform exists.
//
// When native.js already loads (the prebuilt package for this platform was installed as an
// optional dependency, or an earlier install built the addon), nothing happens. Otherwise the
// addon is built from source with cargo (release profile) and copied to the file name native.js
// looks for, without @napi-rs/cli (a devDependency, not installed for users). The sources are
// the repository's (`npm install <repo>/bindings-node`) or, in the released tarball, rust/: a
// cargo workspace of core and this crate that `make dist` puts there.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { platformSuffix } = require('../platform.js');

const PKG = path.resolve(__dirname, '..');
const CRATE_LIB = 'stripe_identity_node';

function log(message) {
  process.stderr.write(`stripe-identity: ${message}\n`);
}

function loads() {
  const probe = spawnSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(path.join(PKG, 'native.js'))})`],
    {
      stdio: 'ignore',
    },
  );
  return probe.status === 0;
}

function libraryFile() {
  if (process.platform === 'win32') return `${CRATE_LIB}.dll`;
  if (process.platform === 'darwin') return `lib${CRATE_LIB}.dylib`;
  return `lib${CRATE_LIB}.so`;
}

function findCargo() {
  const candidates = [process.env.CARGO, 'cargo', path.join(os.homedir(), '.cargo', 'bin', 'cargo')];
  for (const candidate of candidates.filter(Boolean)) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

function main() {
  if (process.env.STRIPE_IDENTITY_SKIP_BUILD === '1') return;
  if (loads()) return;
  const cargo = findCargo();
  if (!cargo) {
    log(
      'no prebuilt addon for this platform and no cargo to build one: install Rust (https://rustup.rs) and retry',
    );
    process.exit(1);
  }
  const packed = path.join(PKG, 'rust', 'bindings-node', 'Cargo.toml');
  const manifest = fs.existsSync(packed) ? packed : path.join(PKG, 'Cargo.toml');
  log(`no prebuilt addon for ${platformSuffix()}: building it from source with cargo (a few minutes)`);
  const build = spawnSync(cargo, ['build', '--release', '--lib', '--manifest-path', manifest], {
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (build.status !== 0) {
    log('cargo build failed (see above)');
    process.exit(build.status || 1);
  }
  const meta = spawnSync(
    cargo,
    ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (meta.status !== 0) {
    log(`cargo metadata failed: ${meta.stderr}`);
    process.exit(1);
  }
  const targetDir = process.env.CARGO_TARGET_DIR || JSON.parse(meta.stdout).target_directory;
  const built = path.join(targetDir, 'release', libraryFile());
  const dest = path.join(PKG, `stripe-identity.${platformSuffix()}.node`);
  // Copy to a temporary name first, so a concurrent load never sees half a file.
  fs.copyFileSync(built, `${dest}.tmp`);
  fs.renameSync(`${dest}.tmp`, dest);
  if (!loads()) {
    log(`built ${dest}, but native.js still does not load it`);
    process.exit(1);
  }
  // A build of the packed sources leaves its target folder inside node_modules: drop it.
  if (manifest === packed && !process.env.CARGO_TARGET_DIR) {
    fs.rmSync(path.join(PKG, 'rust', 'target'), { recursive: true, force: true });
  }
  log(`built ${path.basename(dest)}`);
}

main();
