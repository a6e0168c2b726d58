import { readFileSync } from 'node:fs';
import { AisDecoder } from '../../edge-gateway/src/decoders/ais/index';
const text = readFileSync('/tmp/ais-corpus.txt', 'latin1');
const lines = text.split('\n');
const t0 = performance.now();
const d = new AisDecoder();
let n = 0;
for (const l of lines) { if (l) { const r = d.push(l, 0); if (r.ok && r.value) n++; } }
const t1 = performance.now();
console.log(lines.length, n, (t1 - t0).toFixed(0), 'ms', Math.round(lines.length / ((t1 - t0) / 1000)), '/s');
console.log(JSON.stringify(d.stats));
