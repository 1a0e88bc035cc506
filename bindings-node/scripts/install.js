#!/usr/bin/env node
'use strict';
// npm's `install` step of stripe-identity: makes sure a native addon for this platform exists.
//
// When native.js already loads (a prebuilt `.node` file for this platform ships in the
// package, or an earlier install built one), nothing happens. Otherwise the addon is built from
// source with cargo (release profile) and copied to the file name native.js looks for, so
// `npm install <path>/bindings-node` works on any machine with Rust, without @napi-rs/cli
// (a devDependency, not installed for users). The crate builds inside its cargo workspace, so
// the package must be installed from the repository's folder (npm links it there).

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

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

/** The suffix native.js (napi-rs) uses for this platform: linux-x64-gnu, darwin-arm64, ... */
function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report?.getReport?.();
    const glibc = report?.header?.glibcVersionRuntime;
    const abi = glibc ? 'gnu' : 'musl';
    return arch === 'arm' ? `linux-arm-${abi}eabihf` : `linux-${arch}-${abi}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  if (platform === 'android') return arch === 'arm' ? 'android-arm-eabi' : `android-${arch}`;
  return `${platform}-${arch}`;
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
  const manifest = path.join(PKG, 'Cargo.toml');
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
  log(`built ${path.basename(dest)}`);
}

main();
