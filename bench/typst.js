// typst.js - the Typst side of `make bench` (issue 16): Typst 0.14 through its node binding
// (npm @myriaddreamin/typst-ts-node-compiler, installed by mk/bench.mk into
// build/typst-node), in one process:
//
//   node bench/typst.js MODULE_DIR MAIN.typ FONTS_DIR OUT.pdf EDITS
//
// first build: NodeCompiler.create() with the fonts of FONTS_DIR and the first pdf() of
// MAIN.typ, timed from before create() to the PDF's bytes in memory (node's own start-up
// not counted); then EDITS one-word edits, each addSource() of the edited text and pdf()
// again, timed around pdf() (the compiler's memoized results reused: Typst's incremental
// compilation). The edits are watchlat's (bench/watchlat.c): " the " <-> " our " in one of
// five paragraphs spread over the text, taking turns. evictCache(30) after each rebuild,
// as a watch tool does, not timed. Writes OUT.pdf (the first build) and prints
//   TYPST status=ok first_ms=.. median_ms=.. min_ms=.. max_ms=.. pages=.. lat=..
'use strict';
const fs = require('fs');
const path = require('path');

function main() {
  const [moddir, mainArg, fontsArg, out, editsArg] = process.argv.slice(2);
  const main = path.resolve(mainArg), fonts = path.resolve(fontsArg);
  const nedits = parseInt(editsArg || '20', 10);
  const { NodeCompiler } = require(path.join(path.resolve(moddir), '@myriaddreamin/typst-ts-node-compiler'));
  let text = fs.readFileSync(main, 'utf8');

  const t0 = process.hrtime.bigint();
  const c = NodeCompiler.create({ workspace: path.dirname(main), fontArgs: [{ fontPaths: [fonts] }] });
  c.addSource(main, text);
  const pdf = c.pdf({ mainFilePath: main });
  const first = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.writeFileSync(out, pdf);
  c.evictCache(30);

  // five " the " inside paragraphs (lines that start with a letter), spread over the text
  const pos = [];
  const re = /^[A-Za-z].*$/gm;
  let m;
  const cands = [];
  while ((m = re.exec(text))) {
    const k = m[0].indexOf(' the ');
    if (k >= 0) cands.push(m.index + k + 1);
  }
  if (cands.length < 5) { console.log('TYPST status=error reason="too few paragraphs"'); process.exit(1); }
  for (let i = 0; i < 5; i++) pos.push(cands[Math.floor((i + 0.5) * cands.length / 5)]);
  const flipped = [false, false, false, false, false];
  const lat = [];
  for (let e = 0; e < nedits; e++) {
    const i = e % 5;
    flipped[i] = !flipped[i];
    text = text.slice(0, pos[i]) + (flipped[i] ? 'our' : 'the') + text.slice(pos[i] + 3);
    c.addSource(main, text);
    const t = process.hrtime.bigint();
    const b = c.pdf({ mainFilePath: main });
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!b || b.length < 1000) { console.log('TYPST status=error reason="empty pdf"'); process.exit(1); }
    c.evictCache(30);
  }
  const s = lat.length ? lat.slice().sort((a, b) => a - b) : [NaN]; // (0 edits: the first build only)
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(`TYPST status=ok first_ms=${first.toFixed(2)} median_ms=${med.toFixed(2)} ` +
    `min_ms=${s[0].toFixed(2)} max_ms=${s[s.length - 1].toFixed(2)} pages=${pages} ` +
    `lat=${lat.map((x) => x.toFixed(2)).join(',')}`);
}

main();
