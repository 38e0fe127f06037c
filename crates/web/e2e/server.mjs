// Starts `pharmarec serve` on a fresh SQLite database in a temporary directory and sets up what the
// scenarios need: an administrator (CLI), a pharmacy and stock (API), a pharmacist and a viewer (CLI).
// The pharmacy and its stock are SYNTHETIC test data (made-up quantities and prices).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'console e2e password';
export const USERS = {
  admin: 'admin@example.org',
  pharmacist: 'pharmacist@example.org',
  viewer: 'viewer@example.org',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'pharmarec-console-'));
  const port = await freePort();
  // Only this test's settings: the server refuses unknown PHARMAREC_* variables, and a database or
  // Redis URL from the caller's environment must not leak in.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PHARMAREC_') && name !== 'REDIS_URL'),
  );
  const env = {
    ...inherited,
    PHARMAREC_ENVIRONMENT: 'local',
    PHARMAREC_DATABASE__URL: `sqlite://${join(dir, 'console.db')}`,
    PHARMAREC_SERVER__BIND: `127.0.0.1:${port}`,
    PHARMAREC_SERVER__WORKERS: '2',
    PHARMAREC_AUTH__JWT_SECRET: 'console-e2e-signing-key-of-at-least-32-bytes',
    // Fast hashes and no rate limit: the browser makes many requests from one address.
    PHARMAREC_AUTH__BCRYPT_COST: '4',
    PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE: '100000',
    PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '1000',
    PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_ACCOUNT: '1000',
    PHARMAREC_LOG__FILTER: 'warn',
  };
  const cli = (args) => {
    const run = spawnSync(binary, args, { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pharmarec ${args.join(' ')} failed:\n${run.stderr}`);
    return run.stdout;
  };
  cli(['user', 'create', '--email', USERS.admin, '--role', 'admin']);
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(base, child);
    const fixtures = await setUp(base, cli);
    return { base, stop, ...fixtures };
  } catch (error) {
    stop();
    throw error;
  }
}

async function waitReady(base, child) {
  // The first start imports the embedded catalogue: allow it a few minutes on a slow machine.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not become ready');
}

async function api(base, method, path, token, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** The first catalogue product whose brand name is `brand`. */
async function productId(base, brand) {
  const found = await api(base, 'GET', `/medicines?q=${encodeURIComponent(brand)}&per_page=50`);
  const product = found.find((m) => m.brand_name === brand);
  if (!product) throw new Error(`no product named ${brand} in the catalogue`);
  return product.id;
}

async function setUp(base, cli) {
  const { access_token: token } = await api(base, 'POST', '/auth/login', null, {
    email: USERS.admin,
    password: PASSWORD,
  });
  const pharmacy = await api(base, 'POST', '/pharmacies', token, {
    name: 'Synthetic test pharmacy',
  });
  const products = {
    decongestant: await productId(base, 'SUDAFED 24 HOUR'),
    ibuprofen: await productId(base, 'ADVIL'),
  };
  // SYNTHETIC stock: made-up quantities and prices; the ibuprofen line is low (3).
  for (const [id, quantity, price] of [
    [products.decongestant, 12, 799],
    [products.ibuprofen, 3, 499],
  ]) {
    await api(base, 'PUT', `/pharmacies/${pharmacy.id}/stock/${id}`, token, {
      quantity,
      price_minor: price,
      currency: 'EUR',
      version: 0,
    });
  }
  cli(['user', 'create', '--email', USERS.pharmacist, '--role', 'pharmacist', '--pharmacy', pharmacy.id]);
  cli(['user', 'create', '--email', USERS.viewer, '--role', 'viewer']);
  return { pharmacy, products };
}
