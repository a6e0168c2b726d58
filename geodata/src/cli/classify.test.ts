import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './classify';

async function run(argv: string[], stdinText = '') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(stdinText);
  const code = await main(argv, { stdin, stdout, stderr });
  return { code, out, err };
}

describe('seawall classify', () => {
  it('writes one ring per input line, from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seawall-classify-'));
    const file = join(dir, 'points.csv');
    writeFileSync(file, '110.34167,20.04278\n110.2749706,20.02777778\r\n110.266667,20.15\n109.5005,17.2397\n110.3589,21.2707');
    expect(await run([file])).toEqual({ code: 0, out: 'inland\nshoreline\nnear-sea\noutside\noutside\n', err: '' });
  });

  it('reads standard input for "-", adds zones on request and marks bad lines without losing alignment', async () => {
    const { code, out, err } = await run(['--zones', '-'], '110.2749706,20.02777778,extra\nlon,lat\n\n110,\n 110.34167 , 20.04278 \n');
    expect(out).toBe('shoreline\tport-haikou-xiuying,station-haikou\ninvalid\ninvalid\ninvalid\ninland\t\n');
    expect(err).toContain('line 2');
    expect(code).toBe(1);
  });

  it('fails with status 2 on a missing file or a bad option', async () => {
    expect((await run(['/nonexistent/points.csv'])).code).toBe(2);
    expect((await run(['--nope'])).code).toBe(2);
  });
});
