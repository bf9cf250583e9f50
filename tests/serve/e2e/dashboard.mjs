// Drives the dashboard in Debian's headless Chromium (playwright-core, no downloaded browser) the way a person
// would: open it, filter to Idlib, open the Harem incident, see SOHR's sentence highlighted; switch to events
// and open SOHR's own event. Then opens the hostile report's pages and checks its markup stayed text.
// Prints one JSON line of findings for pytest to assert on.
//
// env: BASE_URL (required), OUT_DIR (screenshots), XSS_EVENT_ID, XSS_INCIDENT_ID, CHROMIUM (/usr/bin/chromium)
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const outDir = process.env.OUT_DIR;
const result = { dialogs: [], pageErrors: [], foreignRequests: [], steps: [], screenshots: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

// What a reader sees of each highlighted sentence in the detail panel (labels and attribution line removed).
function readSentences(root) {
  return [...document.querySelectorAll(`${root} blockquote.sentence`)].map((q) => {
    const copy = q.cloneNode(true);
    copy.querySelectorAll("sup, .who").forEach((n) => n.remove());
    return {
      text: copy.textContent,
      marks: [...q.querySelectorAll("mark")].map((m) => ({ fields: m.dataset.fields, text: m.firstChild.textContent })),
      hedge: q.querySelector(".hedge")?.textContent,
      who: q.querySelector(".who")?.firstChild?.textContent,
    };
  });
}

async function rowsAllMatch(page, text) {
  await page.waitForFunction((t) => {
    const rows = [...document.querySelectorAll("#events tbody tr")];
    return rows.length > 0 && rows.every((r) => r.textContent.includes(t));
  }, text, { timeout: 10000 });
  return page.locator("#events tbody tr").count();
}

async function shoot(page, name) {
  if (!outDir) return;
  const path = `${outDir}/${name}`;
  await page.screenshot({ path, fullPage: true });
  result.screenshots.push(path);
}

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
  result.kind = await page.inputValue("#f-kind");
  result.initialRows = await page.locator("#events tbody tr").count();
  result.markers = await page.evaluate(() => window.__eventwatch.markers);

  // Recent alerts (fired by `eventwatch watch` rules): listed beside the latest reports; one opens its incident.
  result.alerts = await page.evaluate(() => ({
    panelHidden: document.querySelector("#alerts-panel").hidden,
    items: [...document.querySelectorAll("#alerts li")].map((li) => li.textContent),
    injected: document.querySelectorAll("#alerts img, #alerts b, #alerts [onerror]").length,
  }));
  await page.locator("#alerts li").filter({ hasText: "Toll rose" }).first().click();
  await page.waitForFunction(() => document.querySelector("#detail:not([hidden]) h2")?.textContent.includes("Battles"),
    null, { timeout: 10000 });
  result.alerts.opened = await page.textContent("#detail h2");
  await page.click("#detail-close");
  result.steps.push("opened an alert's incident");

  // Filter to Idlib, open the Harem incident.
  await page.selectOption("#f-admin1", "Idlib");
  result.idlibIncidentRows = await rowsAllMatch(page, "Idlib");
  result.steps.push("filtered to Idlib");
  await page.locator("#events tbody tr").filter({ hasText: "Harem" }).first().click();
  await page.waitForSelector("#detail:not([hidden]) section.source blockquote.sentence mark", { timeout: 10000 });
  result.steps.push("opened the Harem incident");
  // (Helpers are passed to evaluate() as functions: the page's CSP rightly forbids eval and new Function.)
  const nSources = await page.locator("#detail section.source").count();
  result.incident = {
    heading: await page.textContent("#detail h2"),
    tollPoints: await page.locator("#detail .toll circle").count(),
    sources: [],
  };
  for (let i = 1; i <= nSources; i++) {
    const root = `#detail section.source:nth-of-type(${i})`;
    result.incident.sources.push({ line: await page.textContent(`${root} p`), sentences: await page.evaluate(readSentences, root) });
  }
  await shoot(page, "dashboard-harem-incident.png");

  // The same clash as events, one per report: open SOHR's first report (3 killed).
  await page.selectOption("#f-kind", "events");
  await page.waitForSelector("#events tbody tr[data-event-id]", { timeout: 10000 });
  result.idlibEventRows = await rowsAllMatch(page, "Idlib");
  const sohrRow = page.locator("#events tbody tr")
    .filter({ hasText: "Harem" })
    .filter({ has: page.locator("td:last-child", { hasText: /^SOHR$/ }) })
    .filter({ has: page.locator("td:nth-child(5)", { hasText: /^3$/ }) });
  await sohrRow.first().click();
  await page.waitForFunction(() => document.querySelector("#detail:not([hidden]) h2") &&
    !document.querySelector("#detail section.source") && document.querySelector("#detail blockquote.sentence mark"),
    null, { timeout: 10000 });
  result.steps.push("opened SOHR's Harem event");
  result.event = {
    heading: await page.textContent("#detail h2"),
    sentences: await page.evaluate(readSentences, "#detail"),
    incidentLink: (await page.locator("#detail a[href^='#incident/']").count()) > 0,
  };
  await shoot(page, "dashboard-harem-event.png");

  // The hostile report: list rows, latest reports, event page and incident page.
  await page.selectOption("#f-admin1", "");
  await page.waitForFunction(() => document.querySelectorAll("#events tbody tr").length > 3, null, { timeout: 10000 });
  const xss = {};
  for (const [kind, id] of [["event", process.env.XSS_EVENT_ID], ["incident", process.env.XSS_INCIDENT_ID]]) {
    if (!id) continue;
    await page.evaluate(([k, i]) => { location.hash = `#${k}/${i}`; }, [kind, id]);
    await page.waitForFunction(() => document.querySelector("#detail h2")?.textContent.includes("Explosions") &&
      document.querySelector("#detail blockquote.sentence"), null, { timeout: 10000 });
    await page.waitForTimeout(300);
    xss[kind] = await page.evaluate(() => ({
      flag: window.__xss ?? null,
      injectedImages: document.querySelectorAll("img[src='x']").length,
      handlerAttributes: document.querySelectorAll("[onerror], [onmouseover], [onload]").length,
      scripts: [...document.scripts].map((s) => s.getAttribute("src")),
      boldTags: document.querySelectorAll("#events b, #latest b, #detail b").length,
      sentenceShowsMarkupAsText: [...document.querySelectorAll("#detail blockquote.sentence")]
        .some((q) => q.textContent.includes("<script>") && q.textContent.includes("onerror=")),
      listShowsMarkupAsText: document.querySelector("#events").textContent.includes("<img src=x onerror="),
    }));
  }
  result.xss = xss;
  result.steps.push("opened the hostile report");

  // Live updates: a report posted through the API shows up without a reload.
  if (process.env.TOKEN) {
    await page.click("#detail-close"); // back to the overview, where the latest reports are listed
    await page.evaluate(() => { window.__samePage = 42; }); // survives only if the page is never reloaded
    const response = await fetch(`${base}/api/reports`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.TOKEN}` },
      body: JSON.stringify({ text: "Live: shelling reported near Saraqib, Idlib, on Thursday.", source: "Live Wire",
        title: "Shelling near Saraqib" }),
    });
    result.postStatus = response.status;
    await page.waitForSelector("#latest li.new", { timeout: 15000 });
    result.live = {
      news: await page.textContent("#news"),
      latest: await page.textContent("#latest li.new"),
      reloaded: (await page.evaluate(() => window.__samePage)) !== 42,
    };
    result.steps.push("saw the posted report arrive");
  }
  result.ok = true;
} catch (err) {
  result.ok = false;
  result.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
