import type { BrowserContext, Page } from 'playwright-core';

export interface Trapped {
  /** Requests to any host but 127.0.0.1 (aborted). */
  offHost: string[];
  dialogs: string[];
}

/**
 * Blocks every request that leaves 127.0.0.1 and records it; replaces the dialog functions and
 * listens for Content-Security-Policy violations, so a payload that reached the DOM as code is
 * caught even when the policy stopped it.
 */
export async function installTraps(context: BrowserContext, trapped: Trapped): Promise<void> {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {}
    if (host === '127.0.0.1') {
      // Our own images and fonts are not needed to judge the markup; an aborted load still fires onerror.
      const kind = route.request().resourceType();
      return kind === 'image' || kind === 'media' || kind === 'font' ? route.abort() : route.continue();
    }
    trapped.offHost.push(url);
    return route.abort();
  });
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __xss: string[] };
    w.__xss = [];
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      w[name] = (...args: unknown[]) => {
        w.__xss.push(`${name}(${args.join(',')})`);
      };
    }
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__xss.push(`CSP blocked ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

/** What a rendered page shows of an injection: calls made, and live markup that could run code on a click. */
export async function inspectPage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [...((window as unknown as { __xss: string[] }).__xss ?? [])];
    const dangerousUrl = /^(javascript|vbscript|data:text\/html)/;
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) found.push(`<${el.localName} ${name}>`);
        if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'srcdoc'].includes(name)) {
          // Browsers ignore whitespace and control characters inside a URL scheme.
          const v = [...attr.value]
            .filter((ch) => ch.charCodeAt(0) > 0x20)
            .join('')
            .toLowerCase();
          if (dangerousUrl.test(v) || name === 'srcdoc') found.push(`<${el.localName} ${name}="${attr.value.slice(0, 60)}">`);
        }
      }
      const tag = el.localName;
      if (tag === 'script') {
        const type = el.getAttribute('type') ?? '';
        const src = el.getAttribute('src');
        if (!/json/.test(type) && !src?.startsWith('/')) found.push(`<script ${src ?? 'inline'}>`);
      }
      if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet'].includes(tag)) found.push(`<${tag}>`);
      if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') ?? '')) found.push('<meta refresh>');
    }
    return found;
  });
}
