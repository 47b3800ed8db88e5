// One request at a time: client latency and the server's own render time (Server-Timing).
function pct(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), n: s.length };
}

export async function sequential(base, paths, repeat) {
  const client = [];
  const server = [];
  let errors = 0;
  for (let i = 0; i < repeat; i++) {
    for (const path of paths) {
      const t0 = performance.now();
      const res = await fetch(base + path, { headers: { 'accept-encoding': 'identity' } });
      await res.arrayBuffer();
      client.push(performance.now() - t0);
      if (res.status >= 400) errors++;
      const timing = /render;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
      if (timing) server.push(Number(timing[1]));
    }
  }
  return { client: summary(client), server: summary(server), errors };
}

/** Compressed bytes of the page and of the stylesheets and scripts it loads. */
export async function probeWeight(base, path) {
  const get = async (p) => {
    const res = await fetch(base + p, { headers: { 'accept-encoding': 'br' } });
    // fetch decodes; the wire size is the Content-Length of the br body.
    const length = Number(res.headers.get('content-length'));
    const text = await res.text();
    return { length: Number.isFinite(length) && length > 0 ? length : Buffer.byteLength(text), text };
  };
  const page = await get(path);
  const css = [...page.text.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  const js = [...page.text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  let cssBytes = 0;
  let jsBytes = 0;
  for (const href of css) cssBytes += (await get(href)).length;
  for (const src of js) jsBytes += (await get(src)).length;
  return { html: page.length, css: cssBytes, js: jsBytes, files: { css, js } };
}
