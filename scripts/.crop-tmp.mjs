import fs from 'node:fs';
import { chromium } from 'playwright-core';
const [file, x, y, w, h, z] = process.argv.slice(2);
const zoom = Number(z ?? 1);
const b = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const p = await b.newPage({ viewport: { width: 4000, height: 2000 }, deviceScaleFactor: zoom });
await p.setContent(
  `<body style="margin:0"><img src="data:image/png;base64,${fs.readFileSync(file).toString('base64')}"></body>`,
);
await p.screenshot({
  path: process.argv[8] ?? '/tmp/crop.png',
  clip: { x: +x, y: +y, width: +w, height: +h },
});
await b.close();
