// Shared by the tests and the benchmark: starts identity-mock (or any loopback server binary
// that prints its address on its first line) and stops it afterwards.
//
// The binary is $IDENTITY_MOCK if set, else <repo>/target/debug/identity-mock
// (scripts/test.sh builds it). Every server started here is killed at exit whatever happens.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a server binary that prints `... listening on http://127.0.0.1:PORT` first; resolves
 * to `{ url, port, pid, stop() }` once it listens.
 */
export function startServer(binary, args = []) {
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} not found: run bindings-node/scripts/test.sh (it builds it)`);
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((done) => child.once('exit', done));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${binary} did not start in time: ${stderr}`)), 30000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited with ${code}: ${stderr}`));
    });
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /listening on (https?:\/\/127\.0\.0\.1:(\d+))/.exec(line);
      if (!match) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line ${JSON.stringify(line)}`));
        return;
      }
      resolve({
        url: match[1],
        port: Number(match[2]),
        pid: child.pid,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const force = setTimeout(() => child.kill('SIGKILL'), 10000);
            await exited;
            clearTimeout(force);
          }
          running.delete(child);
        },
      });
    });
  });
}

/** Starts identity-mock on a free loopback port, with extra arguments (`--fault-rate 1`, ...). */
export function startMock(...args) {
  const binary = process.env.IDENTITY_MOCK || path.join(REPO, 'target', 'debug', 'identity-mock');
  return startServer(binary, ['--host', '127.0.0.1', '--port', '0', ...args]);
}

/**
 * A folder holding a fresh throwaway CA (ca.pem), a certificate for localhost and 127.0.0.1
 * (server.pem, server-key.pem) and one for another name only (other.pem, other-key.pem), made
 * by server/examples/test_certs.rs ($TEST_CERTS, else <repo>/target/debug/examples/test-certs).
 */
export function makeTestCerts() {
  const binary = process.env.TEST_CERTS || path.join(REPO, 'target', 'debug', 'examples', 'test-certs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-certs-'));
  execFileSync(binary, [dir]);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A loopback server answering what `respond(req, body)` returns; records every request. */
export async function fakeStripe(respond) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const { status = 200, headers = {}, text } = respond(req, body);
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake123', ...headers });
      res.end(text);
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((done) => server.close(done)) };
}
