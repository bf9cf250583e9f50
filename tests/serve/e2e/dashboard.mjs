// Drives the dashboard in Debian's headless Chromium (playwright-core, no downloaded browser) the way a person
// would: open it, filter to Idlib, open the Harem event told by SOHR, see its sentence highlighted. Then opens
// the hostile report and checks its markup stayed text. Prints one JSON line of findings for pytest to assert.
//
// env: BASE_URL (required), SCREENSHOT (png path), XSS_EVENT_ID, CHROMIUM (default /usr/bin/chromium)
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const result = { dialogs: [], pageErrors: [], foreignRequests: [], steps: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on("dialog", async (dialog) => { result.dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on("pageerror", (err) => result.pageErrors.push(String(err)));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:") {
      result.foreignRequests.push(request.url());
    }
  });

  await page.goto(base, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
  result.steps.push("opened");
  result.initialRows = await page.locator("#events tbody tr").count();
  result.markers = await page.evaluate(() => window.__eventwatch.markers);

  await page.selectOption("#f-admin1", "Idlib");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#events tbody tr")];
    return rows.length > 0 && rows.every((r) => r.textContent.includes("Idlib"));
  }, null, { timeout: 10000 });
  result.idlibRows = await page.locator("#events tbody tr").count();
  result.steps.push("filtered to Idlib");

  const harem = page.locator("#events tbody tr")
    .filter({ hasText: "Harem" })
    .filter({ has: page.locator("td:last-child", { hasText: /^SOHR$/ }) });
  await harem.first().click();
  await page.waitForSelector("#detail:not([hidden]) blockquote.sentence mark", { timeout: 10000 });
  result.steps.push("opened the Harem event");
  result.detail = await page.evaluate(() => {
    const quotes = [...document.querySelectorAll("#detail blockquote.sentence")];
    return {
      heading: document.querySelector("#detail h2")?.textContent,
      sentences: quotes.map((q) => ({
        // The sentence as a reader sees it, without the field labels and the attribution line.
        text: (() => {
          const copy = q.cloneNode(true);
          copy.querySelectorAll("sup, .who").forEach((n) => n.remove());
          return copy.textContent;
        })(),
        marks: [...q.querySelectorAll("mark")].map((m) => ({ fields: m.dataset.fields, text: m.firstChild.textContent })),
        hedge: q.querySelector(".hedge")?.textContent,
      })),
      tollPoints: document.querySelectorAll("#detail .toll circle").length,
    };
  });
  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    result.screenshot = process.env.SCREENSHOT;
  }

  if (process.env.XSS_EVENT_ID) {
    await page.selectOption("#f-admin1", "");
    await page.waitForFunction(() => document.querySelectorAll("#events tbody tr").length > 2, null, { timeout: 10000 });
    await page.evaluate((id) => { location.hash = `#event/${id}`; }, process.env.XSS_EVENT_ID);
    await page.waitForFunction(() => document.querySelector("#detail h2")?.textContent.includes("Explosions"),
      null, { timeout: 10000 });
    // Hover every map marker's tooltip target is canvas-drawn; list, latest reports and detail are DOM: check all.
    await page.waitForTimeout(300);
    result.xss = await page.evaluate(() => ({
      flag: window.__xss ?? null,
      injectedImages: document.querySelectorAll("img[src='x']").length,
      handlerAttributes: document.querySelectorAll("[onerror], [onmouseover], [onload]").length,
      scripts: [...document.scripts].map((s) => s.getAttribute("src")),
      boldTags: document.querySelectorAll("#events b, #latest b, #detail b").length,
      sentenceShowsMarkupAsText: [...document.querySelectorAll("#detail blockquote.sentence")]
        .some((q) => q.textContent.includes("<script>") && q.textContent.includes("onerror=")),
      listShowsMarkupAsText: document.querySelector("#events").textContent.includes("<img src=x onerror="),
    }));
    result.steps.push("opened the hostile report");
  }
  result.ok = true;
} catch (err) {
  result.ok = false;
  result.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
