import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RADAR_SITES_PATH, loadRadarSites, parseRadarSites, siteHeadingDeg } from './radar-observation-sites';

const dirs: string[] = [];
function writeSites(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'radar-sites-'));
  dirs.push(dir);
  const path = join(dir, 'radars.json');
  writeFileSync(path, content);
  return path;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('radar sites', () => {
  it('loads the shipped edge-gateway/config/radars.json: three illustrative Hainan sites', () => {
    expect(DEFAULT_RADAR_SITES_PATH).toMatch(/edge-gateway\/config\/radars\.json$/);
    const sites = loadRadarSites();
    expect([...sites.keys()].sort()).toEqual(['rdr-haikou', 'rdr-sanya', 'rdr-yangpu']);
    for (const site of sites.values()) {
      expect(site.note).toMatch(/illustrative/i);
      expect(site.lon).toBeGreaterThan(108.5);
      expect(site.lon).toBeLessThan(111.1);
      expect(site.lat).toBeGreaterThan(18.1);
      expect(site.lat).toBeLessThan(20.2);
    }
    expect(siteHeadingDeg(sites.get('rdr-haikou')!)).toBe(0);
    expect(siteHeadingDeg(sites.get('rdr-sanya')!)).toBe(180);
  });

  it('lists every problem at once', () => {
    const r = parseRadarSites({
      'rdr-a': { name: 'A', lon: 200, lat: 20, headingSource: 'north-up' },
      'rdr-b': { name: 'B', lon: 110, lat: 20, headingSource: 'fixed' },
      'rdr-c': { name: 'C', lon: 110, lat: 20, headingSource: 'north-up', headingDeg: 90 },
      'rdr-d': { name: 'D', lon: 110, lat: 20, headingSource: 'fixed', headingDeg: 360 },
      'rdr-e': { name: 'E', lon: 110, lat: 20, headingSource: 'north-up', range: 12 },
      'bad id': { name: 'F', lon: 110, lat: 20, headingSource: 'north-up' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('invalid-radar-sites');
    for (const path of ['rdr-a.lon', 'rdr-b.headingDeg', 'rdr-c.headingDeg', 'rdr-d.headingDeg', 'rdr-e', 'bad id']) {
      expect(r.detail).toContain(path);
    }
  });

  it('throws at start-up with the file named when the file is missing, not JSON or invalid', () => {
    expect(() => loadRadarSites('/nonexistent/radars.json')).toThrow(/cannot read radar sites from \/nonexistent\/radars\.json/);
    const notJson = writeSites('{ "rdr-a": ');
    expect(() => loadRadarSites(notJson)).toThrow(`cannot read radar sites from ${notJson}`);
    const invalid = writeSites(JSON.stringify({ 'rdr-a': { name: 'A', lon: 110, lat: 95, headingSource: 'north-up' } }));
    expect(() => loadRadarSites(invalid)).toThrow(new RegExp(`invalid radar sites in ${invalid}:\\s+rdr-a\\.lat`));
  });
});
