// Turns `npm install --loglevel=http` output (one line per package fetched) into progress a
// person can follow: in a terminal, one line rewritten in place every second
// (`install: 312 packages fetched, 41 s`); elsewhere, a line every 100 packages. Every other
// line (warnings, errors, npm's closing summary) is passed through as it is.
// Usage: npm install --loglevel=http 2>&1 | node scripts/install-progress.js
'use strict';
const readline = require('node:readline');

const out = process.stderr;
const started = Date.now();
let fetched = 0;
let statusShown = false;

const status = () =>
  `install: ${fetched} packages fetched, ${Math.round((Date.now() - started) / 1000)} s`;

function showStatus() {
  if (!out.isTTY) return;
  out.cursorTo(0);
  out.write(status());
  out.clearLine(1);
  statusShown = true;
}

function clearStatus() {
  if (!statusShown) return;
  out.cursorTo(0);
  out.clearLine(0);
  statusShown = false;
}

const ticker = setInterval(showStatus, 1000);
readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    if (/^npm http fetch /.test(line)) {
      fetched++;
      if (out.isTTY) showStatus();
      else if (fetched % 100 === 0) out.write(`${status()}\n`);
      return;
    }
    clearStatus();
    out.write(`${line}\n`);
    showStatus();
  })
  .on('close', () => {
    clearInterval(ticker);
    clearStatus();
    out.write(`${status()}\n`);
  });
