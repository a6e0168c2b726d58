#!/usr/bin/env node
// Benchmark: `seawall decode` against gpsd's `gpsdecode -j`, whole process, side by side in one run.
//
//   node bench/decode/run.mjs [--sentences N] [--reps R] [--fixtures DIR] [--no-record]
//
// Builds a corpus of at least N (default 1,000,000) AIS sentences in the temp directory by repeating
// the AIVDM/AIVDO lines of the fixture corpora, then times `gpsdecode -j < corpus > /dev/null` and
// `seawall decode --quiet corpus > /dev/null` R times each (default 5), alternating which goes first,
// and reports sentences per second (median and best) and the ratio. Unless --no-record, the result
// replaces the "decode" section of bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(REPO, 'bench/RESULTS.md');
const SEAWALL = join(REPO, 'edge-gateway/bin/seawall.mjs');
const GPSDECODE = ['/usr/bin/gpsdecode', '/usr/local/bin/gpsdecode'].find((p) => existsSync(p));
// GNU time, when present, adds the CPU seconds (user + system) of each run: steadier than wall time
// when other work shares the machine.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const CORPUS_FILES = /\.(aivdm|log|nmea|txt)$/;
// A sentence line: optional NMEA 4.0 tag block, then !xxVDM or !xxVDO.
const AIS_LINE = /^(\\[^\\]*\\)?![A-Z]{2}VD[MO],/;

const args = parseArgs(process.argv.slice(2));
if (!GPSDECODE) {
  console.error('gpsdecode not found: apt-get install gpsd-clients');
  process.exit(1);
}

const corpus = buildCorpus(args.fixtures, args.sentences);
console.log(`corpus: ${corpus.path}, ${corpus.lines} sentences (${corpus.bytes} bytes) from ${corpus.sources.length} files`);

const contenders = {
  gpsdecode: { command: GPSDECODE, argv: ['-j'], stdin: corpus.path },
  seawall: { command: process.execPath, argv: [SEAWALL, 'decode', '--quiet', corpus.path], stdin: null },
};
const outputs = {
  gpsdecode: countOutputLines(contenders.gpsdecode),
  seawall: countOutputLines(contenders.seawall),
};
console.log(`messages out: gpsdecode ${outputs.gpsdecode}, seawall ${outputs.seawall}`);

const load = loadavg()[0];
const times = { gpsdecode: [], seawall: [] };
const cpuTimes = { gpsdecode: [], seawall: [] };
for (let rep = 0; rep < args.reps; rep++) {
  const order = rep % 2 === 0 ? ['gpsdecode', 'seawall'] : ['seawall', 'gpsdecode'];
  for (const name of order) {
    const { seconds, cpuSeconds } = await timeRun(contenders[name]);
    times[name].push(seconds);
    if (cpuSeconds !== null) cpuTimes[name].push(cpuSeconds);
    const cpu = cpuSeconds === null ? '' : ` (CPU ${cpuSeconds.toFixed(2)} s)`;
    console.log(`  rep ${rep + 1} ${name.padEnd(9)} ${seconds.toFixed(2)} s${cpu}  ${rate(corpus.lines, seconds)} sentences/s`);
  }
}

const summary = Object.fromEntries(
  Object.entries(times).map(([name, t]) => [
    name,
    { median: median(t), best: Math.min(...t), all: t, cpuMedian: cpuTimes[name].length ? median(cpuTimes[name]) : null },
  ]),
);
// Each rep runs the two back to back, so its ratio is the least disturbed by a machine whose speed
// drifts (shared cores); the headline is the median of those paired ratios.
const pairedRatios = times.gpsdecode.map((g, i) => g / times.seawall[i]);
const pairedRatio = median(pairedRatios);
const ratio = summary.gpsdecode.median / summary.seawall.median;
const ratioBest = summary.gpsdecode.best / summary.seawall.best;
const cpuRatio = summary.seawall.cpuMedian ? summary.gpsdecode.cpuMedian / summary.seawall.cpuMedian : null;
console.log(
  `median: gpsdecode ${rate(corpus.lines, summary.gpsdecode.median)}/s, seawall ${rate(corpus.lines, summary.seawall.median)}/s, ` +
    `seawall/gpsdecode ${pairedRatio.toFixed(2)}x (median of paired runs; of medians ${ratio.toFixed(2)}x, best runs ${ratioBest.toFixed(2)}x` +
    `${cpuRatio === null ? '' : `, CPU time ${cpuRatio.toFixed(2)}x`})`,
);
if (args.record) {
  recordResults(renderSection());
  console.log(`recorded in ${RESULTS}`);
}

function parseArgs(argv) {
  const out = { sentences: 1_000_000, reps: 5, fixtures: join(REPO, '../shared/fixtures/ais'), record: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sentences') out.sentences = Number(argv[++i]);
    else if (arg === '--reps') out.reps = Number(argv[++i]);
    else if (arg === '--fixtures') out.fixtures = argv[++i];
    else if (arg === '--no-record') out.record = false;
    else {
      console.error(`unknown argument ${arg}\nusage: node bench/decode/run.mjs [--sentences N] [--reps R] [--fixtures DIR] [--no-record]`);
      process.exit(2);
    }
  }
  if (!(out.sentences > 0) || !(out.reps > 0)) {
    console.error('--sentences and --reps must be positive numbers');
    process.exit(2);
  }
  return out;
}

