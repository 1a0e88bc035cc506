'use strict';
// The name napi-rs gives this platform's addon: linux-x64-gnu, darwin-arm64, win32-x64-msvc...
// native.js loads `stripe-identity.<suffix>.node` or the package `stripe-identity-<suffix>`, and
// scripts/install.js writes that file when it builds the addon from source.

function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    // glibc reports its version; musl does not.
    const report = process.report?.getReport?.();
    const abi = report?.header?.glibcVersionRuntime ? 'gnu' : 'musl';
    return arch === 'arm' ? `linux-arm-${abi}eabihf` : `linux-${arch}-${abi}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  if (platform === 'android') return arch === 'arm' ? 'android-arm-eabi' : `android-${arch}`;
  return `${platform}-${arch}`;
}

module.exports = { platformSuffix };
