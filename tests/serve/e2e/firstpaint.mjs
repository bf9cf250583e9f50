// Dashboard load timing in Debian's headless Chromium, each run in a fresh context (cold cache): first
// contentful paint (Performance API) and the time until the map's markers are drawn (the dashboard marks it).
// env: BASE_URL, RUNS (default 3), CHROMIUM. Prints one JSON line.
import { chromium } from "playwright-core";

const runs = Number(process.env.RUNS || 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(process.env.BASE_URL, { waitUntil: "load" });
    await page.waitForFunction(() => window.__eventwatch && window.__eventwatch.markersDrawnAt !== null, null,
      { timeout: 60000 });
    await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
    results.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        fcp_ms: fcp ? fcp.startTime : null,
        markers_ms: window.__eventwatch.markersDrawnAt,
        ready_ms: performance.now(),
        dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
        markers: window.__eventwatch.markers,
        rows: document.querySelectorAll("#events tbody tr").length,
        errors: window.__eventwatch.errors,
      };
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