/** The AIS lines of every fixture corpus, repeated whole until there are at least `minimum`. */
function buildCorpus(dir, minimum) {
  const sources = readdirSync(dir).filter((f) => CORPUS_FILES.test(f)).sort();
  const lines = sources.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => AIS_LINE.test(l)),
  );
  if (lines.length === 0) throw new Error(`no AIS sentences in ${dir}`);
  const once = `${lines.join('\n')}\n`;
  const copies = Math.ceil(minimum / lines.length);
  const outDir = join(tmpdir(), 'seawall-bench-decode');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `corpus-${copies * lines.length}.nmea`);
  const text = once.repeat(copies);
  writeFileSync(path, text);
  return { path, lines: copies * lines.length, bytes: Buffer.byteLength(text), sources };
}

/** Runs a contender once with stdout to a pipe and counts the lines it writes (not timed). */
function countOutputLines({ command, argv, stdin }) {
  const input = stdin === null ? 'ignore' : openSync(stdin, 'r');
  try {
    const r = spawnSync(command, argv, { stdio: [input, 'pipe', 'ignore'], maxBuffer: 2 ** 31 - 1 });
    if (r.status !== 0) throw new Error(`${command} exited with ${r.status}`);
    let n = 0;
    for (let i = r.stdout.indexOf(10); i >= 0; i = r.stdout.indexOf(10, i + 1)) n++;
    return n;
  } finally {
    if (input !== 'ignore') closeSync(input);
  }
}

/** Wall-clock seconds of one whole-process run, stdout and stderr to /dev/null; CPU seconds if GNU time is here. */
function timeRun({ command, argv, stdin }) {
  const input = stdin === null ? 'ignore' : openSync(stdin, 'r');
  const devNull = openSync('/dev/null', 'w');
  const cpuFile = join(tmpdir(), 'seawall-bench-decode', 'cpu.txt');
  const [file, fileArgs] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, command, ...argv]] : [command, argv];
  const started = process.hrtime.bigint();
  const child = spawn(file, fileArgs, { stdio: [input, devNull, devNull] });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (input !== 'ignore') closeSync(input);
      closeSync(devNull);
      if (code !== 0) return fail(new Error(`${command} exited with ${code}`));
      let cpuSeconds = null;
      if (GNU_TIME) {
        const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
        cpuSeconds = user + system;
      }
      done({ seconds, cpuSeconds });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function rate(lines, seconds) {
  return Math.round(lines / seconds).toLocaleString('en-US');
}

function renderSection() {
  const version = spawnSync(GPSDECODE, ['-V'], { encoding: 'utf8' });
  const gpsdVersion = `${version.stdout}${version.stderr}`.trim() || 'gpsdecode (version unknown)';
  const cpu = cpus();
  const row = (name, label) => {
    const s = summary[name];
    const cpu = s.cpuMedian === null ? 'n/a' : s.cpuMedian.toFixed(2);
    return `| ${label} | ${rate(corpus.lines, s.median)} | ${rate(corpus.lines, s.best)} | ${cpu} | ${s.all.map((t) => t.toFixed(2)).join(', ')} |`;
  };
  return `## decode

\`seawall decode\` against gpsd's \`gpsdecode\`, whole process (start-up included), reading the same
corpus and writing JSON Lines to /dev/null.

- command: \`node bench/decode/run.mjs${args.sentences === 1_000_000 ? '' : ` --sentences ${args.sentences}`}${args.reps === 5 ? '' : ` --reps ${args.reps}`}\`
- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${gpsdVersion}; load average ${load.toFixed(2)} at start
- corpus: ${corpus.lines.toLocaleString('en-US')} sentences (${(corpus.bytes / 1e6).toFixed(1)} MB), the AIVDM/AIVDO lines of the
  ${corpus.sources.length} corpora in shared/fixtures/ais repeated; messages out: gpsdecode ${outputs.gpsdecode.toLocaleString('en-US')},
  seawall ${outputs.seawall.toLocaleString('en-US')} (gpsdecode merges type 24 parts A and B into one record)
- runs: ${args.reps} of each, in back-to-back pairs, alternating which goes first

| | median sentences/s | best sentences/s | median CPU s | wall seconds per run |
| --- | ---: | ---: | ---: | --- |
${row('gpsdecode', '`gpsdecode -j < corpus` (reference)')}
${row('seawall', '`seawall decode --quiet corpus`')}

**seawall / gpsdecode: ${pairedRatio.toFixed(2)}x** in sentences/s, the median of the ${args.reps} back-to-back pairs
(per pair: ${pairedRatios.map((r) => r.toFixed(2)).join(', ')}); ${ratio.toFixed(2)}x of the medians, ${ratioBest.toFixed(2)}x of the best runs${
    cpuRatio === null ? '' : `, ${cpuRatio.toFixed(2)}x in median CPU time`
  }. Target: at least 1.0x.
`;
}

function recordResults(section) {
  const header = `# Benchmark results

How benchmarks are recorded here: each section is written by the script named in it, rerun to update
it. It gives the exact command, the date, the machine (the reference machine has 2 cores; other work
on it shows in the load average), and its numbers side by side with a reference measured in the same
run, so a change of machine moves both.
`;
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : header;
  const start = text.search(/^## decode$/m);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const rest = text.slice(start + 1).search(/^## /m);
    const end = rest < 0 ? text.length : start + 1 + rest;
    text = `${text.slice(0, start)}${section}${rest < 0 ? '' : `\n${text.slice(end)}`}`;
  }
  writeFileSync(RESULTS, text);
}
