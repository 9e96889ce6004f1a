// Drives the official v2 Node client against a running mock and prints what it saw as one JSON line.
// node v2_client.mjs <client folder> <base url> <api key> <scenario>
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [folder, baseUrl, apiKey, scenario] = process.argv.slice(2);
const { Apiframe } = await import(pathToFileURL(join(folder, 'dist', 'index.js')).href);
const { verifyWebhook } = await import(pathToFileURL(join(folder, 'dist', 'webhooks.js')).href);
const client = new Apiframe({ apiKey, baseUrl, maxRetries: 0 });

async function failure(call) {
  try {
    await call();
  } catch (error) {
    return {
      name: error.name,
      status: error.status,
      message: error.message,
      details: error.details ?? null,
      creditsRequired: error.creditsRequired ?? null,
      creditsAvailable: error.creditsAvailable ?? null,
      retryAfterSeconds: error.retryAfterSeconds ?? null,
    };
  }
  return null;
}

async function generated(resource, input) {
  const { jobId, status } = await resource.generate(input);
  const progress = [];
  const job = await client.jobs.waitFor(jobId, {
    intervalMs: 1,
    maxIntervalMs: 1,
    onProgress: (seen) => progress.push([seen.status, seen.progress]),
  });
  return { accepted: status, progress, status: job.status, result: Object.keys(job.result).sort() };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);

const scenarios = {
  me: async () => client.me(),
  generate: async () => ({
    image: await generated(client.images, { model: 'flux-1.1-pro', prompt: 'a lighthouse' }),
    video: await generated(client.videos, { model: 'kling-2.6', prompt: 'a lighthouse' }),
    music: await generated(client.music, { model: 'suno', prompt: 'a song of the sea' }),
  }),
  failed: async () => failure(() => generated(client.images, { model: 'flux-1.1-pro', prompt: '[mock:fail: no ink]' })),
  errors: async () => ({
    unauthorised: await failure(() => new Apiframe({ apiKey: 'afk_nobody', baseUrl, maxRetries: 0 }).me()),
    invalid: await failure(() => client.images.generate({ model: 'flux-1.1-pro', prompt: '' })),
    missing: await failure(() => client.jobs.get('00000000-0000-0000-0000-000000000001')),
  }),
  credits: async () => failure(() => client.videos.generate({ model: 'kling-2.6', prompt: 'x' })),
  limited: async () => failure(() => client.me()),
  idempotent: async () => {
    const input = { model: 'flux-1.1-pro', prompt: 'once' };
    const first = await client.images.generate(input, { idempotencyKey: 'order-7' });
    const again = await client.images.generate(input, { idempotencyKey: 'order-7' });
    const other = await failure(() => client.images.generate({ ...input, prompt: 'twice' }, { idempotencyKey: 'order-7' }));
    return { same: first.jobId === again.jobId, other };
  },
  uploads: async () => {
    const upload = await client.uploads.create({ file: PNG, filename: 'cat.png' });
    const served = await fetch(upload.url);
    const bytes = new Uint8Array(await served.arrayBuffer());
    return { kind: upload.kind, contentType: upload.contentType, served: served.status, same: bytes.length === PNG.length };
  },
  loras: async () => {
    const images = new Array(15).fill(PNG);
    const created = await client.loras.create({ name: 'my cat', subjectKind: 'object', images });
    const statuses = [];
    for (let read = 0; read < 3; read += 1) statuses.push((await client.loras.get(created.id)).status);
    const listed = await client.loras.list();
    await client.loras.delete(created.id);
    const archived = await client.loras.list({ includeArchived: 'true' });
    return { created: created.status, statuses, listed: listed.items.length, archived: archived.items[0].status };
  },
  // Reads {body, signature} on stdin: a webhook as the receiver got it.
  verify: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const { body, signature } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return {
      genuine: verifyWebhook({ apiKey, body, signature }),
      tampered: verifyWebhook({ apiKey, body: body.replace('COMPLETED', 'FAILED'), signature }),
      otherKey: verifyWebhook({ apiKey: 'afk_other', body, signature }),
    };
  },
  paging: async () => {
    const made = [];
    for (let index = 0; index < 5; index += 1) {
      made.push((await client.images.generate({ model: 'flux-1.1-pro', prompt: `job ${index}` })).jobId);
    }
    const seen = [];
    let cursor;
    do {
      const page = await client.jobs.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(page.jobs.map((job) => job.id));
      cursor = page.hasMore ? page.nextCursor : undefined;
    } while (cursor);
    return { newestFirst: JSON.stringify(seen.flat()) === JSON.stringify([...made].reverse()), pages: seen.length };
  },
};

console.log(JSON.stringify(await scenarios[scenario]()));
