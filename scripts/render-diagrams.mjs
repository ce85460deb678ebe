// Renders every workflows/*.bpmn to docs/diagrams/<name>.png for the README:
//   node scripts/render-diagrams.mjs
// Uses the bpmn-js Viewer inside headless Chromium (Debian's: apt-get install chromium, or set
// CHROMIUM=/path/to/chrome). Nothing is served or fetched: the page is built with setContent()
// and the viewer script and CSS are inlined from node_modules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bpmnJs = path.dirname(require.resolve('bpmn-js/package.json'));
const workflows = path.join(root, 'workflows');
const outDir = path.join(root, 'docs', 'diagrams');
const MARGIN = 40; // px of white space around the diagram
const MIN_W = 800; // keep small diagrams from producing tiny pictures
const MAX_W = 4000; // cap huge ones (they are then scaled down to fit)

fs.mkdirSync(outDir, { recursive: true });
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-diagrams-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width: 1800, height: 900 },
  deviceScaleFactor: 1,
});

try {
  const files = fs
    .readdirSync(workflows)
    .filter((f) => f.endsWith('.bpmn'))
    .sort();
  for (const file of files) {
    const xml = fs.readFileSync(path.join(workflows, file), 'utf8');
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`${file}: ${e.message}`));
    // A full-page container; the viewer draws into it.
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"><style>' +
        'html,body{margin:0;height:100%;background:#fff}#canvas{width:100vw;height:100vh}' +
        '</style></head><body><div id="canvas"></div></body></html>',
    );
    await page.addStyleTag({ path: path.join(bpmnJs, 'dist/assets/diagram-js.css') });
    await page.addStyleTag({ path: path.join(bpmnJs, 'dist/assets/bpmn-js.css') });
    await page.addScriptTag({ path: path.join(bpmnJs, 'dist/bpmn-viewer.production.min.js') });

    // Import the model and read the diagram's bounding box (in diagram units).
    const { box, warnings } = await page.evaluate(async (xml) => {
      window.viewer = new window.BpmnJS({ container: '#canvas' });
      const { warnings } = await window.viewer.importXML(xml);
      const { x, y, width, height } = window.viewer.get('canvas').viewbox().inner;
      return { box: { x, y, width, height }, warnings: warnings.map((w) => w.message) };
    }, xml);
    for (const w of warnings) console.warn(`${file}: import warning: ${w}`);

    // Size the viewport to the diagram plus a margin (1 diagram unit = 1 px), then fit.
    const width = Math.min(MAX_W, Math.max(MIN_W, Math.ceil(box.width + 2 * MARGIN)));
    const scale = Math.min(1, (width - 2 * MARGIN) / box.width);
    const height = Math.ceil(box.height * scale + 2 * MARGIN);
    await page.setViewportSize({ width, height });
    await page.evaluate((m) => {
      const canvas = window.viewer.get('canvas');
      canvas.resized();
      canvas.zoom('fit-viewport', 'auto');
      // fit-viewport leaves no margin: zoom out slightly around the centre to add one.
      const vb = canvas.viewbox();
      canvas.zoom(
        vb.scale *
          Math.min(
            (vb.outer.width - 2 * m) / vb.outer.width,
            (vb.outer.height - 2 * m) / vb.outer.height,
          ),
        'auto',
      );
    }, MARGIN);

    const out = path.join(outDir, file.replace(/\.bpmn$/, '.png'));
    await page.locator('#canvas').screenshot({ path: out });
    console.log(`${path.relative(root, out)} ${width}x${height}`);
    await page.close();
  }
} finally {
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
