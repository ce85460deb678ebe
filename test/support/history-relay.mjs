// TEST INFRASTRUCTURE ONLY. The run's one broker has one history exporter, but each test file
// starts its own app (own port, own database). The exporter posts to this relay, which forwards
// every batch to each app registered with it and then acknowledges the exporter. An app that
// fails a forward is dropped (it stopped without unregistering). Deployed models are kept and
// replayed to an app when it registers: the broker sends a model's record once, when it is first
// deployed, usually before that app existed. POST /pause and /resume make it refuse the exporter
// for a while (503), as an unreachable app would.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

const FORWARD_TIMEOUT_MS = 30_000;

/** Keeps integers beyond 2^53 exact (engine keys), as the app's intake does. */
function reviver(_key, value, context) {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source) {
    if (/^-?\d+$/.test(context.source)) return context.source;
  }
  return value;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function post(url, token, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/**
 * Starts the relay on 127.0.0.1. `exportUrl` and `token` are for the broker's exporter;
 * `url` is where apps register (POST/DELETE {url}/subscribers with {url, token}).
 */
export async function startHistoryRelay({ log = () => undefined } = {}) {
  const token = randomBytes(24).toString('base64url');
  /** @type {Map<string, string>} url -> the app's intake token */
  const subscribers = new Map();
  /** @type {Map<number, unknown[]>} partition -> deployed-model records */
  const models = new Map();
  // One operation at a time: a registering app gets the replay before any live batch.
  let queue = Promise.resolve();
  let paused = false;
  const serial = (fn) => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  async function onExport(body) {
    const batch = JSON.parse(body, reviver);
    const kept = models.get(batch.partitionId) ?? [];
    for (const r of batch.records ?? [])
      if (r.valueType === 'PROCESS' && r.intent === 'CREATED') kept.push(r);
    models.set(batch.partitionId, kept);
    await Promise.all(
      [...subscribers].map(async ([url, subToken]) => {
        try {
          await post(url, subToken, body);
        } catch (err) {
          subscribers.delete(url);
          log(`history relay: dropped ${url} (${err.message})`);
        }
      }),
    );
  }

  async function onRegister(url, subToken) {
    for (const [partitionId, records] of models)
      if (records.length) await post(url, subToken, JSON.stringify({ partitionId, records }));
    subscribers.set(url, subToken);
  }

  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (req.method === 'POST' && req.url === '/export') {
        if (req.headers.authorization !== `Bearer ${token}`) return res.writeHead(401).end();
        if (paused) return res.writeHead(503).end();
        await serial(() => onExport(body));
        return res.writeHead(204).end();
      }
      if (req.method === 'POST' && (req.url === '/pause' || req.url === '/resume')) {
        paused = req.url === '/pause';
        return res.writeHead(204).end();
      }
      if (req.url === '/subscribers' && (req.method === 'POST' || req.method === 'DELETE')) {
        const { url, token: subToken } = JSON.parse(body);
        if (req.method === 'POST') await serial(() => onRegister(url, subToken));
        else await serial(async () => subscribers.delete(url));
        return res.writeHead(204).end();
      }
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err?.message ?? err));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    exportUrl: `${url}/export`,
    token,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
