// `--only client`: what the reader's browser pays for an article page. Debian's Chromium loads
// the page with its CPU slowed four times (the slowdown of Lighthouse's mobile profile, a
// mid-range phone), and reports the main thread's work: every task, the script in it, the long
// tasks (over 50 ms), and their time beyond 50 ms after the first contentful paint — Total
// Blocking Time as Lighthouse counts it (a task that straddles the paint counts from the paint).
import { chromium } from 'playwright-core';
import { startGazette } from './server.mjs';
import { median } from './tools.mjs';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SLOWDOWN = 4;

/** Loads `path` `runs` times in fresh pages; returns per-load figures (ms). */
async function measure(browser, url, runs) {
  const loads = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
    await cdp.send('Performance.enable');
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url, { waitUntil: 'load' });
    // What the page's modules do after load (enhancing the player, comments, relative times).
    await page.waitForTimeout(1500);
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const { long, fcp } = await page.evaluate(() => ({
      long: window.__longTasks,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    }));
    loads.push({
      taskMs: metrics.TaskDuration * 1000,
      scriptMs: metrics.ScriptDuration * 1000,
      longTasks: long.length,
      fcpMs: fcp,
      blockingMs: long.reduce((sum, t) => sum + Math.max(0, t.end - Math.max(t.start, fcp) - 50), 0),
      // The longest task ending after the paint (only long tasks are reported: 0 when none is).
      longestMs: Math.max(0, ...long.filter((t) => t.end > fcp).map((t) => t.end - t.start)),
      beforePaintMs: long.filter((t) => t.start < fcp).reduce((sum, t) => sum + (Math.min(t.end, fcp) - t.start), 0),
    });
    await context.close();
  }
  return loads;
}

/** The article page and the front page, each loaded `runs` times. */
export async function clientCost({ data, paths, runs = 5, log }) {
  const server = await startGazette(data, { path: paths[0] });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  const out = {};
  try {
    for (const path of paths) {
      log(`client cost: ${path}, ${runs} loads at ${SLOWDOWN}× CPU slowdown`);
      await measure(browser, `${server.base}${path}`, 1); // the server's first render, not counted
      const loads = await measure(browser, `${server.base}${path}`, runs);
      out[path] = {
        taskMs: median(loads.map((l) => l.taskMs)),
        scriptMs: median(loads.map((l) => l.scriptMs)),
        longTasks: median(loads.map((l) => l.longTasks)),
        fcpMs: median(loads.map((l) => l.fcpMs)),
        beforePaintMs: median(loads.map((l) => l.beforePaintMs)),
        blockingMs: median(loads.map((l) => l.blockingMs)),
        maxBlockingMs: Math.max(...loads.map((l) => l.blockingMs)),
        longestMs: median(loads.map((l) => l.longestMs)),
      };
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return out;
}

export function printClient(result) {
  const lines = [
    `### Reader's browser (Chromium, ${SLOWDOWN}× CPU slowdown, median of loads)`,
    '',
    '| page | main-thread tasks ms | of which script ms | first contentful paint ms | long tasks (of which before the paint, ms) | longest task after the paint ms | blocking time after the paint ms (max) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [path, r] of Object.entries(result)) {
    lines.push(
      `| ${path} | ${r.taskMs.toFixed(0)} | ${r.scriptMs.toFixed(0)} | ${r.fcpMs.toFixed(0)} | ${r.longTasks} (${r.beforePaintMs.toFixed(0)}) | ${r.longestMs.toFixed(0)} | ${r.blockingMs.toFixed(0)} (${r.maxBlockingMs.toFixed(0)}) |`,
    );
  }
  return lines.join('\n');
}
